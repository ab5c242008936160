// `npm start` without desktop VS Code: the bundled VS Code server on 127.0.0.1, protected by a connection token,
// with the freshly packaged Quarry installed, opened on samples/warehouse.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startVsCodeServer } from '../test/launch/vscodeServer.mjs';

const vsix = readdirSync('.').filter((f) => /^quarry-.*\.vsix$/.test(f)).sort().pop();
const token = randomBytes(16).toString('hex');
const port = Number(process.env.QUARRY_PORT ?? 8765);
const server = await startVsCodeServer({ port, token, testMode: false, installExtensions: [resolve(vsix)] });
const folder = resolve('samples/warehouse');
console.log(`\nQuarry is running on the sample workspace. Open this URL in your browser (it carries the access token):\n\n  ${server.url}/?tkn=${token}&folder=${encodeURIComponent(folder)}\n\nPress Ctrl+C to stop.`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
