/**
 * Executes the lecture notebooks headless through the project's tslab kernel and writes
 * the executed copies to build/notebooks/. Stops at the first failing cell and reports
 * the notebook, the cell index and the error.
 *
 *   npm run notebooks                      # all notebooks, lecture profile
 *   npm run notebooks -- 03 04             # only notebooks whose names contain 03 or 04
 *   npm run notebooks -- --profile quick   # CI's quick profile (smaller epochs and sizes)
 *   npm run notebooks -- --jobs 1          # one notebook at a time (default: 2 on ≥ 2 cores)
 *   npm run notebooks -- --slides          # also export slides afterwards
 *   npm run notebooks -- --allow-errors    # keep going after a failing cell (errors stay in the output)
 *
 * Cells tagged `raises-exception` (a teaching cell that shows an error on purpose) may fail in
 * any run; every later cell still runs (scripts/nbexec.py works around tslab's habit of
 * silently cancelling the cells sent in the 200 ms after an error).
 * The profile reaches the notebooks as NSEG_PROFILE; see lib's `profile()`.
 *
 * Parallel runs: the U-Net trainings are CPU-bound and, on a small machine, fastest on one
 * WebAssembly thread each (bench/UNET-PERF.md, rows 11-12), so two notebooks side by side
 * finish the main job in about half the time of one after the other. Each of `jobs` kernels
 * gets cores / jobs wasm threads (NSEG_WASM_THREADS, unless set). A notebook that reads
 * another's `build/results/NAME.json` waits for that one (04 for 03's hit maps and results).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
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
  error_cells?: number[];
}

function driverArgs(name: string, cellTimeout: number, inDir = NOTEBOOK_DIR, outDir = BUILD_NOTEBOOKS, allowErrors = false): string[] {
  return [join(ROOT, 'scripts', 'nbexec.py'), join(inDir, name), join(outDir, name), '--timeout', String(cellTimeout), ...(allowErrors ? ['--allow-errors'] : [])];
}

/** Turns the driver's exit and output into a result, and prints the outcome. */
function report(name: string, status: number | null, stdout: string, stderr: string, prefix: string): NotebookRun {
  const last = stdout.trim().split('\n').pop() ?? '';
  let res: DriverResult | undefined;
  try {
    res = JSON.parse(last) as DriverResult;
  } catch {
    res = undefined;
  }
  if (!res) {
    console.log(`${prefix}failed`);
    const error = `${name}: the notebook driver did not report (exit ${status}):\n${stderr}`.slice(0, 4000);
    console.error(error);
    return { notebook: name, ok: false, seconds: 0, error };
  }
  if (res.ok) {
    const errors = res.error_cells?.length ? ` (errors shown in cells ${res.error_cells.join(', ')})` : '';
    console.log(`${prefix}ok in ${res.seconds.toFixed(1)} s${res.stderr_cells.length ? ` (stderr output in cells ${res.stderr_cells.join(', ')})` : ''}${errors}`);
    return { notebook: name, ok: true, seconds: res.seconds };
  }
  console.log(`${prefix}FAILED in ${res.seconds.toFixed(1)} s`);
  const error = `${name}: cell ${res.failed_cell}: ${res.ename}: ${res.evalue}\n--- cell source ---\n${res.source ?? ''}`;
  console.error(error);
  return { notebook: name, ok: false, seconds: res.seconds, failedCell: res.failed_cell, error };
}

/**
 * Runs the named notebooks in order, one at a time; returns one result each. A failing
 * notebook stops at its failing cell; the next notebooks still run (each is reported on its own).
 */
export function runNotebooks(names: readonly string[], profile: string, cellTimeout = 1800): NotebookRun[] {
  ensureLibAndKernel();
  const python = findPython('nbclient', 'nbformat');
  mkdirSync(BUILD_NOTEBOOKS, { recursive: true });
  const results: NotebookRun[] = [];
  for (const name of names) {
    process.stdout.write(`▶ ${name} (profile ${profile}) … `);
    const r = spawnSync(python, driverArgs(name, cellTimeout), {
      env: jupyterEnv({ NSEG_PROFILE: profile }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    results.push(report(name, r.status, r.stdout ?? '', r.stderr ?? '', ''));
  }
  return results;
}

/**
 * The notebooks among `names` whose results a notebook reads (`build/results/OTHER.json` in
 * its source): it must run after them.
 */
export function notebookDependencies(names: readonly string[], dir = NOTEBOOK_DIR): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const name of names) {
    const src = readFileSync(join(dir, name), 'utf8');
    const own = basename(name, '.ipynb');
    deps.set(
      name,
      names.filter((other) => {
        const stem = basename(other, '.ipynb');
        return stem !== own && src.includes(`build/results/${stem}.json`);
      }),
    );
  }
  return deps;
}

/** Options of runNotebooksParallel. */
export interface ParallelOptions {
  /** Notebooks at once. Default: 2 on machines with ≥ 2 cores, else 1. */
  jobs?: number;
  /** Keep going after a failing cell (the error stays in its output). Default false. */
  allowErrors?: boolean;
  /** Seconds a cell may run. Default 1800. */
  cellTimeout?: number;
  /** Where the notebooks are (default notebooks/) and where the executed copies go (default build/notebooks/). */
  notebookDir?: string;
  outDir?: string;
}

/** Default number of notebooks at once: NSEG_JOBS, else 2 when there are ≥ 2 cores. */
export function defaultJobs(): number {
  const env = process.env.NSEG_JOBS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`NSEG_JOBS must be an integer from 1 to 16, got '${env}'`);
    return n;
  }
  return availableParallelism() >= 2 ? 2 : 1;
}

