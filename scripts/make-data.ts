/**
 * `npm run data`: makes the lecture's stand-in data in data/ (skips files that already
 * match data/manifest.json). Also run by the main job before the notebooks.
 *
 *   npm run data                 # make what is missing or changed
 *   npm run data -- --force      # regenerate everything
 *   npm run data -- --only spots # one group: tof, spots, roots, vessels (comma-separated)
 *   npm run data -- --dir /tmp/d --seed 7
 */
import { ensureData, type DataGroup } from '../lib/data/index.js';

const args = process.argv.slice(2);
const value = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const known = new Set(['--force', '--only', '--dir', '--seed']);
for (let i = 0; i < args.length; i++) {
  if (!known.has(args[i]!)) {
    console.error(`make-data: unknown argument ${args[i]} (use --force, --only GROUPS, --dir DIR, --seed N)`);
    process.exit(2);
  }
  if (args[i] !== '--force') i++;
}
const seedText = value('--seed');
const seed = seedText === undefined ? undefined : Number(seedText);
if (seed !== undefined && !Number.isFinite(seed)) {
  console.error(`make-data: --seed must be a number, got ${seedText}`);
  process.exit(2);
}
const only = value('--only');
const t0 = performance.now();
try {
  const dir = value('--dir') ?? 'data';
  console.log(`making the lecture's data in ${dir}/ (simulated; see data/README.md)`);
  const r = ensureData({
    dir,
    force: args.includes('--force'),
    seed,
    groups: only ? (only.split(',') as DataGroup[]) : undefined,
    log: (m) => console.log(m),
  });
  console.log(`data: ${r.written.length} files written, ${r.skipped.length} up to date, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
