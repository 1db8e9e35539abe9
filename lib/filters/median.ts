/**
 * Median filter with scikit-image 0.19 semantics: `skimage.filters.median(image,
 * footprint=np.ones((size, size)))`, which calls `scipy.ndimage.median_filter(image,
 * footprint, mode='nearest')`. Edges replicate the nearest pixel; the output has the input's
 * dtype; every output value is one of the input values (exact match with scikit-image).
 *
 * Algorithms:
 * - 3×3: the column-sort identity. Sort each window column (3 values) once per row and reuse
 *   it for the three windows that contain it; then median9 = med3(max of the column minima,
 *   med3 of the column medians, min of the column maxima). About 18 compare-selects per
 *   pixel instead of sorting 9 values; each column triple is sorted once for three windows.
 * - Larger odd sizes k: per output row, a sorted window (k² values, Float64Array) that slides
 *   one column at a time: each step replaces the k values of the leaving column by those of
 *   the entering column (binary search + one memmove-like shift per value), and the median is
 *   the middle element. O(k·(log k + k²/3)) per pixel in the worst case but the shifts are
 *   short copies; faster than a per-pixel quickselect for k ≤ 15 in our measurements.
 *
 * NaN: scipy's result with NaNs depends on its selection order and is not reproduced; images
 * with NaN should be cleaned first.
 */
import { NDArray, allocate } from '../core/ndarray.js';
import type { ArrayLike2D, NumericArray } from '../core/types.js';
import { check2D, dtypeOf, perBand } from './util.js';

/** 3×3 median, nearest-edge. */
function median3x3(src: NumericArray, R: number, C: number, out: NumericArray): void {
  // Column-sorted triples for columns -1..C (padded with nearest), per current row.
  const lo = new Float64Array(C + 2);
  const mi = new Float64Array(C + 2);
  const hi = new Float64Array(C + 2);
  for (let r = 0; r < R; r++) {
    const a0 = (r > 0 ? r - 1 : 0) * C;
    const b0 = r * C;
    const c0 = (r < R - 1 ? r + 1 : R - 1) * C;
    for (let c = 0; c < C; c++) {
      let x = src[a0 + c]!;
      let y = src[b0 + c]!;
      const z = src[c0 + c]!;
      // sort x, y, z
      if (x > y) {
        const t = x;
        x = y;
        y = t;
      }
      // x <= y
      let m: number;
      let h: number;
      if (z >= y) {
        m = y;
        h = z;
      } else {
        h = y;
        if (z >= x) m = z;
        else {
          m = x;
          x = z;
        }
      }
      lo[c + 1] = x;
      mi[c + 1] = m;
      hi[c + 1] = h;
    }
    lo[0] = lo[1]!;
    mi[0] = mi[1]!;
    hi[0] = hi[1]!;
    lo[C + 1] = lo[C]!;
    mi[C + 1] = mi[C]!;
    hi[C + 1] = hi[C]!;
    let l0 = lo[0]!;
    let l1 = lo[1]!;
    let m0 = mi[0]!;
    let m1 = mi[1]!;
    let h0 = hi[0]!;
    let h1 = hi[1]!;
    for (let c = 0; c < C; c++) {
      const l2 = lo[c + 2]!;
      const m2 = mi[c + 2]!;
      const h2 = hi[c + 2]!;
      // max of minima
      let A = l0 > l1 ? l0 : l1;
      if (l2 > A) A = l2;
      // min of maxima
      let Cc = h0 < h1 ? h0 : h1;
      if (h2 < Cc) Cc = h2;
      // median of medians
      let B: number;
      if (m0 < m1) {
        B = m2 < m0 ? m0 : m2 < m1 ? m2 : m1;
      } else {
        B = m2 < m1 ? m1 : m2 < m0 ? m2 : m0;
      }
      // med3(A, B, Cc)
      let v: number;
      if (A < B) {
        v = Cc < A ? A : Cc < B ? Cc : B;
      } else {
        v = Cc < B ? B : Cc < A ? Cc : A;
      }
      out[b0 + c] = v;
      l0 = l1;
      l1 = l2;
      m0 = m1;
      m1 = m2;
      h0 = h1;
      h1 = h2;
    }
  }
}

/** Index of the first element > v in sorted[0..n). */
function upperBound(sorted: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of an element equal to v in sorted[0..n) (it must be present). */
function findEqual(sorted: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Odd k×k median, nearest-edge, sliding sorted window per row. */
function medianKxK(src: NumericArray, R: number, C: number, k: number, out: NumericArray): void {
  const h = (k - 1) >> 1;
  const n = k * k;
  const mid = (n - 1) >> 1;
  const win = new Float64Array(n);
  // Row offsets of the k window rows (nearest-clamped), and clamped column index map.
  const rowOff = new Int32Array(k);
  const colIdx = new Int32Array(C + 2 * h);
  for (let j = 0; j < C + 2 * h; j++) colIdx[j] = Math.min(C - 1, Math.max(0, j - h));
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < k; i++) rowOff[i] = Math.min(R - 1, Math.max(0, r - h + i)) * C;
    // Initial window for c = 0: padded columns 0..k-1.
    let m = 0;
    for (let i = 0; i < k; i++) {
      const ro = rowOff[i]!;
      for (let j = 0; j < k; j++) win[m++] = src[ro + colIdx[j]!]!;
    }
    win.sort();
    out[r * C] = win[mid]!;
    for (let c = 1; c < C; c++) {
      const leave = colIdx[c - 1]!;
      const enter = colIdx[c - 1 + k]!;
      if (leave === enter) {
        out[r * C + c] = win[mid]!;
        continue;
      }
      for (let i = 0; i < k; i++) {
        const ro = rowOff[i]!;
        const vOut = src[ro + leave]!;
        const vIn = src[ro + enter]!;
        if (vOut === vIn) continue;
        let p = findEqual(win, n, vOut);
        if (vIn > vOut) {
          // shift left the elements in (p, q) where q = first index with win > vIn
          const q = upperBound(win, n, vIn);
          win.copyWithin(p, p + 1, q);
          win[q - 1] = vIn;
        } else {
          // vIn < vOut: q = first index with win > vIn... insert before it
          const q = upperBound(win, p, vIn);
          win.copyWithin(q + 1, q, p);
          win[q] = vIn;
          p = q;
        }
      }
      out[r * C + c] = win[mid]!;
    }
  }
}

/**
 * Median filter over an odd size×size square, like `skimage.filters.median(image,
 * np.ones((size, size)))` (scipy.ndimage.median_filter, mode 'nearest').
 *
 * @param image 2-D image `[rows, cols]` (any dtype), or a 3-D stack `[rows, cols, bands]`
 *   filtered band by band
 * @param size odd window width (default 3)
 * @returns a new image with the input's dtype and shape
 * @example
 *   const f = asFloat32(readFits('data/spots/mixture12_00001.fits'));
 *   const m = medianFilter(f, 3);
 */
export function medianFilter(image: ArrayLike2D, size = 3): NDArray {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new Error(`medianFilter: size must be a positive odd integer, got ${size}`);
  }
  if (image && image.shape && image.shape.length === 3) return perBand(image, (b) => medianFilter(b, size));
  const [R, C] = check2D(image, 'medianFilter');
  const dtype = dtypeOf(image);
  const out = allocate(dtype, R * C);
  if (R * C === 0) return new NDArray(out, [R, C], dtype);
  if (size === 1) out.set(image.data as ArrayLike<number>);
  else if (size === 3) median3x3(image.data, R, C, out);
  else medianKxK(image.data, R, C, size, out);
  return new NDArray(out, [R, C], dtype);
}
