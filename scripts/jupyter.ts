/**
 * What the project's scripts share to drive Jupyter: which Python has nbclient/nbconvert,
 * the environment that makes Jupyter find the project's tslab kernel, and making sure the
 * library is built and the kernel registered before a notebook runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KERNEL_DIR = join(ROOT, '.kernel', 'share', 'jupyter');
export const NOTEBOOK_DIR = join(ROOT, 'notebooks');
export const BUILD_NOTEBOOKS = join(ROOT, 'build', 'notebooks');
export const BUILD_SLIDES = join(ROOT, 'build', 'slides');

/** A Python that imports every named module: NSEG_PYTHON, /usr/bin/python3, python3 on PATH. */
export function findPython(...modules: string[]): string {
  const tried: string[] = [];
  for (const py of [process.env.NSEG_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p)) {
    if (py.includes('/') && !existsSync(py)) continue;
    tried.push(py);
    const r = spawnSync(py, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  throw new Error(
    `no Python with ${modules.join(', ')} found (tried ${tried.join(', ') || 'none'}). ` +
      'Install Jupyter: Debian/Ubuntu `sudo apt-get install jupyter-notebook python3-nbconvert python3-nbclient python3-ipykernel`, ' +
      'elsewhere `pip install jupyterlab nbconvert nbclient`; or set NSEG_PYTHON.',
  );
}

/** The environment for Jupyter processes: the project's kernel first on JUPYTER_PATH. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const prev = process.env.JUPYTER_PATH;
  return { ...process.env, JUPYTER_PATH: prev ? `${KERNEL_DIR}:${prev}` : KERNEL_DIR, ...extra };
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'dist' && e.name !== 'node_modules') newest = Math.max(newest, newestMtime(p, ext));
    } else if (e.name.endsWith(ext)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function run(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status})`);
}

/** Rebuilds lib/dist when a lib/*.ts is newer than the build, and registers the kernel if missing. */
export function ensureLibAndKernel(): void {
  const distIndex = join(ROOT, 'lib', 'dist', 'index.js');
  const built = existsSync(distIndex) ? statSync(distIndex).mtimeMs : 0;
  if (newestMtime(join(ROOT, 'lib'), '.ts') > built) {
    console.log('building lib/ (tsc -p tsconfig.build.json) …');
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    // tsc still emits JavaScript when a type error is found; `npm test` type-checks first, so
    // here a type error only warns and the notebooks run on what was emitted.
    if (r.status !== 0 && !existsSync(distIndex)) throw new Error(`building lib/ failed (exit ${r.status})`);
    if (r.status !== 0) console.warn('warning: lib/ has type errors (see above); running on the emitted JavaScript');
  }
  if (!existsSync(join(KERNEL_DIR, 'kernels', 'tslab', 'kernel.json'))) {
    run(process.execPath, [join(ROOT, 'scripts', 'setup.mjs')], 'registering the tslab kernel');
    if (!existsSync(join(KERNEL_DIR, 'kernels', 'tslab', 'kernel.json'))) {
      throw new Error('the tslab kernel is not registered: install Jupyter (see environment.md), then run `npm run setup`');
    }
  }
}

/**
 * Lecture notebooks in order (file name order), then the exercise notebooks in
 * notebooks/exercises/ (as `exercises/NAME.ipynb`), optionally only those whose names
 * contain a filter. Names starting with `_` are scratch notebooks, run only when named.
 */
export function listNotebooks(filters: readonly string[] = []): string[] {
  const pick = (dir: string, prefix: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.ipynb') && (!f.startsWith('_') || filters.length > 0))
          .sort()
          .map((f) => prefix + f)
      : [];
  return [...pick(NOTEBOOK_DIR, ''), ...pick(join(NOTEBOOK_DIR, 'exercises'), 'exercises/')].filter(
    (f) => filters.length === 0 || filters.some((w) => f.includes(w)),
  );
}

/**
 * Makes the lecture's data when something in data/ is missing (scripts/make-data.ts skips
 * files that already match), so notebooks run on a fresh clone.
 */
export function ensureData(): void {
  const makeData = join(ROOT, 'scripts', 'make-data.ts');
  if (!existsSync(makeData)) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', makeData], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`making the data failed (npm run data, exit ${r.status})`);
}