/**
 * Runs the named notebooks, `jobs` at a time, each after the notebooks it reads results from
 * (`notebookDependencies`); a notebook starts in list order as soon as a slot is free and its
 * dependencies have finished. Returns one result per notebook, in the order of `names`.
 */
export async function runNotebooksParallel(names: readonly string[], profile: string, opts: ParallelOptions = {}): Promise<NotebookRun[]> {
  const jobs = opts.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`runNotebooksParallel: jobs must be an integer ≥ 1, got ${jobs}`);
  const cellTimeout = opts.cellTimeout ?? 1800;
  const inDir = opts.notebookDir ?? NOTEBOOK_DIR;
  const outDir = opts.outDir ?? BUILD_NOTEBOOKS;
  ensureLibAndKernel();
  const python = findPython('nbclient', 'nbformat');
  mkdirSync(outDir, { recursive: true });
  const deps = notebookDependencies(names, inDir);
  const extra: Record<string, string> = { NSEG_PROFILE: profile };
  if (jobs > 1 && !process.env.NSEG_WASM_THREADS) extra.NSEG_WASM_THREADS = String(Math.max(1, Math.floor(availableParallelism() / jobs)));
  const env = jupyterEnv(extra);
  const results = new Map<string, NotebookRun>();
  const started = new Set<string>();
  const done = new Set<string>();
  const runOne = (name: string): Promise<NotebookRun> =>
    new Promise((resolve) => {
      console.log(`▶ ${name} (profile ${profile}) started`);
      const child = spawn(python, driverArgs(name, cellTimeout, inDir, outDir, opts.allowErrors), { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      let settled = false; // a failed spawn can emit both 'error' and 'close': report once
      const finish = (code: number | null, stderr: string): void => {
        if (settled) return;
        settled = true;
        resolve(report(name, code, Buffer.concat(out).toString('utf8'), stderr, `■ ${name} `));
      };
      child.on('error', (e) => finish(null, String(e)));
      child.on('close', (code) => finish(code, Buffer.concat(err).toString('utf8')));
    });
  const next = (): string | undefined => names.find((n) => !started.has(n) && (deps.get(n) ?? []).every((d) => done.has(d)));
  await new Promise<void>((resolveAll) => {
    let running = 0;
    const pump = (): void => {
      let n: string | undefined;
      while (running < jobs && (n = next()) !== undefined) {
        const name = n;
        started.add(name);
        running++;
        void runOne(name).then((r) => {
          results.set(name, r);
          done.add(name);
          running--;
          pump();
        });
      }
      if (running === 0) resolveAll();
    };
    pump();
  });
  return names.map((n) => results.get(n) ?? { notebook: n, ok: false, seconds: 0, error: `${n}: not run` });
}

async function main(): Promise<void> {
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
  let jobs: number | undefined;
  const ji = args.indexOf('--jobs');
  if (ji >= 0) {
    jobs = Number(args[ji + 1]);
    if (!Number.isInteger(jobs) || jobs < 1) {
      console.error(`--jobs must be an integer ≥ 1, got ${args[ji + 1] ?? 'nothing'}`);
      process.exit(2);
    }
    args.splice(ji, 2);
  }
  const slides = args.includes('--slides');
  const allowErrors = args.includes('--allow-errors');
  const filters = args.filter((a) => !a.startsWith('--'));
  const names = listNotebooks(filters);
  if (names.length === 0) {
    console.error(`no notebook in notebooks/ matches ${filters.join(', ') || '(all)'}`);
    process.exit(2);
  }
  const t0 = performance.now();
  ensureData();
  const results = await runNotebooksParallel(names, profile, { jobs, allowErrors });
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

if (import.meta.url === `file://${process.argv[1]}`) await main();
