/**
 * What every writer (writeNpy, writeFits, writePng) checks before it encodes: a writer must
 * refuse what it could not read back. Internal: not part of the public API.
 *
 * - The shape must be whole numbers ≥ 0 whose product is the number of elements (a shape of
 *   `[2.5, 2]` once produced an NPY file that neither readNpy nor numpy could open).
 * - The declared dtype (an NDArray's `dtype`, else the typed array's) must be able to hold every
 *   value: NaN, ±Infinity, fractions or out-of-range values into an integer dtype are refused
 *   (writeFits once wrapped `[NaN, 70000, -5]` into uint16 `[32768, 4464, 65531]`), unless the
 *   caller passes `{ clip: true }`: then values are rounded to the nearest integer and clipped
 *   to the dtype's range, NaN becoming 0 — a decision made on purpose, never silently.
 * - Bool arrays follow numpy's `astype(bool)`: every non-zero value is true.
 *
 * The result is the data as the dtype's own typed array (the input itself when it already is
 * one), so the encoders never reinterpret bytes of another element type.
 */
import { DTYPES, arrayDtype, typedArrayDtype } from '../core/types.js';
import type { ArrayLike2D, DType, NumericArray } from '../core/types.js';

/** The option every writer takes about values its dtype cannot hold. */
export interface ClipOption {
  /**
   * Round to the nearest integer and clip to the dtype's range (NaN → 0) instead of refusing
   * values an integer dtype cannot hold. Default false: such values are an error.
   */
  clip?: boolean;
}

/** A writer's checked input. */
export interface WritableData {
  dtype: DType;
  data: NumericArray;
  shape: number[];
}

function isTypedArray(v: unknown): v is NumericArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(typeof BigInt64Array !== 'undefined' && (v instanceof BigInt64Array || v instanceof BigUint64Array));
}

/**
 * Checks a writer's array and returns its data as the declared dtype's typed array.
 *
 * @param fn the writer's name for messages ('writeNpy', 'writeFits', 'writePng')
 * @param array the array to write
 * @param opts `{ clip }`
 * @returns the dtype, the data (typed as the dtype) and the shape
 */
export function writableData(fn: string, array: ArrayLike2D, opts: ClipOption = {}): WritableData {
  if (!array || typeof array !== 'object' || !isTypedArray(array.data) || !Array.isArray(array.shape)) {
    throw new Error(`${fn}: the array must be an NDArray or {data: typed array, shape: number[]}`);
  }
  const shape = [...array.shape];
  if (shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw new Error(`${fn}: shape must be whole numbers >= 0, got [${shape.join(', ')}]`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== n) throw new Error(`${fn}: data has ${array.data.length} elements but shape [${shape.join(', ')}] needs ${n}`);
  const dtype = arrayDtype(array, fn);
  const info = DTYPES[dtype];
  const src = array.data;
  const clip = opts.clip === true;
  if (dtype === 'bool') {
    let clean = true;
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      if (v !== 0 && v !== 1) {
        clean = false;
        break;
      }
    }
    if (clean && src instanceof Uint8Array) return { dtype, data: src, shape };
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
    return { dtype, data: out, shape };
  }
  const srcType = typedArrayDtype(src, fn);
  if (srcType === dtype) {
    // Same element type: every value fits by construction (a Uint8ClampedArray is viewed as uint8).
    return { dtype, data: src instanceof info.array ? src : new info.array(src.buffer, src.byteOffset, n), shape };
  }
  const out = new info.array(n);
  const integer = info.kind === 'int' || info.kind === 'uint';
  let bad = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    let v = src[i]!;
    const fits = integer ? Number.isInteger(v) && v >= info.min && v <= info.max : !Number.isFinite(v) || (v >= info.min && v <= info.max);
    if (!fits) {
      if (!clip) {
        if (first < 0) first = i;
        bad++;
        continue;
      }
      if (Number.isNaN(v)) v = 0;
      else v = Math.min(info.max, Math.max(info.min, integer ? Math.round(v) : v));
    }
    out[i] = v;
  }
  if (bad > 0) {
    const v = src[first]!;
    const what = integer ? `whole numbers from ${info.min} to ${info.max}` : `values from ${info.min} to ${info.max}`;
    throw new Error(
      `${fn}: dtype ${dtype} holds ${what}, but the data has ${bad} value(s) it cannot hold (the first, ${v}, at flat index ${first}); ` +
        `convert the data first, or pass { clip: true } to round and clip (NaN becomes 0)`,
    );
  }
  return { dtype, data: out, shape };
}
