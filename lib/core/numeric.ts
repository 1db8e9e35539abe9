/**
 * numpy's small array builders that the lecture's cells call: evenly spaced numbers
 * (`linspace`), coordinate grids (`meshgrid`), correlation matrices (`corrcoef`) and feature
 * matrices from columns (`columnStack`).
 *
 * Design: each function does what its numpy namesake does for the 1-D and 2-D cases the
 * notebooks need (no broadcasting of higher dimensions) and returns an {@link NDArray}, so a
 * cell reads like the Python original instead of hand-written loops. Sums run in float64;
 * results are float64 except `columnStack`, which returns float32 feature matrices (what the
 * classifiers and k-means take).
 */
import { NDArray } from './ndarray.js';
import type { ArrayLike2D } from './types.js';

/** A 1-D input: a plain or typed array, or a 1-D `{ data, shape }`. */
type Vector = ArrayLike<number> | ArrayLike2D;

function values(v: Vector, fn: string, what: string): ArrayLike<number> {
  if (v && typeof v === 'object' && 'shape' in v && 'data' in v) {
    const nonUnit = v.shape.filter((s) => s !== 1);
    if (nonUnit.length > 1) throw new Error(`${fn}: ${what} must be 1-D, got shape [${v.shape.join(', ')}]`);
    return v.data;
  }
  if (!v || typeof (v as ArrayLike<number>).length !== 'number') throw new Error(`${fn}: ${what} must be an array of numbers`);
  return v as ArrayLike<number>;
}

/**
 * `num` evenly spaced numbers from `start` to `stop`, both included (numpy's `linspace`).
 *
 * @param start first value
 * @param stop last value
 * @param num how many (≥ 1; default 50)
 * @returns float64 [num]
 * @example
 *   linspace(-2 * Math.PI, 2 * Math.PI, 11);   // the introduction's grid: (-5 … 5) / 5 · 2π
 */
export function linspace(start: number, stop: number, num = 50): NDArray<Float64Array> {
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new Error(`linspace: start and stop must be finite numbers, got ${start} and ${stop}`);
  if (!Number.isInteger(num) || num < 1) throw new Error(`linspace: num must be an integer ≥ 1, got ${num}`);
  const out = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  return new NDArray(out, [num]);
}

/**
 * Coordinate grids from two axes (numpy's `meshgrid`). With `indexing: 'xy'` (the default)
 * both grids are [y.length, x.length]: X varies along a row, Y down a column, as an image.
 * With 'ij' they are [x.length, y.length] and X varies down a column.
 *
 * @param x values along the first axis
 * @param y values along the second axis
 * @param opts indexing 'xy' (default) or 'ij'
 * @returns [X, Y], float64
 * @example
 *   const [xx, yy] = meshgrid(linspace(0, 1, 3), linspace(0, 1, 2));   // xx.shape: [2, 3]
 */
export function meshgrid(x: Vector, y: Vector, opts: { indexing?: 'xy' | 'ij' } = {}): [NDArray<Float64Array>, NDArray<Float64Array>] {
  const xs = values(x, 'meshgrid', 'x');
  const ys = values(y, 'meshgrid', 'y');
  const indexing = opts.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw new Error(`meshgrid: indexing must be 'xy' or 'ij', got '${String(indexing)}'`);
  const nx = xs.length, ny = ys.length;
  const X = new Float64Array(nx * ny);
  const Y = new Float64Array(nx * ny);
  if (indexing === 'xy') {
    for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) { X[r * nx + c] = xs[c]!; Y[r * nx + c] = ys[r]!; }
    return [new NDArray(X, [ny, nx]), new NDArray(Y, [ny, nx])];
  }
  for (let r = 0; r < nx; r++) for (let c = 0; c < ny; c++) { X[r * ny + c] = xs[r]!; Y[r * ny + c] = ys[c]!; }
  return [new NDArray(X, [nx, ny]), new NDArray(Y, [nx, ny])];
}

/**
 * Pearson correlation coefficients between variables (numpy's `corrcoef`): each row is one
 * variable, each column one observation. A constant row has no defined correlation (NaN).
 *
 * @param rows [n variables, m observations] as an NDArray / `{ data, shape }` or number[][]
 * @returns float64 [n, n], 1 on the diagonal
 * @example
 *   corrcoef(kmeans(spectra, 10).centroids);   // how alike the centroid spectra are
 */
export function corrcoef(rows: ArrayLike2D | readonly (readonly number[])[]): NDArray<Float64Array> {
  let n: number, m: number, get: (i: number, j: number) => number;
  if (Array.isArray(rows)) {
    const list = rows as readonly (readonly number[])[];
    n = list.length;
    m = n ? list[0]!.length : 0;
    if (list.some((r) => r.length !== m)) throw new Error('corrcoef: all rows must have the same length');
    get = (i, j) => list[i]![j]!;
  } else {
    const a = rows as ArrayLike2D;
    if (a.shape.length !== 2) throw new Error(`corrcoef: expected a 2-D array [variables, observations], got shape [${a.shape.join(', ')}]`);
    [n, m] = a.shape as [number, number];
    get = (i, j) => a.data[i * m + j]!;
  }
  if (n < 1 || m < 2) throw new Error(`corrcoef: need at least one variable and two observations, got ${n} × ${m}`);
  const centred = new Float64Array(n * m);
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += get(i, j);
    const mean = s / m;
    let ss = 0;
    for (let j = 0; j < m; j++) {
      const d = get(i, j) - mean;
      centred[i * m + j] = d;
      ss += d * d;
    }
    norm[i] = Math.sqrt(ss);
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += centred[i * m + j]! * centred[k * m + j]!;
      // clip as numpy does: rounding may give |r| a hair above 1
      const r = Math.max(-1, Math.min(1, s / (norm[i]! * norm[k]!)));
      out[i * n + k] = r;
      out[k * n + i] = r;
    }
  }
  return new NDArray(out, [n, n]);
}

/**
 * Puts columns side by side into one feature matrix (numpy's `column_stack`): each 1-D
 * argument becomes one column, each 2-D argument [n, d] contributes its d columns.
 *
 * @param parts columns (1-D, length n) or matrices ([n, d]), all with the same n
 * @returns float32 [n, total columns]
 * @throws Error naming the argument whose length differs
 * @example
 *   const X = columnStack(f.data, d.data);   // one row (f, d) per pixel, for k-NN
 */
export function columnStack(...parts: (Vector | ArrayLike2D)[]): NDArray<Float32Array> {
  if (parts.length === 0) throw new Error('columnStack: give at least one column');
  const cols = parts.map((p, k) => {
    if (p && typeof p === 'object' && 'shape' in p && 'data' in p && p.shape.length === 2) {
      return { data: p.data, n: p.shape[0]!, d: p.shape[1]! };
    }
    const v = values(p as Vector, 'columnStack', `argument ${k + 1}`);
    return { data: v, n: v.length, d: 1 };
  });
  const n = cols[0]!.n;
  cols.forEach((c, k) => {
    if (c.n !== n) throw new Error(`columnStack: argument ${k + 1} has ${c.n} rows, the first has ${n}`);
  });
  const width = cols.reduce((s, c) => s + c.d, 0);
  const out = new Float32Array(n * width);
  let at = 0;
  for (const c of cols) {
    for (let i = 0; i < n; i++) for (let j = 0; j < c.d; j++) out[i * width + at + j] = c.data[i * c.d + j]!;
    at += c.d;
  }
  return new NDArray(out, [n, width]);
}
