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
 *
 * This is the one histogram of the project: `Axes.hist` and `Axes.hist2d` (lib/plot) bin
 * through {@link histogramCounts} and {@link histogram2dCounts}, as matplotlib's calls
 * `np.histogram` and `np.histogram2d`; the only difference is matplotlib's own step before
 * it: `hist` takes its default range from the data without NaN (`nanmin`, `nanmax`), see
 * {@link nanRange}.
 */
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D } from '../core/types.js';

/** Values to histogram: an array, typed array, or `{data}` (NDArray). */
export type HistogramInput = ArrayLike<number> | ArrayLike2D;

/** The values of a histogram input (an NDArray's data, flattened), or an error naming `fn`. */
export function histogramValues(v: HistogramInput, fn: string): ArrayLike<number> {
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

/**
 * Bin of v among n equal bins from e0 to eN (`norm` = n / (eN − e0)), or −1 outside (NaN too):
 * numpy's fast path, an estimate corrected against the edge values themselves, so a value on
 * an edge lands where a search of the edges would put it. Small, so V8 inlines it in the loops.
 */
function equalBin(edges: Float64Array, n: number, e0: number, eN: number, norm: number, v: number): number {
  if (!(v >= e0 && v <= eN)) return -1;
  let k = Math.floor((v - e0) * norm);
  if (k >= n) k = n - 1;
  else if (k < 0) k = 0;
  while (k > 0 && v < edges[k]!) k--;
  while (k < n - 1 && v >= edges[k + 1]!) k++;
  return k;
}

/** Bin of v among explicit edges (half-open bins, the last one closed), or −1 outside (NaN too). */
function searchBin(edges: Float64Array, v: number): number {
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

/** One axis' binning: its edges and the bin of a value (equal bins: numpy's fast path; else a search). */
interface Binning {
  edges: Float64Array;
  bin: (v: number) => number;
}

/** Bin edges for one axis: `bins` equal bins over the range (numpy's linspace), or checked explicit edges. */
function binning(a: ArrayLike<number>, bins: number | ArrayLike<number>, range: readonly [number, number] | undefined, float32: boolean, fn: string, what = ''): Binning {
  if (typeof bins !== 'number') {
    const edges = checkEdges(bins, fn);
    return { edges, bin: (v) => searchBin(edges, v) };
  }
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`${fn}: ${what}bins must be a positive integer, got ${bins}`);
  const [first, last] = outerEdges(a, range, fn);
  const edges = linspaceEdges(first, last, bins, float32);
  const e0 = edges[0]!;
  const eN = edges[bins]!;
  const norm = bins / (eN - e0);
  return { edges, bin: (v) => equalBin(edges, bins, e0, eN, norm, v) };
}

/**
 * The range matplotlib's `hist` bins over when given a bin count and no range: the data's
 * minimum and maximum without NaN (`np.nanmin`, `np.nanmax`; infinities stay and make
 * `np.histogram` refuse the range). Undefined when no value is a number (then numpy's own
 * rule applies: [0, 1] for no data, an error for all NaN).
 */
export function nanRange(a: ArrayLike<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  let any = false;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v !== v) continue;
    any = true;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return any ? [lo, hi] : undefined;
}

/**
 * The histogram core: `np.histogram(a, bins, range)` on plain values, errors naming `fn`.
 * {@link histogram} and `Axes.hist` call it.
 */
export function histogramCounts(a: ArrayLike<number>, bins: number | ArrayLike<number>, range: readonly [number, number] | undefined, fn: string): HistogramResult {
  const { edges, bin } = binning(a, bins, range, a instanceof Float32Array, fn);
  const counts = new Float64Array(edges.length - 1);
  if (typeof bins === 'number') {
    // the hot case (images of millions of pixels): equalBin called directly, inlined
    const n = edges.length - 1;
    const e0 = edges[0]!;
    const eN = edges[n]!;
    const norm = n / (eN - e0);
    for (let i = 0; i < a.length; i++) {
      const k = equalBin(edges, n, e0, eN, norm, a[i]!);
      if (k >= 0) counts[k]!++;
    }
  } else {
    for (let i = 0; i < a.length; i++) {
      const k = bin(a[i]!);
      if (k >= 0) counts[k]!++;
    }
  }
  return { counts, edges };
}

/**
 * The 2-D histogram core: `np.histogram2d(x, y, bins, range)` on plain values, counts
 * `[nx, ny]` row-major, errors naming `fn`. {@link histogram2d} and `Axes.hist2d` call it.
 */
export function histogram2dCounts(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  bins: number | readonly [number, number] | readonly [ArrayLike<number>, ArrayLike<number>],
  range: readonly [readonly [number, number], readonly [number, number]] | undefined,
  fn: string,
): { counts: Float64Array; xedges: Float64Array; yedges: Float64Array } {
  if (xs.length !== ys.length) throw new Error(`${fn}: x and y differ in length (${xs.length} vs ${ys.length})`);
  const spec = typeof bins === 'number' ? [bins, bins] : bins;
  if (spec.length !== 2) throw new Error(`${fn}: bins must be a number, [nx, ny] or [xedges, yedges]`);
  // np.histogram2d keeps float64 edges whatever the data type
  const bx = binning(xs, spec[0]!, range?.[0], false, fn, 'x ');
  const by = binning(ys, spec[1]!, range?.[1], false, fn, 'y ');
  const nx = bx.edges.length - 1;
  const ny = by.edges.length - 1;
  const counts = new Float64Array(nx * ny);
  for (let i = 0; i < xs.length; i++) {
    const kx = bx.bin(xs[i]!);
    if (kx < 0) continue;
    const ky = by.bin(ys[i]!);
    if (ky < 0) continue;
    counts[kx * ny + ky]!++;
  }
  return { counts, xedges: bx.edges, yedges: by.edges };
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
  return histogramCounts(histogramValues(data, 'histogram'), bins, range, 'histogram');
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
  const h = histogram2dCounts(histogramValues(x, 'histogram2d'), histogramValues(y, 'histogram2d'), bins, range, 'histogram2d');
  return { counts: new NDArray(h.counts, [h.xedges.length - 1, h.yedges.length - 1]), xedges: h.xedges, yedges: h.yedges };
}
