/**
 * Runs the library's file readers on untrusted files in a child process with a time and a
 * memory budget per file, so that a reader that hangs, crashes or eats memory is caught and
 * reported instead of taking the test run (or the machine) down with it.
 *
 * How the budget is guaranteed:
 * - time: a timer per file; past it the child is killed (SIGKILL) and a fresh one started;
 * - memory: the child reports its peak resident memory (`maxRSS`) after every file; a file
 *   that raised it more than the budget above the child's idle level is over budget. A hard
 *   cap backs this up: the child runs under `ulimit -v` (address space), so an allocation far
 *   beyond the budget fails inside the child (a RangeError, counted as over budget) instead of
 *   swapping the machine; a V8 heap overflow kills only the child (counted as a crash).
 * The child is bundled with esbuild to plain JavaScript first: tsx needs WebAssembly, whose
 * address-space reservations do not fit under `ulimit -v`.
 *
 * Test infrastructure only: nothing in lib/ imports it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { FuzzAnswer, FuzzRequest } from './child.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Per-file limits. */
export interface Budget {
  /** Wall-clock milliseconds one read may take. */
  timeMs: number;
  /** Megabytes of resident memory one read may add above the idle child. */
  memoryMb: number;
}

/** What happened to one read. */
export type Verdict =
  | { kind: 'ok'; shape: number[]; dtype: string; hash: string; ms: number; memoryMb: number; raisedPeak: boolean }
  | { kind: 'error'; name: string; message: string; ms: number; memoryMb: number; raisedPeak: boolean }
  | { kind: 'timeout'; ms: number }
  | { kind: 'memory'; memoryMb: number; detail: string }
  | { kind: 'crash'; detail: string };

let bundled: Promise<string> | undefined;

/** Bundles ./child.ts (and the readers) to build/fuzz/child-<pid>.mjs, once per process. */
export function bundleChild(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    // One file per process: test files run in parallel workers, each bundling its own.
    const outfile = join(ROOT, 'build', 'fuzz', `child-${process.pid}-${threadId}.mjs`);
    process.once('exit', () => rmSync(outfile, { force: true }));
    mkdirSync(dirname(outfile), { recursive: true });
    await build({
      entryPoints: [join(ROOT, 'scripts', 'fuzz', 'child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile,
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

/**
 * A child process that reads files on request, under a budget.
 *
 * @example
 *   const pool = new ReaderPool({ timeMs: 2000, memoryMb: 256 });
 *   const v = await pool.read({ reader: 'readTiff', path: 'x.tif' });
 *   pool.close();
 */
export class ReaderPool {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private idleMb = 0;
  private peakMb = 0;
  private stderr = '';
  private nextId = 0;
  private pending: { id: number; done: (a: FuzzAnswer | { crash: string }) => void } | null = null;
  /** How many child processes were started (restarts after a timeout, crash or high memory). */
  starts = 0;

  constructor(readonly budget: Budget) {}

  private async start(): Promise<void> {
    const script = await bundleChild();
    // Address-space cap: Node's idle reservation (~0.8 GB) plus twice the budget and a margin.
    const capKb = Math.round((1024 + 2 * this.budget.memoryMb + 256) * 1024);
    const heapMb = Math.max(256, 2 * this.budget.memoryMb);
    const node = [process.execPath, `--max-old-space-size=${heapMb}`, script];
    // Windows has no ulimit: there only the measured peak and the heap limit guard the budget.
    const [cmd, ...args] = process.platform === 'win32' ? node : ['/bin/sh', '-c', `ulimit -v ${capKb} 2>/dev/null; exec "$0" "$@"`, ...node];
    const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.starts++;
    this.child = child;
    this.stderr = '';
    child.stderr!.on('data', (b: Buffer) => {
      this.stderr = (this.stderr + b.toString()).slice(-4000);
    });
    this.ready = new Promise<void>((ok, fail) => {
      const onFirst = (m: FuzzAnswer): void => {
        if (m.id === -1) {
          this.idleMb = m.maxRssMb;
          this.peakMb = m.maxRssMb;
          child.off('message', onFirst);
          child.on('message', (a: FuzzAnswer) => this.pending?.id === a.id && this.pending.done(a));
          ok();
        }
      };
      child.on('message', onFirst);
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        const why = `the reader process exited (code ${code}, signal ${signal}): ${this.stderr.trim().split('\n').slice(-3).join(' ')}`;
        fail(new Error(why));
        this.pending?.done({ crash: why });
      });
    });
    await this.ready;
  }

  private stop(): void {
    const c = this.child;
    this.child = null;
    if (c && c.exitCode === null) c.kill('SIGKILL');
  }

  /**
   * Reads one file in the child under the budget.
   *
   * @param req which reader, the path, reader options
   * @returns the verdict: ok (shape, dtype, canonical hash), error (message), timeout, memory or crash
   */
  async read(req: Omit<FuzzRequest, 'id'>): Promise<Verdict> {
    if (!this.child) await this.start();
    const child = this.child!;
    const id = this.nextId++;
    const t0 = performance.now();
    const answer = await new Promise<FuzzAnswer | { crash: string } | { timeout: true }>((done) => {
      const timer = setTimeout(() => done({ timeout: true }), this.budget.timeMs);
      this.pending = {
        id,
        done: (a) => {
          clearTimeout(timer);
          done(a);
        },
      };
      child.send({ ...req, id } satisfies FuzzRequest);
    });
    this.pending = null;
    if ('timeout' in answer) {
      this.stop();
      return { kind: 'timeout', ms: performance.now() - t0 };
    }
    if ('crash' in answer) {
      this.stop();
      return { kind: 'crash', detail: answer.crash };
    }
    // The child's peak since it started, above its idle level: an upper bound of this read's use
    // (the peak only grows), exact for the read that raised it.
    const used = Math.max(0, answer.maxRssMb - this.idleMb);
    const raisedPeak = answer.maxRssMb > this.peakMb + 1;
    this.peakMb = Math.max(this.peakMb, answer.maxRssMb);
    // The peak is process-wide and only grows: start afresh well before it nears the budget.
    if (used > this.budget.memoryMb / 2) this.stop();
    if (used > this.budget.memoryMb) return { kind: 'memory', memoryMb: used, detail: answer.kind === 'error' ? answer.message : `returned ${answer.dtype} [${answer.shape.join(', ')}]` };
    if (answer.kind === 'error' && /allocation failed|out of memory|Invalid typed array length|Array buffer/i.test(answer.message)) {
      this.stop();
      return { kind: 'memory', memoryMb: used, detail: answer.message };
    }
    return answer.kind === 'ok'
      ? { kind: 'ok', shape: answer.shape, dtype: answer.dtype, hash: answer.hash, ms: answer.ms, memoryMb: used, raisedPeak }
      : { kind: 'error', name: answer.name, message: answer.message, ms: answer.ms, memoryMb: used, raisedPeak };
  }

  /** Stops the child. */
  close(): void {
    this.stop();
  }
}

/**
 * True when an error is one of the readers' documented errors: an `Error` (not a TypeError or
 * RangeError from inside a decoder) whose message starts with the reader and the path, in the
 * library's style `readPng x.png: …`, and carries no JavaScript internals.
 */
export function isDocumentedError(reader: string, path: string, v: Verdict): boolean {
  if (v.kind !== 'error') return false;
  if (v.name !== 'Error') return false;
  if (!v.message.startsWith(`${reader} ${path}: `)) return false;
  return !/undefined|Cannot read prop|is not a function|Maximum call stack|\[object /.test(v.message.slice(reader.length + path.length + 2));
}
