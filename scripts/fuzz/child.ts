/**
 * The child process of the reader fuzz harness (./harness.ts): reads files with the library's
 * readers on request and reports what happened. Bundled to plain JavaScript by the harness
 * (no tsx, no WebAssembly), so it runs under a hard `ulimit -v` memory cap.
 *
 * Protocol (Node IPC): the parent sends `{ id, reader, path, opts }`; the child answers
 * `{ id, kind: 'ok', shape, dtype, hash }` or `{ id, kind: 'error', message, name }`, each with
 * `ms` (time in the reader) and `maxRssMb` (the process's peak resident memory so far).
 *
 * Test infrastructure only: nothing in lib/ imports it.
 */
import { createHash } from 'node:crypto';
import { readFits } from '../../lib/io/fits.js';
import { readNpy } from '../../lib/io/npy.js';
import { readPng } from '../../lib/io/png.js';
import { readTiff } from '../../lib/io/tiff.js';

/** A request from the parent. */
export interface FuzzRequest {
  id: number;
  reader: 'readNpy' | 'readFits' | 'readPng' | 'readTiff';
  path: string;
  opts?: Record<string, unknown>;
}

/** The child's answer. */
export type FuzzAnswer =
  | { id: number; kind: 'ok'; shape: number[]; dtype: string; hash: string; ms: number; maxRssMb: number }
  | { id: number; kind: 'error'; name: string; message: string; ms: number; maxRssMb: number };

/**
 * SHA-256 of an image in a form any decoder can reproduce: the shape as JSON, then every value
 * as a little-endian float64 (NaN as one fixed bit pattern).
 */
export function canonicalHash(shape: readonly number[], data: ArrayLike<number>): string {
  const h = createHash('sha256').update(JSON.stringify(shape));
  const chunk = new Float64Array(65536);
  for (let o = 0; o < data.length; o += chunk.length) {
    const n = Math.min(chunk.length, data.length - o);
    for (let i = 0; i < n; i++) {
      const v = Number(data[o + i]);
      chunk[i] = Number.isNaN(v) ? NaN : v;
    }
    h.update(new Uint8Array(chunk.buffer, 0, n * 8));
  }
  return h.digest('hex');
}

const READERS = { readNpy, readFits, readPng, readTiff } as const;

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

if (typeof process.send === 'function') {
  process.on('message', (msg: FuzzRequest) => {
    const t0 = performance.now();
    let answer: FuzzAnswer;
    try {
      const read = READERS[msg.reader] as (p: string, o?: Record<string, unknown>) => { shape: number[]; dtype: string; data: ArrayLike<number> };
      const a = read(msg.path, msg.opts ?? {});
      const ms = performance.now() - t0;
      answer = { id: msg.id, kind: 'ok', shape: a.shape, dtype: a.dtype, hash: canonicalHash(a.shape, a.data), ms, maxRssMb: maxRssMb() };
    } catch (err) {
      const e = err as Error;
      answer = { id: msg.id, kind: 'error', name: e?.name ?? typeof err, message: String(e?.message ?? err), ms: performance.now() - t0, maxRssMb: maxRssMb() };
    }
    process.send!(answer);
  });
  process.send({ id: -1, kind: 'ok', shape: [], dtype: 'ready', hash: '', ms: 0, maxRssMb: maxRssMb() } satisfies FuzzAnswer);
}
