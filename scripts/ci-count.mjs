// The count line of a test run, "N passed, M failed, K skipped", from the real counts: vitest's
// JSON report (build/vitest-results.json) and the notebook runner's summary
// (build/notebooks/run-summary.json). Before it, one line per skipped test with what it needs
// (test/helpers/needs.ts keeps that note in the test's meta), so no skip goes unseen.
//
//   node scripts/ci-count.mjs VITEST_JSON NOTEBOOK_JSON [TEST_STATUS [MAIN_STATUS]]
//
// TEST_STATUS is the test command's exit status: non-zero while no counted test failed (the
// type-check or build failed) counts as one failure. MAIN_STATUS is the set-up and main job's
// (the README's first command): non-zero counts as one failure of its own. Exits non-zero when
// anything failed. `npm test` (scripts/test.mjs) prints the same lines through `countRun`.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Counts a run.
 * @param {string} vitestJson - vitest's JSON report
 * @param {string} notebookJson - the notebook runner's summary
 * @returns {{ passed: number, failed: number, skipped: number, skippedTests: string[], problems: string[] }}
 */
export function countRun(vitestJson, notebookJson) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const skippedTests = [];
  const problems = [];
  if (existsSync(vitestJson)) {
    const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    for (const file of r.testResults ?? []) {
      // A test file that failed to load has no test results: count it as one failure.
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
        failed += 1;
        problems.push(`${file.name}: failed to load: ${(file.message ?? '').split('\n')[0]}`);
      }
      for (const a of file.assertionResults ?? []) {
        if (['skipped', 'pending', 'todo', 'disabled'].includes(a.status)) {
          skippedTests.push(`${a.fullName}: ${a.meta?.needs ?? `${a.status}, no reason given`}`);
        }
      }
    }
  } else {
    problems.push(`${vitestJson} is missing (the type-check, the build or the set-up failed before vitest ran)`);
    failed += 1;
  }
  if (existsSync(notebookJson)) {
    const n = JSON.parse(readFileSync(notebookJson, 'utf8'));
    passed += n.passed ?? 0;
    failed += n.failed ?? 0;
    skipped += n.skipped ?? 0;
  }
  return { passed, failed, skipped, skippedTests, problems };
}

/** The last line: "N passed, M failed, K skipped". */
export function countLine(c) {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [vitestJson, notebookJson, testStatus = '0', mainStatus = '0'] = process.argv.slice(2);
  if (!vitestJson || !notebookJson) {
    console.error('usage: node scripts/ci-count.mjs VITEST_JSON NOTEBOOK_JSON [TEST_STATUS [MAIN_STATUS]]');
    process.exit(2);
  }
  const c = countRun(vitestJson, notebookJson);
  for (const p of c.problems) console.error(`ci: ${p}`);
  for (const s of c.skippedTests) console.log(`skipped: ${s}`);
  const testFailed = Number(testStatus) !== 0;
  const mainFailed = Number(mainStatus) !== 0;
  if (testFailed && c.failed === 0) {
    console.error(`ci: the test command failed (exit ${testStatus}) outside the counted tests`);
    c.failed = 1;
  }
  if (mainFailed) {
    console.error(`ci: the set-up and main job failed (exit ${mainStatus})`);
    c.failed += 1;
  }
  console.log(countLine(c));
  process.exit(c.failed === 0 && !testFailed && !mainFailed ? 0 : 1);
}
