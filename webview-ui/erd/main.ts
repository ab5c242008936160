import './styles.css';
import { ErdApp } from './app';

new ErdApp(document.getElementById('app') ?? document.body);
