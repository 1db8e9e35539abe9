/**
 * What the project's scripts share to drive Jupyter: the Python the set-up chose (with
 * nbclient/nbconvert), the environment that makes Jupyter find the project's tslab kernel, and
 * making sure the library is built and the prerequisites are there before a notebook runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './install/common.js';
import { KERNEL_DIR, kernelRegistered } from './install/kernel.js';
import { JUPYTER_MODULES, probePython } from './install/python.js';
import { projectPython } from './install/record.js';

export { KERNEL_DIR, ROOT };
export const NOTEBOOK_DIR = join(ROOT, 'notebooks');
export const BUILD_NOTEBOOKS = join(ROOT, 'build', 'notebooks');
export const BUILD_SLIDES = join(ROOT, 'build', 'slides');

/**
 * The Python the set-up chose (NSEG_PYTHON, else .kernel/setup.json; see scripts/install/record.ts),
 * checked to import every named module.
 *
 * @throws Error naming the missing modules and how to install them
 */
export function findPython(...modules: string[]): string {
  const py = projectPython();
  const { missing, executable } = probePython(py, modules);
  if (missing.length === 0) return executable;
  throw new Error(
    `the project's Python (${py}) lacks ${missing.join(', ')}. Run \`npm run setup\` (installs Jupyter) ` +
      'or `npx tsx scripts/setup.ts --test` (also the test references); see environment.md. NSEG_PYTHON picks another Python.',
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

/** Runs the set-up (scripts/setup.ts): it installs what is missing or says what to run. */
function runSetup(): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'setup.ts')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the set-up could not install the prerequisites (see above); then run \`npm run setup\``);
}

/**
 * The main job's prerequisites, checked before anything slow runs: the kernel registered and a
 * Python with Jupyter. When one is missing, runs the set-up (which installs it) and checks again.
 * Returns the Python.
 */
export function checkPrerequisites(): string {
  const ready = (): string | null => {
    try {
      return kernelRegistered() ? findPython(...JUPYTER_MODULES) : null;
    } catch {
      return null;
    }
  };
  const py = ready();
  if (py) return py;
  console.log('the tslab kernel or Jupyter is missing: running the set-up (npm run setup) first');
  runSetup();
  const after = ready();
  if (after) return after;
  return findPython(...JUPYTER_MODULES); // throws, naming what is missing
}

/** Rebuilds lib/dist when a lib/*.ts is newer than the build, and checks the prerequisites. */
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
  checkPrerequisites();
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
