/**
 * Loads the hand-written WebAssembly SIMD kernels (`./simd/kernels.c`, embedded as base64 in
 * `./simd-wasm.ts`) into the tfjs wasm backend's own linear memory.
 *
 * Why: XNNPACK (inside tfjs-backend-wasm) has no filter-gradient convolution, and a matrix
 * product with the huge reduction dimension that a filter gradient has (all pixels of the
 * batch) streams its operands from memory once per 4×8 output tile: memory-bound, 5 s of a
 * 9.5 s epoch. The kernel here walks the pixels in cache-sized chunks and keeps a 4×8 tile of
 * the gradient in SIMD registers, so it runs near the SIMD arithmetic limit.
 *
 * The module imports the backend's memory, so pointers are tensors' memory offsets (no
 * copies). It is only used with the single-threaded wasm builds (non-shared memory); when
 * the memory is shared (threaded build) or instantiation fails, `getSimdKernels` returns null
 * and callers use their XNNPACK-based path.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SIMD_KERNELS_WASM_BASE64 } from './simd-wasm.js';

/** Pointers are byte offsets in the wasm heap. */
export interface SimdKernels {
  /** dw[kh,kw,ci,co8] += Σ_p x[p + i·wp + j, ci] · dy[p, co8] (see kernels.c). */
  convBpfS1(x: number, dy: number, dw: number, np: number, wp: number, kh: number, kw: number, ci: number, co8: number): void;
  /** out[c] = Σ_r a[r, c]. */
  colSum(a: number, out: number, rows: number, cols: number): void;
  /** dx += max-pool gradient (first maximum of each window), see kernels.c. */
  maxPoolGrad(x: number, dy: number, dx: number, dims: readonly number[]): void;
}

const cache = new WeakMap<object, SimdKernels | null>();

function findMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const mod = backend.wasm as unknown as { asm?: Record<string, unknown>; wasmMemory?: unknown };
  if (mod.wasmMemory instanceof WebAssembly.Memory) return mod.wasmMemory;
  for (const v of Object.values(mod.asm ?? {})) if (v instanceof WebAssembly.Memory) return v;
  return null;
}

/**
 * The SIMD kernels bound to this wasm backend's memory, or null where they cannot run
 * (no SIMD, shared memory of the threaded build, NSEG_WASM_SIMD_KERNELS=0).
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
    if (memory && !disabled && !(memory.buffer instanceof SharedArrayBuffer)) {
      const bytes = Uint8Array.from(atob(SIMD_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
      const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      const e = inst.exports as Record<string, (...a: number[]) => void>;
      const CHUNK = 256;
      result = {
        convBpfS1: (x, dy, dw, np, wp, kh, kw, ci, co8) => e.conv_bpf_s1(x, dy, dw, np, wp, kh, kw, ci, co8, CHUNK),
        colSum: (a, out, rows, cols) => e.col_sum(a, out, rows, cols),
        maxPoolGrad: (x, dy, dx, dims) => e.max_pool_grad(x, dy, dx, ...dims),
      };
    }
  } catch {
    result = null;
  }
  cache.set(key, result);
  return result;
}
