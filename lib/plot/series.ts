/**
 * The data a drawing call accepts, made uniform: plain arrays, typed arrays and 1-D
 * `{ data, shape }` objects (NDArray) become Float64Array series; a 2-D `[n, k]` y becomes
 * k columns, as matplotlib's `plot(Y)` draws.
 *
 * Design: copies to float64 once at the drawing call, so layout and rendering never look
 * at the caller's array again (the caller may change it after drawing).
 */
import type { ArrayLike2D } from '../core/types.js';
import type { Series } from './types.js';

/** True for `{ data, shape }` objects (NDArray, typed matrices). */
export function isArrayLike2D(v: unknown): v is ArrayLike2D {
  return typeof v === 'object' && v !== null && 'data' in v && 'shape' in v;
}

/** True for a number array, a typed array or a `{ data, shape }`. */
export function isSeries(v: unknown): v is Series {
  if (isArrayLike2D(v)) return true;
  return (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number')) || ArrayBuffer.isView(v);
}

/** Copies a series to Float64Array (a `{data, shape}` must be 1-D or have one column). */
export function toF64(v: Series, what: string): Float64Array {
  if (isArrayLike2D(v)) {
    const nonUnit = v.shape.filter((s) => s !== 1).length;
    if (nonUnit > 1) throw new Error(`${what}: expected a 1-D series, got shape [${v.shape.join(', ')}]`);
    return Float64Array.from(v.data as ArrayLike<number>);
  }
  if (!(Array.isArray(v) || ArrayBuffer.isView(v))) throw new Error(`${what}: expected an array of numbers`);
  return Float64Array.from(v as ArrayLike<number>);
}

/** Splits y into series: a 2-D `{data, shape: [n, k]}` gives k columns (matplotlib's plot(Y)). */
export function toSeriesList(v: Series, what: string): Float64Array[] {
  if (isArrayLike2D(v) && v.shape.length === 2 && v.shape[0] > 1 && v.shape[1] > 1) {
    const [n, k] = v.shape;
    const out: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = v.data[i * k + j];
      out.push(col);
    }
    return out;
  }
  return [toF64(v, what)];
}
