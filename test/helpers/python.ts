/**
 * Runs the reference implementations (numpy, SciPy, scikit-image, scikit-learn, astropy,
 * matplotlib, PyTorch) from tests and benchmarks. They are references only, never part of the
 * product.
 *
 * The interpreter is the one the set-up chose (`npm test` installs the references into it):
 * NSEG_PYTHON, else the choice recorded in .kernel/setup.json (see scripts/install/record.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { probePython } from '../../scripts/install/python.js';
import { projectPython } from '../../scripts/install/record.js';

/** The interpreter with the reference packages (override with NSEG_PYTHON). */
export const PYTHON = projectPython();

/** Runs a Python script (text) with arguments; returns stdout. Throws with stderr on failure. */
export function runPython(script: string, args: readonly string[] = [], timeoutMs = 300_000): string {
  if (PYTHON.includes('/') && !existsSync(PYTHON)) throw new Error(`reference Python not found at ${PYTHON}`);
  try {
    return execFileSync(PYTHON, ['-c', script, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`reference Python failed: ${e.stderr ?? e.message}`);
  }
}

/** Runs a script that prints one JSON value on its last stdout line; returns it parsed. */
export function pythonJson<T>(script: string, args: readonly string[] = [], timeoutMs?: number): T {
  const out = runPython(script, args, timeoutMs).trim().split('\n');
  return JSON.parse(out[out.length - 1]) as T;
}

const seen = new Map<string, boolean>();
/**
 * True when every named module imports in the reference Python; false when one raises
 * ImportError (or there is no such interpreter). Remembered per set of modules.
 *
 * @throws Error when the probe runs past its timeout (3 minutes) or a module fails to import
 *   with another error: a busy machine or a broken install is not "absent"
 */
export function pythonHas(...modules: string[]): boolean {
  const key = modules.join(',');
  let has = seen.get(key);
  if (has === undefined) {
    has = probePython(PYTHON, modules).missing.length === 0;
    seen.set(key, has);
  }
  return has;
}
