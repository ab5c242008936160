import './styles.css';
import { ResultsApp } from './app';

new ResultsApp(document.getElementById('app') ?? document.body);
