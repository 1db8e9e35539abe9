/**
 * Internal helpers of the filters (not re-exported from lib/index.ts): argument checks,
 * dtype lookup, band-by-band application, and scikit-image's `img_as_float`.
 */
import { NDArray, allocate } from '../core/ndarray.js';
import { DTYPES, arrayDtype } from '../core/types.js';
import type { ArrayLike2D, DType, NumericArray } from '../core/types.js';

/** The dtype of any `{data, shape}` (an NDArray's own dtype, else from the typed array): core's {@link arrayDtype}. */
export function dtypeOf(a: ArrayLike2D): DType {
  return arrayDtype(a);
}

/** Checks a 2-D image argument; returns [rows, cols]. */
export function check2D(image: ArrayLike2D, fn: string): [number, number] {
  if (!image || !image.data || !image.shape) throw new Error(`${fn}: image must be an NDArray or {data, shape}`);
  if (image.shape.length !== 2) throw new Error(`${fn}: image must be 2-D [rows, cols], got shape [${image.shape.join(', ')}]`);
  const [R, C] = image.shape as [number, number];
  if (image.data.length !== R * C) throw new Error(`${fn}: data has ${image.data.length} elements but shape [${R}, ${C}] needs ${R * C}`);
  return [R, C];
}

/** Applies a 2-D filter to each band of a [rows, cols, bands] stack. */
export function perBand(image: ArrayLike2D, fn: (band: NDArray) => NDArray): NDArray {
  const [R, C, B] = image.shape as [number, number, number];
  const src = NDArray.from(image);
  let out: NumericArray | undefined;
  let dtype: DType = 'float32';
  for (let b = 0; b < B; b++) {
    const res = fn(src.channel(b));
    if (!out) {
      dtype = res.dtype;
      out = allocate(dtype, R * C * B);
    }
    const d = res.data;
    for (let i = 0; i < R * C; i++) out[i * B + b] = d[i]!;
  }
  return new NDArray(out ?? allocate(dtype, 0), [R, C, B], dtype);
}

/**
 * scikit-image's `img_as_float`: float32/float64 pass through unchanged (no copy); unsigned
 * integers are multiplied by 1/(their dtype's maximum) (uint16 65535 → 1.0), signed integers too and
 * clipped at −1; bool becomes 0/1. Integer results are float64 like scikit-image's.
 */
export function imgAsFloat(image: ArrayLike2D): NDArray<Float32Array | Float64Array> {
  const d = image.data;
  if (d instanceof Float32Array || d instanceof Float64Array) return new NDArray(d, image.shape);
  const dtype = dtypeOf(image);
  const out = new Float64Array(d.length);
  if (dtype === 'bool') {
    for (let i = 0; i < d.length; i++) out[i] = d[i] ? 1 : 0;
  } else {
    const info = DTYPES[dtype];
    if (info.kind !== 'int' && info.kind !== 'uint') throw new Error(`imgAsFloat: unsupported dtype ${dtype}`);
    const max = info.max;
    const signed = info.kind === 'int';
    const scale = 1 / max; // scikit-image multiplies by 1/imax (not x/imax; differs in the last bit)
    for (let i = 0; i < d.length; i++) {
      const v = d[i]! * scale;
      out[i] = signed && v < -1 ? -1 : v;
    }
  }
  return new NDArray(out, image.shape);
}
