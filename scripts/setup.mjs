#!/usr/bin/env node
/**
 * Registers this project's tslab kernel in a folder the project controls (`.kernel/`),
 * not in the user's global Jupyter state. Runs as npm's `postinstall`, and again with
 * `npm run setup`.
 *
 * The kernelspec points at this project's own `node_modules/.bin/tslab`, so the
 * notebooks always run with the project's packages. Jupyter finds it through
 * JUPYTER_PATH=<project>/.kernel/share/jupyter, which the project's scripts set
 * (`npm run lab`, the notebook runner) and the README shows for a manual start.
 *
 * The kernelspec is written with a Python that has jupyter_client (tslab's own
 * installer needs it): NSEG_PYTHON if set, else /usr/bin/python3 (Debian's Jupyter),
 * else `python3` on PATH. Without one, this prints what to install and exits 0, so
 * `npm ci` still succeeds; the notebook runner then reports the missing kernel.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, '.kernel');
const tslabBin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tslab.cmd' : 'tslab');

function hasJupyterClient(py) {
  const r = spawnSync(py, ['-c', 'import jupyter_client'], { stdio: 'ignore' });
  return r.status === 0;
}

const candidates = [process.env.NSEG_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter(Boolean);
const python = candidates.find((p) => (p.includes('/') ? existsSync(p) : true) && hasJupyterClient(p));
if (!existsSync(tslabBin)) {
  console.error(`setup: ${tslabBin} is missing; run npm ci first.`);
  process.exit(1);
}
if (!python) {
  console.warn(
    'setup: no Python with jupyter_client found (tried ' + candidates.join(', ') + ').\n' +
      '  Install Jupyter (Debian/Ubuntu: sudo apt-get install jupyter-notebook python3-nbconvert python3-nbclient python3-ipykernel;\n' +
      '  elsewhere: pip install jupyterlab nbconvert nbclient), then run: npm run setup',
  );
  process.exit(0);
}
mkdirSync(prefix, { recursive: true });
const r = spawnSync(tslabBin, ['install', `--python=${python}`, `--binary=${tslabBin}`, `--prefix=${prefix}`], {
  encoding: 'utf8',
});
if (r.status !== 0) {
  console.error(`setup: tslab install failed:\n${r.stdout}\n${r.stderr}`);
  process.exit(1);
}
const specDir = join(prefix, 'share', 'jupyter', 'kernels', 'tslab');
const specFile = join(specDir, 'kernel.json');
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
// Name the kernel after the project so it is told apart from a global tslab in the launcher.
spec.display_name = 'TypeScript (neutron-seg)';
// Memory for the lecture's 4-million-pixel steps and the U-Net; harmless elsewhere.
spec.env = { ...(spec.env ?? {}), NODE_OPTIONS: '--max-old-space-size=8192' };
writeFileSync(specFile, JSON.stringify(spec, null, 1) + '\n');
console.log(`setup: tslab kernel registered in ${specDir} (Python: ${python})`);
console.log(`setup: use it with JUPYTER_PATH=${join(prefix, 'share', 'jupyter')} (npm run lab does this)`);
