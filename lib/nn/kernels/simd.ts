/**
 * Loads the hand-written WebAssembly SIMD kernels (`./simd/kernels.c`, embedded as base64 in
 * `./simd-wasm.ts`) into the tfjs wasm backend's own linear memory.
 *
 * Why: XNNPACK (inside tfjs-backend-wasm) has no filter-gradient convolution, and a matrix
 * product with the huge reduction dimension that a filter gradient has (all pixels of the
 * batch) streams its operands from memory once per 4×8 output tile: memory-bound, 5 s of a
 * 9.5 s epoch. The kernel here walks the pixels in cache-sized chunks and keeps a 4×8 tile of
 * the gradient in SIMD registers, so it runs near the SIMD arithmetic limit. The module also
 * holds small kernels the wasm backend runs as scalar loops (column sums for bias gradients,
 * strided column copies for concatenation and its gradient, the 2×2 block sums of the
 * upsampling gradient, the max-pool gradient).
 *
 * The module imports the backend's memory, so pointers are tensors' memory offsets (no
 * copies). Two builds are embedded: one for the single-threaded tfjs builds (plain memory) and
 * one for the threaded build (shared memory). With shared memory a Node worker thread holds a
 * second instance on the same memory and takes half of the filter-gradient pixels (its own
 * accumulator, summed afterwards), so that kernel uses both cores as XNNPACK's pool does. The
 * hand-off is a futex on a small SharedArrayBuffer (Atomics.wait/notify): the kernels are
 * synchronous tfjs kernels, so the main thread blocks until the worker is done; until the
 * worker has started, the main thread does all the work (no deadlock).
 * When instantiation fails, `getSimdKernels` returns null and callers use their fallback path.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { SIMD_KERNELS_SHARED_WASM_BASE64, SIMD_KERNELS_WASM_BASE64 } from './simd-wasm.js';

/** Pointers are byte offsets in the wasm heap. */
export interface SimdKernels {
  /**
   * dw[kh,kw,ci,co8] += Σ_p x[p + i·wp + j, ci] · dy[p, co8] (see kernels.c). `dw2`, the same
   * size as dw and zeroed, lets a second thread accumulate half of the pixels (it is then added
   * into dw); pass -1 when there is none.
   */
  convBpfS1(x: number, dy: number, dw: number, dw2: number, np: number, wp: number, kh: number, kw: number, ci: number, co8: number): void;
  /** out[c] = Σ_r a[r, c]. */
  colSum(a: number, out: number, rows: number, cols: number): void;
  /** dx += max-pool gradient (first maximum of each window), see kernels.c. */
  maxPoolGrad(x: number, dy: number, dx: number, dims: readonly number[]): void;
  /** dst[r, dst0 + k] = src[r, src0 + k] for r < rows, k < ncols. */
  copyCols(src: number, dst: number, rows: number, srcCols: number, src0: number, dstCols: number, dst0: number, ncols: number): void;
  /** dx[n,h,w,c] = 2×2 block sums of dy[n,2h,2w,c]. */
  up2Grad(dy: number, dx: number, n: number, h: number, w: number, c: number): void;
  /** threads the filter gradient runs on (1, or 2 with the threaded build once its helper started) */
  threads(): number;
}

const cache = new WeakMap<object, SimdKernels | null>();
const req = createRequire(import.meta.url);

function findMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const mod = backend.wasm as unknown as { asm?: Record<string, unknown>; wasmMemory?: unknown };
  if (mod.wasmMemory instanceof WebAssembly.Memory) return mod.wasmMemory;
  for (const v of Object.values(mod.asm ?? {})) if (v instanceof WebAssembly.Memory) return v;
  return null;
}

