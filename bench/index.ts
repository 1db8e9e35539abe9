/**
 * `npm run bench`: runs every `bench/*.bench.ts` one after another (never in parallel:
 * timings on a 2-core machine mean nothing otherwise), each in its own process so one
 * module's memory does not weigh on the next. Each bench measures the named peer
 * (scikit-image, scikit-learn, PyTorch in the project's Python) in the same run and prints
 * the ratio. `npm run bench -- median kmeans` runs only the benches whose names match.
 * The printed tables are also collected into build/bench/summary.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`no bench matches ${filters.join(', ')}`);
  process.exit(1);
}
const summary: string[] = [`# Benchmarks (${new Date().toISOString()})`, ''];
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(r.stdout ?? '');
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) failed++;
  summary.push(`## ${f} (${secs} s, exit ${r.status})`, '', r.stdout ?? '', '');
}
mkdirSync('build/bench', { recursive: true });
writeFileSync('build/bench/summary.md', summary.join('\n'));
console.log(`\nbench summary written to build/bench/summary.md; ${failed} bench file(s) failed`);
process.exit(failed ? 1 : 0);
