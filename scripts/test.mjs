// The test command after type-check and build: executes every notebook headless (quick
// profile: CI's lighter parameters; the lecture's stay the default elsewhere), then runs
// vitest, whose notebook-output tests read what the notebooks just wrote. Both always run;
// the exit status is non-zero when either failed. Counts for CI come from
// build/vitest-results.json and build/notebooks/run-summary.json (scripts/ci-count.mjs).
import { spawnSync } from 'node:child_process';

const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;
const notebooks = run(['--import', 'tsx', 'scripts/run-notebooks.ts', '--profile', 'quick']);
const vitest = run(['node_modules/vitest/vitest.mjs', 'run']);
if (notebooks !== 0) console.error('test: a notebook failed (see above)');
process.exit(notebooks || vitest);
