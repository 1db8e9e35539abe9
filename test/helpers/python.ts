/**
 * Runs the reference implementations (Debian's numpy, astropy, scikit-image,
 * scikit-learn on /usr/bin/python3) from tests and benchmarks. They are references
 * only, never part of the product.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The interpreter with Debian's scientific packages (override with REFERENCE_PYTHON). */
export const PYTHON = process.env.REFERENCE_PYTHON ?? '/usr/bin/python3';

/** Runs a Python script (text) with arguments; returns stdout. Throws with stderr on failure. */
export function runPython(script: string, args: readonly string[] = [], timeoutMs = 300_000): string {
  if (!existsSync(PYTHON)) throw new Error(`reference Python not found at ${PYTHON}`);
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

/** True when every named module imports in the reference Python. */
export function pythonHas(...modules: string[]): boolean {
  try {
    runPython(`import ${modules.join(', ')}`, [], 60_000);
    return true;
  } catch {
    return false;
  }
}
