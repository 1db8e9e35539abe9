/**
 * Small synthetic data of the lecture's first parts: Gaussian blobs with scikit-learn's
 * `make_blobs` semantics, and the noisy "cross" test image of the introduction.
 *
 * Design: `makeBlobs` follows make_blobs step by step (centres uniform in `centerBox`,
 * samples split evenly over the centres with the remainder going to the first ones,
 * Gaussian scatter, then a shuffle), but draws from this library's seeded Rng, so the
 * numbers are not numpy's bytes for the same seed — the statistics and the shapes are.
 */
import { NDArray } from '../core/ndarray.js';
import { Rng, deriveSeed } from './random.js';

/** Options of makeBlobs (scikit-learn's names in camelCase). */
export interface BlobOptions {
  /** Number of centres (or explicit centres, one row each). Default 3. */
  centers?: number | readonly (readonly number[])[];
  /** Features per sample (ignored when centres are given). Default 2. */
  nFeatures?: number;
  /** Standard deviation of each blob. Default 1. */
  clusterStd?: number;
  /** Box of the random centres. Default [-10, 10]. */
  centerBox?: [number, number];
  /** Shuffle the samples. Default true. */
  shuffle?: boolean;
  /** Seed (scikit-learn's random_state). Default 2018. */
  seed?: number;
}

/** Samples, labels and centres. */
export interface Blobs {
  /** float64 [n, nFeatures]. */
  X: NDArray<Float64Array>;
  /** Blob index of each sample. */
  y: Int32Array;
  /** The centres used, one row each. */
  centers: number[][];
}

/**
 * Isotropic Gaussian blobs for clustering (scikit-learn `make_blobs` semantics).
 *
 * @param n number of samples
 * @param opts `{centers = 3, nFeatures = 2, clusterStd = 1, centerBox = [-10, 10],
 *   shuffle = true, seed = 2018}`
 * @returns `{X: float64 [n, nFeatures], y: Int32Array, centers}`
 * @example
 *   const { X, y } = makeBlobs(200, { centers: 3, nFeatures: 2, seed: 2018 });
 *   X.shape; // [200, 2]
 */
export function makeBlobs(n: number, opts: BlobOptions = {}): Blobs {
  if (!Number.isInteger(n) || n < 1) throw new Error(`makeBlobs: n must be a positive integer, got ${n}`);
  const rng = new Rng(deriveSeed(opts.seed ?? 2018, 'blobs'));
  const std = opts.clusterStd ?? 1;
  if (!(std >= 0)) throw new Error(`makeBlobs: clusterStd must be ≥ 0, got ${std}`);
  const [lo, hi] = opts.centerBox ?? [-10, 10];
  if (!(hi > lo)) throw new Error(`makeBlobs: centerBox must be [low, high] with low < high, got [${lo}, ${hi}]`);
  let centers: number[][];
  const spec = opts.centers ?? 3;
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 1) throw new Error(`makeBlobs: centers must be a positive integer, got ${spec}`);
    const d = opts.nFeatures ?? 2;
    if (!Number.isInteger(d) || d < 1) throw new Error(`makeBlobs: nFeatures must be a positive integer, got ${d}`);
    centers = Array.from({ length: spec }, () => Array.from({ length: d }, () => rng.range(lo, hi)));
  } else {
    if (spec.length < 1) throw new Error('makeBlobs: centers must not be empty');
    const d = spec[0]!.length;
    if (spec.some((c) => c.length !== d)) throw new Error('makeBlobs: all centres must have the same number of features');
    centers = spec.map((c) => [...c]);
  }
  const k = centers.length;
  const d = centers[0]!.length;
  const perCenter = Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  let row = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < perCenter[i]!; j++, row++) {
      for (let f = 0; f < d; f++) X[row * d + f] = rng.normal(centers[i]![f]!, std);
      y[row] = i;
    }
  }
  if (opts.shuffle ?? true) {
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    const X2 = new Float64Array(n * d);
    const y2 = new Int32Array(n);
    order.forEach((src, dst) => {
      for (let f = 0; f < d; f++) X2[dst * d + f] = X[src * d + f]!;
      y2[dst] = y[src]!;
    });
    return { X: new NDArray(X2, [n, d]), y: y2, centers };
  }
  return { X: new NDArray(X, [n, d]), y, centers };
}

/** Options of makeCrossImage. */
export interface CrossImageOptions {
  /** Seed of the uniform noise. Default 2018. */
  seed?: number;
  /** Grid points per axis. Default 11. */
  n?: number;
  /** Half-width of the uniform noise. Default 0.25. */
  noise?: number;
}

/**
 * The introduction's noisy "cross" test image: on the grid x, y = (−5…5)/5·2π,
 * 1.5·|cos(x·y)| / (|x·y| + 3π/5) plus uniform noise in [−0.25, 0.25].
 *
 * @param opts `{seed = 2018, n = 11, noise = 0.25}`
 * @returns float32 [n, n] (row = y, column = x)
 * @example
 *   const img = makeCrossImage({ seed: 2018 }); // a bright cross of peaks along x = 0 and y = 0
 */
export function makeCrossImage(opts: CrossImageOptions = {}): NDArray<Float32Array> {
  const n = opts.n ?? 11;
  if (!Number.isInteger(n) || n < 2) throw new Error(`makeCrossImage: n must be an integer ≥ 2, got ${n}`);
  const noise = opts.noise ?? 0.25;
  const rng = new Rng(deriveSeed(opts.seed ?? 2018, 'cross'));
  const out = new Float32Array(n * n);
  const half = (n - 1) / 2;
  for (let r = 0; r < n; r++) {
    const y = ((r - half) / half) * 2 * Math.PI;
    for (let c = 0; c < n; c++) {
      const x = ((c - half) / half) * 2 * Math.PI;
      const xy = x * y;
      out[r * n + c] = (1.5 * Math.abs(Math.cos(xy))) / (Math.abs(xy) + (3 * Math.PI) / 5) + rng.range(-noise, noise);
    }
  }
  return new NDArray(out, [n, n]);
}
