/**
 * Histograms with numpy 1.24 semantics: `histogram` = `np.histogram(a, bins, range)`,
 * `histogram2d` = `np.histogram2d(x, y, bins, range)`.
 *
 * What "numpy semantics" means here, and how it is reproduced:
 * - Range: given, or the data's [min, max]; an empty range [v, v] becomes [v − 0.5, v + 0.5];
 *   a non-finite autodetected range is an error (NaN/inf in the data without a range).
 * - Edges: `np.linspace(first, last, bins + 1)` computed in float64 (start + i·step, the last
 *   edge exactly `last`). `np.histogram` then casts the edges to the data's float type, so for
 *   float32 data the edges are float32 values (returned widened to Float64Array, exact);
 *   `np.histogram2d` keeps float64 edges. Integer data uses float64 edges.
 * - Bins are half-open [e_i, e_{i+1}) except the last, which is closed; values outside the
 *   range (and NaN) are ignored. Each value's bin is found against the edge values themselves
 *   (like numpy's correction step and searchsorted), so edge cases match exactly.
 * - Explicit edges (a monotonically increasing array) are accepted for `bins` as in numpy.
 * Counts are returned as Float64Array (numpy: int64).
 */
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D } from '../core/types.js';

/** Values to histogram: an array, typed array, or `{data}` (NDArray). */
export type HistogramInput = ArrayLike<number> | ArrayLike2D;

function values(v: HistogramInput, fn: string): ArrayLike<number> {
  if (v && typeof v === 'object' && 'data' in v && 'shape' in v) return (v as ArrayLike2D).data;
  if (v && typeof (v as ArrayLike<number>).length === 'number') return v as ArrayLike<number>;
  throw new Error(`${fn}: values must be an array, a typed array or an NDArray`);
}

function outerEdges(a: ArrayLike<number>, range: readonly [number, number] | undefined, fn: string): [number, number] {
  // numpy takes min/max as scalars of the data's dtype: ±0.5 is then float32 arithmetic.
  const f32 = !range && a instanceof Float32Array;
  let first: number;
  let last: number;
  if (range) {
    [first, last] = range;
    if (!(first <= last)) throw new Error(`${fn}: max must be larger than min in range [${first}, ${last}]`);
    if (!Number.isFinite(first) || !Number.isFinite(last)) throw new Error(`${fn}: range [${first}, ${last}] is not finite`);
  } else if (a.length === 0) {
    first = 0;
    last = 1;
  } else {
    first = Infinity;
    last = -Infinity;
    let nan = false;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v < first) first = v;
      if (v > last) last = v;
      if (v !== v) nan = true;
    }
    if (nan || !Number.isFinite(first) || !Number.isFinite(last)) {
      throw new Error(`${fn}: autodetected range [${nan ? 'NaN' : first}, ${nan ? 'NaN' : last}] is not finite; pass a range`);
    }
  }
  if (first === last) {
    first = f32 ? Math.fround(first - 0.5) : first - 0.5;
    last = f32 ? Math.fround(last + 0.5) : last + 0.5;
  }
  return [first, last];
}

/** np.linspace(first, last, n + 1) in float64. */
function linspaceEdges(first: number, last: number, n: number, float32: boolean): Float64Array {
  const e = new Float64Array(n + 1);
  const delta = last - first;
  const step = delta / n;
  for (let i = 0; i <= n; i++) e[i] = step === 0 ? (i / n) * delta + first : i * step + first;
  e[n] = last;
  if (float32) for (let i = 0; i <= n; i++) e[i] = Math.fround(e[i]!);
  return e;
}

function checkEdges(e: ArrayLike<number>, fn: string): Float64Array {
  if (e.length < 2) throw new Error(`${fn}: bin edges need at least 2 values`);
  const out = Float64Array.from(e);
  for (let i = 1; i < out.length; i++) {
    if (!(out[i]! >= out[i - 1]!)) throw new Error(`${fn}: bins must increase monotonically`);
  }
  return out;
}