/* Worker thread body: waits for a job in ctrl, runs conv_bpf_s1 on it, signals completion.
 * ctrl (Int32): [0] job flag (1 = job posted), [1] done flag, [2] ready, [3] status of the last
 * job (1 ok, 2 failed), [4..13] arguments. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const c = new Int32Array(ctrl);
const e = new WebAssembly.Instance(module, { env: { memory } }).exports;
Atomics.store(c, 2, 1);
for (;;) {
  Atomics.wait(c, 0, 0);
  if (Atomics.load(c, 0) === 2) break;
  const a = Array.from(c.subarray(4, 14), (v) => v >>> 0);
  let status = 1;
  try { e.conv_bpf_s1(...a); } catch { status = 2; }
  Atomics.store(c, 3, status);
  Atomics.store(c, 0, 0);
  Atomics.store(c, 1, 1);
  Atomics.notify(c, 1);
}
`;

interface Helper { ctrl: Int32Array; broken: boolean; ready(): boolean }

function startHelper(module: WebAssembly.Module, memory: WebAssembly.Memory): Helper | null {
  try {
    const { Worker } = req('node:worker_threads') as typeof import('node:worker_threads');
    const ctrl = new Int32Array(new SharedArrayBuffer(64));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctrl: ctrl.buffer } });
    worker.unref();
    let failed = false;
    worker.on('error', () => { failed = true; });
    worker.on('exit', () => { failed = true; });
    const helper: Helper = { ctrl, broken: false, ready: () => !failed && !helper.broken && Atomics.load(ctrl, 2) === 1 };
    return helper;
  } catch {
    return null;
  }
}

/**
 * The SIMD kernels bound to this wasm backend's memory, or null where they cannot run
 * (no SIMD, instantiation failure, NSEG_WASM_SIMD_KERNELS=0). With the threaded build (shared
 * memory) the filter gradient also uses a helper worker thread.
 *
 * @param backend - the active tfjs wasm backend
 * @returns the kernels or null
 * @example
 * const k = getSimdKernels(tf.backend() as BackendWasm);
 */
export function getSimdKernels(backend: BackendWasm): SimdKernels | null {
  const key = backend.wasm as unknown as object;
  if (cache.has(key)) return cache.get(key) ?? null;
  let result: SimdKernels | null = null;
  try {
    const memory = findMemory(backend);
    const disabled = typeof process !== 'undefined' && process.env?.NSEG_WASM_SIMD_KERNELS === '0';
    if (memory && !disabled) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const b64 = shared ? SIMD_KERNELS_SHARED_WASM_BASE64 : SIMD_KERNELS_WASM_BASE64;
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const module = new WebAssembly.Module(bytes);
      const inst = new WebAssembly.Instance(module, { env: { memory } });
      const e = inst.exports as Record<string, (...a: number[]) => void>;
      const helper = shared ? startHelper(module, memory) : null;
      const CHUNK = 256;
      const f32 = () => new Float32Array(memory.buffer);
      result = {
        convBpfS1: (x, dy, dw, dw2, np, wp, kh, kw, ci, co8) => {
          // Worth splitting only with enough pixels per thread (a few ms of work).
          if (!helper || dw2 < 0 || np < 4096 || !helper.ready()) {
            e.conv_bpf_s1(x, dy, dw, np, wp, kh, kw, ci, co8, CHUNK);
            return;
          }
          const half = Math.floor(np / 2);
          const c = helper.ctrl;
          c.set([x + half * ci * 4, dy + half * co8 * 4, dw2, np - half, wp, kh, kw, ci, co8, CHUNK], 4);
          Atomics.store(c, 1, 0);
          Atomics.store(c, 0, 1);
          Atomics.notify(c, 0);
          e.conv_bpf_s1(x, dy, dw, half, wp, kh, kw, ci, co8, CHUNK);
          while (Atomics.load(c, 1) === 0) Atomics.wait(c, 1, 0, 1000);
          if (Atomics.load(c, 3) !== 1) {
            // The helper failed (its partial sums are in dw2, discarded): do its half
            // here, straight into dw, and stop using it.
            helper.broken = true;
            e.conv_bpf_s1(x + half * ci * 4, dy + half * co8 * 4, dw, np - half, wp, kh, kw, ci, co8, CHUNK);
            return;
          }
          const heap = f32();
          const n = kh * kw * ci * co8;
          const a = dw >> 2, b = dw2 >> 2;
          for (let i = 0; i < n; i++) heap[a + i] += heap[b + i];
        },
        colSum: (a, out, rows, cols) => e.col_sum(a, out, rows, cols),
        maxPoolGrad: (x, dy, dx, dims) => e.max_pool_grad(x, dy, dx, ...dims),
        copyCols: (src, dst, rows, srcCols, src0, dstCols, dst0, ncols) => e.copy_cols(src, dst, rows, srcCols, src0, dstCols, dst0, ncols),
        up2Grad: (dy, dx, n, h, w, c) => e.up2_grad(dy, dx, n, h, w, c),
        threads: () => (helper?.ready() ? 2 : 1),
      };
    }
  } catch {
    result = null;
  }
  cache.set(key, result);
  return result;
}
