// Prints "N passed, M failed" from vitest's JSON report and the notebook runner's summary,
// and exits non-zero when anything failed or the test command itself failed.
import { existsSync, readFileSync } from 'node:fs';

const [vitestJson, notebookJson, statusArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  // A test file that failed to load has no test results: count it as one failure.
  failed += (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
} else {
  console.error(`ci: ${vitestJson} is missing (type-check or build failed before vitest ran)`);
  failed += 1;
}
if (existsSync(notebookJson)) {
  const n = JSON.parse(readFileSync(notebookJson, 'utf8'));
  passed += n.passed;
  failed += n.failed;
}
const status = Number(statusArg ?? 0);
if (status !== 0 && failed === 0) failed = 1; // the test command failed outside the counted tests
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && status === 0 ? 0 : 1);
