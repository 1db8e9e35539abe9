// The test command after type-check and build (`npm test`):
// 1. the set-up for tests (scripts/setup.ts --test) installs what the tests compare against and
//    drive, where missing: the Python references, Chromium, lavapipe (see environment.md). Where
//    it cannot, it says what to run, and the tests that need it are skipped with that note
//    (they fail under CI=true);
// 2. every notebook runs headless (quick profile: CI's lighter parameters; the lecture's stay
//    the default elsewhere);
// 3. vitest, whose notebook-output tests read what the notebooks just wrote.
// Steps 2 and 3 always run; the exit status is non-zero when either failed. Last, the skipped
// tests with what they need, and the count line "N passed, M failed, K skipped" from
// build/vitest-results.json and build/notebooks/run-summary.json (scripts/ci-count.mjs).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { countLine, countRun } from './ci-count.mjs';

const VITEST_JSON = 'build/vitest-results.json';
const NOTEBOOK_JSON = 'build/notebooks/run-summary.json';
const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;

const setup = run(['--import', 'tsx', 'scripts/setup.ts', '--test']);
if (setup !== 0) console.error('test: the set-up could not install every test reference (see above); running the tests anyway');
rmSync(VITEST_JSON, { force: true });
rmSync(NOTEBOOK_JSON, { force: true });
const notebooks = run(['--import', 'tsx', 'scripts/run-notebooks.ts', '--profile', 'quick']);
const vitest = run(['node_modules/vitest/vitest.mjs', 'run']);
if (notebooks !== 0) console.error('test: a notebook failed (see above)');

const c = countRun(VITEST_JSON, NOTEBOOK_JSON);
for (const p of c.problems) console.error(`test: ${p}`);
for (const s of c.skippedTests) console.log(`skipped: ${s}`);
console.log(countLine(c));
process.exit(notebooks || vitest);
