/**
 * Executes the lecture notebooks headless through the project's tslab kernel and writes
 * the executed copies to build/notebooks/. Stops at the first failing cell and reports
 * the notebook, the cell index and the error.
 *
 *   npm run notebooks                      # all notebooks, lecture profile
 *   npm run notebooks -- 03 04             # only notebooks whose names contain 03 or 04
 *   npm run notebooks -- --profile quick   # CI's quick profile (smaller epochs and sizes)
 *   npm run notebooks -- --slides          # also export slides afterwards
 *
 * The profile reaches the notebooks as NSEG_PROFILE; see lib's `profile()`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_NOTEBOOKS, NOTEBOOK_DIR, ROOT, ensureData, ensureLibAndKernel, findPython, jupyterEnv, listNotebooks } from './jupyter.js';
import { exportSlides } from './export-slides.js';

export interface NotebookRun {
  notebook: string;
  ok: boolean;
  seconds: number;
  failedCell?: number | null;
  error?: string;
}

interface DriverResult {
  ok: boolean;
  seconds: number;
  failed_cell: number | null;
  ename: string | null;
  evalue: string | null;
  source?: string;
  stderr_cells: number[];
}

/**
 * Runs the named notebooks in order; returns one result each. A failing notebook stops at its
 * failing cell; the next notebooks still run (each is reported on its own).
 */
export function runNotebooks(names: readonly string[], profile: string, cellTimeout = 1800): NotebookRun[] {
  ensureLibAndKernel();
  const python = findPython('nbclient', 'nbformat');
  mkdirSync(BUILD_NOTEBOOKS, { recursive: true });
  const results: NotebookRun[] = [];
  for (const name of names) {
    process.stdout.write(`▶ ${name} (profile ${profile}) … `);
    const r = spawnSync(
      python,
      [join(ROOT, 'scripts', 'nbexec.py'), join(NOTEBOOK_DIR, name), join(BUILD_NOTEBOOKS, name), '--timeout', String(cellTimeout)],
      { env: jupyterEnv({ NSEG_PROFILE: profile }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    let res: DriverResult | undefined;
    try {
      res = JSON.parse(last) as DriverResult;
    } catch {
      res = undefined;
    }
    if (!res) {
      console.log('failed');
      const error = `the notebook driver did not report (exit ${r.status}):\n${r.stderr ?? ''}`.slice(0, 4000);
      console.error(error);
      results.push({ notebook: name, ok: false, seconds: 0, error });
      continue;
    }
    if (res.ok) {
      console.log(`ok in ${res.seconds.toFixed(1)} s${res.stderr_cells.length ? ` (stderr output in cells ${res.stderr_cells.join(', ')})` : ''}`);
      results.push({ notebook: name, ok: true, seconds: res.seconds });
    } else {
      console.log(`FAILED in ${res.seconds.toFixed(1)} s`);
      const error = `${name}: cell ${res.failed_cell}: ${res.ename}: ${res.evalue}\n--- cell source ---\n${res.source ?? ''}`;
      console.error(error);
      results.push({ notebook: name, ok: false, seconds: res.seconds, failedCell: res.failed_cell, error });
    }
  }
  return results;
}

function main(): void {
  const args = process.argv.slice(2);
  let profile = process.env.NSEG_PROFILE ?? 'lecture';
  const pi = args.indexOf('--profile');
  if (pi >= 0) {
    profile = args[pi + 1];
    if (!profile || !['quick', 'lecture'].includes(profile)) {
      console.error(`--profile must be quick or lecture, got ${profile ?? 'nothing'}`);
      process.exit(2);
    }
    args.splice(pi, 2);
  }
  const slides = args.includes('--slides');
  const filters = args.filter((a) => !a.startsWith('--'));
  const names = listNotebooks(filters);
  if (names.length === 0) {
    console.error(`no notebook in notebooks/ matches ${filters.join(', ') || '(all)'}`);
    process.exit(2);
  }
  const t0 = performance.now();
  ensureData();
  const results = runNotebooks(names, profile);
  const total = (performance.now() - t0) / 1000;
  const failed = results.filter((r) => !r.ok).length + (names.length - results.length);
  // Read by .ci/run for its "N passed, M failed" line: a notebook that ran clean is one passed test.
  writeFileSync(
    join(BUILD_NOTEBOOKS, 'run-summary.json'),
    JSON.stringify({ profile, passed: results.filter((r) => r.ok).length, failed, results }, null, 1),
  );
  console.log(`\nnotebooks: ${results.filter((r) => r.ok).length} ran, ${failed} failed or not run, ${total.toFixed(1)} s in all`);
  if (failed === 0 && slides) exportSlides(names);
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
