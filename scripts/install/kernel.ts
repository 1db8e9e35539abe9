/**
 * Registers the project's tslab kernel in a folder the project owns, `.kernel/share/jupyter`,
 * never in the user's or the system's Jupyter folders. Jupyter finds it through
 * JUPYTER_PATH=<project>/.kernel/share/jupyter, which `npm start`, `npm test`, `npm run lab` and
 * the notebook runner set.
 *
 * The kernelspec is the one file `tslab install --prefix` writes (argv, display name, language),
 * written here directly: it needs no Python, and it is rewritten only when its content differs,
 * so a second set-up changes nothing. It points at this project's own node_modules/.bin/tslab, so
 * the notebooks always run with the project's packages.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './common.js';

/** The folder to put on JUPYTER_PATH. */
export const KERNEL_DIR = join(ROOT, '.kernel', 'share', 'jupyter');
/** The kernelspec file. */
export const KERNEL_JSON = join(KERNEL_DIR, 'kernels', 'tslab', 'kernel.json');
/** The project's tslab launcher. */
export const TSLAB_BIN = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'tslab.cmd' : 'tslab');

/** Loaded into every kernel: tslab's error handling fixed (scripts/kernel-preload.cjs). */
export const PRELOAD = join(ROOT, 'scripts', 'kernel-preload.cjs');

/** The kernelspec's text. */
export function kernelSpecText(): string {
  const spec = {
    argv: [TSLAB_BIN, 'kernel', '--config-path', '{connection_file}'],
    // named after the project, to tell it apart from a global tslab in the launcher
    display_name: 'TypeScript (neutron-seg)',
    language: 'typescript',
    // memory for the lecture's 4-million-pixel steps and the U-Net; harmless elsewhere. The
    // preload keeps a failed cell's error visible and the cells after it running (see the file)
    env: { NODE_OPTIONS: `--max-old-space-size=8192 --require ${JSON.stringify(PRELOAD)}` },
  };
  return `${JSON.stringify(spec, null, 1)}\n`;
}

/** True when the kernelspec is in place and current. */
export function kernelRegistered(): boolean {
  return existsSync(KERNEL_JSON) && readFileSync(KERNEL_JSON, 'utf8') === kernelSpecText() && existsSync(TSLAB_BIN) && existsSync(PRELOAD);
}

/** Writes the kernelspec when missing or different. Returns true when it wrote. */
export function registerKernel(dryRun = false): boolean {
  if (!existsSync(TSLAB_BIN)) throw new Error(`${TSLAB_BIN} is missing: run npm ci first`);
  if (kernelRegistered()) return false;
  if (dryRun) return true;
  mkdirSync(join(KERNEL_DIR, 'kernels', 'tslab'), { recursive: true });
  writeFileSync(KERNEL_JSON, kernelSpecText());
  return true;
}
