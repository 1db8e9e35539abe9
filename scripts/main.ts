/**
 * The main job (`npm start`): checks its prerequisites first (the library built, the tslab
 * kernel registered, a Python with Jupyter; the set-up runs when one is missing, and the job
 * stops with what to install before any slow step), makes the lecture's data if missing,
 * executes every notebook through the tslab kernel on the default backend choice (CPU unless
 * a GPU is found), and exports executed notebooks (build/notebooks/) and slides
 * (build/slides/). Prints the time per notebook and the total.
 *
 *   npm start                         # lecture profile (the lecture's parameters)
 *   npm start -- --profile quick      # CI's quick profile
 *   NSEG_JOBS=1 npm start             # one notebook at a time (default: 2 side by side on
 *                                     # ≥ 2 cores, one WebAssembly thread each; see run-notebooks.ts)
 */
import { ensureData, ensureLibAndKernel, listNotebooks } from './jupyter.js';
import { defaultJobs, runNotebooksParallel } from './run-notebooks.js';
import { exportSlides } from './export-slides.js';

const args = process.argv.slice(2);
const pi = args.indexOf('--profile');
const profile = pi >= 0 ? args[pi + 1] : process.env.NSEG_PROFILE ?? 'lecture';
if (profile !== 'lecture' && profile !== 'quick') {
  console.error(`--profile must be quick or lecture, got ${profile ?? 'nothing'}`);
  process.exit(2);
}
const t0 = performance.now();

console.log('▶ prerequisites (library built, tslab kernel registered, Jupyter)');
try {
  ensureLibAndKernel();
} catch (err) {
  console.error(`main job stopped before it started: ${(err as Error).message}`);
  process.exit(1);
}

console.log('▶ data (makes what is missing in data/)');
const td = performance.now();
try {
  ensureData();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
console.log(`  data ready in ${((performance.now() - td) / 1000).toFixed(1)} s`);

const names = listNotebooks();
const jobs = defaultJobs();
console.log(`▶ ${names.length} notebooks, ${jobs} at a time`);
const results = await runNotebooksParallel(names, profile, { jobs });
const failed = results.filter((r) => !r.ok);
if (failed.length || results.length < names.length) {
  console.error(`\nmain job stopped: ${failed.map((f) => f.notebook).join(', ')} failed`);
  process.exit(1);
}
console.log('▶ slides');
exportSlides(names);

console.log('\n| notebook | seconds |\n|---|---|');
for (const r of results) console.log(`| ${r.notebook} | ${r.seconds.toFixed(1)} |`);
console.log(`\nmain job done in ${((performance.now() - t0) / 1000).toFixed(1)} s (profile ${profile}); open build/slides/*.slides.html`);
