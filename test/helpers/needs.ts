/**
 * One rule for tests that need something outside the project (a reference Python package,
 * Jupyter, Chromium, the software Vulkan driver):
 * - under CI (`CI=true`), a missing reference is a failure that names what is missing;
 * - elsewhere the test is skipped, with a note saying what it needs, and the skip is counted.
 *
 * The test command's set-up installs every reference (see environment.md), so in CI the
 * skipped count is 0. The note is also kept in the test's meta (`meta.needs` in vitest's JSON
 * report), from which `npm test` and CI list every skipped test with what it needs.
 *
 * @example
 * it('matches numpy', (ctx) => {
 *   needs(ctx, 'numpy in the reference Python', pythonHas('numpy'));
 *   ...
 * });
 */
import type { TestContext } from 'vitest';

/** True when the environment says this is a CI run (`CI=true`, `CI=1`). */
export const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * Fails (under CI) or skips (elsewhere) the running test when `present` is false.
 *
 * @param ctx - the test's context (the first argument of the test function or of `beforeEach`)
 * @param what - what is missing, in words: "PyTorch in the reference Python"
 * @param present - whether it is there
 * @param hint - how to get it, e.g. "npm test installs it"
 */
export function needs(ctx: TestContext, what: string, present: boolean, hint = 'the test command installs it'): void {
  if (present) return;
  const note = `needs ${what} (${hint})`;
  (ctx.task.meta as Record<string, unknown>).needs = note;
  if (IN_CI) throw new Error(`missing reference under CI: ${note}`);
  ctx.skip(note);
}