/** Bin index of v against edges (last bin closed), or −1 when outside. */
function binOf(edges: Float64Array, v: number): number {
  const n = edges.length - 1;
  if (!(v >= edges[0]! && v <= edges[n]!)) return -1;
  if (v === edges[n]) return n - 1;
  // upper bound: first edge > v
  let lo = 0;
  let hi = n + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Result of histogram. */
export interface HistogramResult {
  /** Count per bin (length bins). */
  counts: Float64Array;
  /** Bin edges (length bins + 1). */
  edges: Float64Array;
}

/**
 * Histogram like `np.histogram(values, bins, range)`.
 *
 * @param data values (array, typed array or NDArray, flattened)
 * @param bins number of equal-width bins (default 10) or the bin edges
 * @param range `[min, max]` (default: the data's range)
 * @returns `{counts, edges}`
 * @example
 *   const { counts, edges } = histogram(cross, 10);
 */
export function histogram(data: HistogramInput, bins: number | ArrayLike<number> = 10, range?: readonly [number, number]): HistogramResult {
  const a = values(data, 'histogram');
  const float32 = a instanceof Float32Array;
  let edges: Float64Array;
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
    const [first, last] = outerEdges(a, range, 'histogram');
    edges = linspaceEdges(first, last, bins, float32);
  } else {
    edges = checkEdges(bins, 'histogram');
  }
  const n = edges.length - 1;
  const counts = new Float64Array(n);
  const e0 = edges[0]!;
  const eN = edges[n]!;
  const uniform = typeof bins === 'number';
  const norm = n / (eN - e0);
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!(v >= e0 && v <= eN)) continue;
    let k: number;
    if (uniform) {
      // numpy's fast path: estimate, then correct against the edges themselves
      k = Math.floor((v - e0) * norm);
      if (k >= n) k = n - 1;
      if (k < 0) k = 0;
      while (k > 0 && v < edges[k]!) k--;
      while (k < n - 1 && v >= edges[k + 1]!) k++;
    } else {
      k = binOf(edges, v);
    }
    counts[k]!++;
  }
  return { counts, edges };
}

/** Result of histogram2d. */
export interface Histogram2dResult {
  /** Counts, shape `[xbins, ybins]` (x along axis 0, like numpy). */
  counts: NDArray<Float64Array>;
  xedges: Float64Array;
  yedges: Float64Array;
}

/**
 * Bivariate histogram like `np.histogram2d(x, y, bins, range)`.
 *
 * @param x first coordinate of each sample (counts axis 0)
 * @param y second coordinate (counts axis 1)
 * @param bins number of bins for both, `[nx, ny]`, or `[xedges, yedges]`
 * @param range `[[xmin, xmax], [ymin, ymax]]` (default: the data's ranges)
 * @returns `{counts: NDArray [nx, ny], xedges, yedges}`
 * @example
 *   const h = histogram2d(f, d, 100); // the lecture's (f, |f − median|) histogram
 *   const logH = h.counts.map((v) => Math.log(v + 1));
 */
export function histogram2d(
  x: HistogramInput,
  y: HistogramInput,
  bins: number | readonly [number, number] | readonly [ArrayLike<number>, ArrayLike<number>] = 10,
  range?: readonly [readonly [number, number], readonly [number, number]],
): Histogram2dResult {
  const xs = values(x, 'histogram2d');
  const ys = values(y, 'histogram2d');
  if (xs.length !== ys.length) throw new Error(`histogram2d: x and y differ in length (${xs.length} vs ${ys.length})`);
  const spec = typeof bins === 'number' ? [bins, bins] : bins;
  if (spec.length !== 2) throw new Error('histogram2d: bins must be a number, [nx, ny] or [xedges, yedges]');
  const edgesFor = (s: number | ArrayLike<number>, a: ArrayLike<number>, r: readonly [number, number] | undefined, name: string): Float64Array => {
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < 1) throw new Error(`histogram2d: ${name} bins must be a positive integer, got ${s}`);
      const [first, last] = outerEdges(a, r, 'histogram2d');
      return linspaceEdges(first, last, s, false);
    }
    return checkEdges(s, 'histogram2d');
  };
  const xe = edgesFor(spec[0]!, xs, range?.[0], 'x');
  const ye = edgesFor(spec[1]!, ys, range?.[1], 'y');
  const nx = xe.length - 1;
  const ny = ye.length - 1;
  const counts = new Float64Array(nx * ny);
  for (let i = 0; i < xs.length; i++) {
    const bx = binOf(xe, xs[i]!);
    if (bx < 0) continue;
    const by = binOf(ye, ys[i]!);
    if (by < 0) continue;
    counts[bx * ny + by]!++;
  }
  return { counts: new NDArray(counts, [nx, ny]), xedges: xe, yedges: ye };
}

