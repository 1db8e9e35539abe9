/**
 * `npm run lab`: opens the notebooks in JupyterLab (or the classic Notebook if Lab is not
 * installed) with the project's tslab kernel registered, on http://localhost:8888.
 * Extra arguments go to Jupyter, e.g. `npm run lab -- --no-browser --port 8899`.
 */
import { spawn } from 'node:child_process';
import { NOTEBOOK_DIR, ensureLibAndKernel, findPython, jupyterEnv } from './jupyter.js';

ensureLibAndKernel();
let python: string;
let app: string;
try {
  python = findPython('jupyterlab');
  app = 'jupyterlab';
} catch {
  python = findPython('notebook');
  app = 'notebook';
}
console.log(`starting ${app} in notebooks/ with the project's tslab kernel …`);
// Jupyter refuses to run as root without --allow-root (containers, a fresh machine's root shell)
const rootFlag = process.getuid?.() === 0 ? ['--allow-root'] : [];
const child = spawn(python, ['-m', app, ...rootFlag, ...process.argv.slice(2)], { cwd: NOTEBOOK_DIR, env: jupyterEnv(), stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
