/**
 * Connectivity measures for thin branching structures (roots, vessels), where pixel scores such
 * as Dice hardly notice that a prediction breaks a root into pieces.
 *
 * - `connectedComponents` labels the objects of a mask, numbered like `scipy.ndimage.label`
 *   (4-connectivity) and `skimage.measure.label` (8-connectivity): in the raster order of each
 *   object's first pixel. It uses one raster pass with a union–find over provisional labels, then
 *   a relabelling pass; this is linear in the number of pixels and needs no recursion (a flood fill
 *   with recursion overflows the stack on large roots).
 * - `skeletonize` is a line-for-line port of scikit-image 0.19's `skeletonize` for 2-D images
 *   (Zhang & Suen 1984, with scikit-image's look-up table and pass order), so the skeletons are
 *   identical to the reference, pixel for pixel.
 * - `skeletonRecall`, `skeletonPrecision` and `clDiceScore` are the hard (thresholded) versions of
 *   the soft quantities in the clDice loss (Shit et al. 2021): the share of the true skeleton lying
 *   inside the prediction, the share of the predicted skeleton lying inside the truth, and their
 *   harmonic mean. `componentsError` compares the number of objects.
 *
 * Masks are `{ data, shape }` images (NDArray or plain objects); a pixel is foreground when its
 * value is > 0 (a probability map must be thresholded first). The scores accept one image
 * `[rows, cols]` or a stack `[n, rows, cols]` (each image handled on its own, counts pooled).
 */
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D, NumericArray } from '../core/types.js';

/** Neighbourhood of a pixel: 4 (edges only, scipy's default) or 8 (edges and corners, skimage's default). */
export type Connectivity = 4 | 8;

/** Options of {@link connectedComponents}. */
export interface ConnectedComponentsOptions {
  /** 4 or 8 (default 8, as `skimage.measure.label`; `scipy.ndimage.label` uses 4). */
  readonly connectivity?: Connectivity;
}

/** Result of {@link connectedComponents}. */
export interface ComponentsResult {
  /** Label image `[rows, cols]`, int32: 0 background, 1 … count the objects. */
  readonly labels: NDArray<Int32Array>;
  /** Number of objects. */
  readonly count: number;
}

function image2D(fn: string, arg: string, mask: ArrayLike2D): [number, number] {
  if (mask === null || typeof mask !== 'object' || !ArrayBuffer.isView(mask.data) || !Array.isArray(mask.shape)) {
    throw new Error(`${fn}: ${arg} must be an image { data, shape } (an NDArray), got ${String(mask)}`);
  }
  if (mask.shape.length !== 2) {
    throw new Error(`${fn}: ${arg} must be 2-D [rows, cols], got shape [${mask.shape.join(', ')}]`);
  }
  const [rows, cols] = mask.shape as [number, number];
  if (rows * cols !== mask.data.length) {
    throw new Error(`${fn}: ${arg} has shape [${rows}, ${cols}] but ${mask.data.length} values`);
  }
  return [rows, cols];
}

function checkConnectivity(fn: string, c: number): void {
  if (c !== 4 && c !== 8) throw new Error(`${fn}: connectivity must be 4 or 8, got ${c}`);
}

/**
 * Labels the connected objects of a binary mask.
 *
 * Pixels with value > 0 are foreground. Objects are numbered 1 … count in the raster order of their
 * first pixel, which is the numbering of `scipy.ndimage.label(mask)` (connectivity 4) and
 * `skimage.measure.label(mask, connectivity=2)` (connectivity 8).
 *
 * @param mask binary image `[rows, cols]` (NDArray or `{ data, shape }`)
 * @param options `connectivity`: 4 or 8 (default 8)
 * @returns `{ labels, count }`: an int32 label image and the number of objects
 * @example
 * const mask = NDArray.fromNested([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
 * connectedComponents(mask, { connectivity: 8 }).count; // 1 (the diagonal touches at corners)
 * connectedComponents(mask, { connectivity: 4 }).count; // 3
 */
export function connectedComponents(mask: ArrayLike2D, options: ConnectedComponentsOptions = {}): ComponentsResult {
  const connectivity = options.connectivity ?? 8;
  checkConnectivity('connectedComponents', connectivity);
  const [rows, cols] = image2D('connectedComponents', 'mask', mask);
  const src = mask.data;
  const labels = new Int32Array(rows * cols);
  // parent[k] for provisional label k (1-based); parent[0] unused
  let parent = new Int32Array(Math.max(16, (rows * cols) >> 2));
  let next = 1;
  const find = (k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r];
    while (parent[k] !== r) {
      const up = parent[k];
      parent[k] = r;
      k = up;
    }
    return r;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    // keep the smaller root: it was created first, so roots keep raster order
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };
  const eight = connectivity === 8;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) {
      const i = row + c;
      if (!(src[i] > 0)) continue;
      let lab = 0;
      // already visited neighbours: W, N, and for 8-connectivity NW, NE
      if (c > 0 && labels[i - 1] !== 0) lab = labels[i - 1];
      if (r > 0) {
        const up = labels[i - cols];
        if (up !== 0) lab = lab === 0 ? up : union(lab, up);
        if (eight) {
          if (c > 0) {
            const nw = labels[i - cols - 1];
            if (nw !== 0) lab = lab === 0 ? nw : union(lab, nw);
          }
          if (c < cols - 1) {
            const ne = labels[i - cols + 1];
            if (ne !== 0) lab = lab === 0 ? ne : union(lab, ne);
          }
        }
      }
      if (lab === 0) {
        if (next >= parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        lab = next++;
      }
      labels[i] = lab;
    }
  }
  // final labels in raster order of each object's first pixel
  const final = new Int32Array(next);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === 0) continue;
    const root = find(l);
    if (final[root] === 0) final[root] = ++count;
    labels[i] = final[root];
  }
  return { labels: new NDArray(labels, [rows, cols], 'int32'), count };
}

/**
 * The number of connected objects of a binary mask (see {@link connectedComponents}).
 *
 * @param mask binary image `[rows, cols]`
 * @param options `connectivity` 4 or 8 (default 8)
 * @returns the number of objects
 * @example
 * countComponents(NDArray.fromNested([[1, 0, 1]])); // 2
 */
export function countComponents(mask: ArrayLike2D, options: ConnectedComponentsOptions = {}): number {
  return connectedComponents(mask, options).count;
}

// scikit-image 0.19 `_fast_skeletonize` look-up table: one entry per 8-neighbourhood; 1 and 3 are
// removed in the first sub-pass, 2 and 3 in the second.
const ZS_LUT = new Uint8Array([
  0, 0, 0, 1, 0, 0, 1, 3, 0, 0, 3, 1, 1, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 3, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0,
  2, 0, 0, 0, 3, 1, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 1, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 1, 3, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 0, 1, 0, 0, 0, 0, 2, 2, 0, 0,
  2, 0, 0, 0,
]);

/**
 * Thins each object of a binary mask to a one-pixel-wide skeleton (Zhang & Suen 1984).
 *
 * Identical to `skimage.morphology.skeletonize(mask)` of scikit-image 0.19 for 2-D images: the
 * same look-up table, the same two sub-passes, repeated until no pixel is removed. Pixels with
 * value > 0 are foreground; the image border counts as background.
 *
 * @param mask binary image `[rows, cols]`
 * @returns the skeleton, a uint8 0/1 image of the same shape
 * @example
 * const bar = NDArray.zeros([5, 9], 'uint8');
 * for (let c = 1; c < 8; c++) for (let r = 1; r < 4; r++) bar.set(1, r, c);
 * skeletonize(bar).sum(); // 6: the middle row (columns 1–5) and a spur at (1, 6), as scikit-image gives
 */
export function skeletonize(mask: ArrayLike2D): NDArray<Uint8Array> {
  const [rows, cols] = image2D('skeletonize', 'mask', mask);
  const nr = rows + 2;
  const nc = cols + 2;
  const skel = new Uint8Array(nr * nc);
  const src = mask.data;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) skel[(r + 1) * nc + c + 1] = src[r * cols + c] > 0 ? 1 : 0;
  }
  const cleaned = skel.slice();
  let removed = true;
  while (removed) {
    removed = false;
    for (let pass = 0; pass < 2; pass++) {
      const first = pass === 0;
      for (let r = 1; r < nr - 1; r++) {
        for (let c = 1; c < nc - 1; c++) {
          const i = r * nc + c;
          if (!skel[i]) continue;
          const n =
            ZS_LUT[
              skel[i - nc - 1] +
                2 * skel[i - nc] +
                4 * skel[i - nc + 1] +
                8 * skel[i + 1] +
                16 * skel[i + nc + 1] +
                32 * skel[i + nc] +
                64 * skel[i + nc - 1] +
                128 * skel[i - 1]
            ];
          if ((n === 1 && first) || (n === 2 && !first) || n === 3) {
            cleaned[i] = 0;
            removed = true;
          }
        }
      }
      skel.set(cleaned);
    }
  }
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = skel[(r + 1) * nc + c + 1];
  }
  return new NDArray(out, [rows, cols], 'uint8');
}

/** Splits an image or stack into 2-D views; checks that truth and prediction match. */
function pairImages(fn: string, truth: ArrayLike2D, pred: ArrayLike2D): Array<[ArrayLike2D, ArrayLike2D]> {
  for (const [name, a] of [
    ['truth', truth],
    ['pred', pred],
  ] as const) {
    if (a === null || typeof a !== 'object' || !ArrayBuffer.isView(a.data) || !Array.isArray(a.shape)) {
      throw new Error(`${fn}: ${name} must be an image { data, shape } (an NDArray)`);
    }
    if (a.shape.length !== 2 && a.shape.length !== 3) {
      throw new Error(`${fn}: ${name} must be [rows, cols] or a stack [n, rows, cols], got shape [${a.shape.join(', ')}]`);
    }
    if (a.shape.reduce((x, y) => x * y, 1) !== a.data.length) {
      throw new Error(`${fn}: ${name} has shape [${a.shape.join(', ')}] but ${a.data.length} values`);
    }
  }
  if (truth.shape.length !== pred.shape.length || truth.shape.some((s, k) => s !== pred.shape[k])) {
    throw new Error(`${fn}: truth has shape [${truth.shape.join(', ')}] but pred has shape [${pred.shape.join(', ')}]`);
  }
  if (truth.shape.length === 2) return [[truth, pred]];
  const [n, rows, cols] = truth.shape as [number, number, number];
  const size = rows * cols;
  const view = (d: NumericArray, k: number): ArrayLike2D => ({ data: d.subarray(k * size, (k + 1) * size), shape: [rows, cols] });
  return Array.from({ length: n }, (_, k) => [view(truth.data, k), view(pred.data, k)] as [ArrayLike2D, ArrayLike2D]);
}

/** Σ over images of (skeleton pixels of `a`, those of them inside `b`). */
function skeletonOverlap(pairs: Array<[ArrayLike2D, ArrayLike2D]>): [number, number] {
  let total = 0;
  let inside = 0;
  for (const [a, b] of pairs) {
    const s = skeletonize(a).data;
    const other = b.data;
    for (let i = 0; i < s.length; i++) {
      if (s[i]) {
        total++;
        if (other[i] > 0) inside++;
      }
    }
  }
  return [total, inside];
}

/**
 * Skeleton recall ("topology sensitivity" of clDice): the fraction of the true skeleton that the
 * prediction covers. A root predicted thinner but unbroken scores 1; every gap costs.
 *
 * `|skeletonize(truth) ∧ pred| / |skeletonize(truth)|`; for a stack `[n, rows, cols]` each image is
 * skeletonised on its own and the counts are pooled.
 *
 * @param truth binary truth `[rows, cols]` or `[n, rows, cols]` (> 0 is foreground)
 * @param pred binary prediction of the same shape (threshold probabilities first)
 * @returns a number in [0, 1]; NaN when the truth is empty
 * @example
 * const truth = NDArray.fromNested([[0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]]);
 * const pred = NDArray.fromNested([[0, 0, 0, 0, 0], [1, 1, 0, 1, 1], [0, 0, 0, 0, 0]]);
 * skeletonRecall(truth, pred); // 0.8
 */
export function skeletonRecall(truth: ArrayLike2D, pred: ArrayLike2D): number {
  const [total, inside] = skeletonOverlap(pairImages('skeletonRecall', truth, pred));
  return total === 0 ? Number.NaN : inside / total;
}

/**
 * Skeleton precision ("topology precision" of clDice): the fraction of the predicted skeleton that
 * lies inside the truth. Spurious branches and false objects lower it.
 *
 * @param truth binary truth `[rows, cols]` or `[n, rows, cols]`
 * @param pred binary prediction of the same shape
 * @returns a number in [0, 1]; NaN when the prediction is empty
 * @example
 * skeletonPrecision(truth, pred); // 1 when every predicted branch lies on a true root
 */
export function skeletonPrecision(truth: ArrayLike2D, pred: ArrayLike2D): number {
  const pairs = pairImages('skeletonPrecision', truth, pred).map(([t, p]) => [p, t] as [ArrayLike2D, ArrayLike2D]);
  const [total, inside] = skeletonOverlap(pairs);
  return total === 0 ? Number.NaN : inside / total;
}

/**
 * The hard clDice score (Shit et al. 2021): the harmonic mean of {@link skeletonPrecision} and
 * {@link skeletonRecall}. 1 for a prediction whose skeleton lies in the truth and covers the true
 * skeleton.
 *
 * @param truth binary truth `[rows, cols]` or `[n, rows, cols]`
 * @param pred binary prediction of the same shape
 * @returns a number in [0, 1]; 0 when either score is 0; NaN when truth or prediction is empty
 * @example
 * clDiceScore(mask, mask); // 1
 */
export function clDiceScore(truth: ArrayLike2D, pred: ArrayLike2D): number {
  const sens = skeletonRecall(truth, pred);
  const prec = skeletonPrecision(truth, pred);
  if (Number.isNaN(sens) || Number.isNaN(prec)) return Number.NaN;
  return sens + prec === 0 ? 0 : (2 * sens * prec) / (sens + prec);
}

/**
 * The error in the number of objects: `|#components(pred) − #components(truth)|`, for a stack the
 * mean of it over the images. A root system predicted in 12 pieces where the truth has 3 scores 9;
 * Dice would barely notice the gaps.
 *
 * @param truth binary truth `[rows, cols]` or `[n, rows, cols]`
 * @param pred binary prediction of the same shape
 * @param options `connectivity` 4 or 8 (default 8)
 * @returns the absolute difference in object counts (mean over a stack)
 * @example
 * componentsError(NDArray.fromNested([[1, 1, 1]]), NDArray.fromNested([[1, 0, 1]])); // 1
 */
export function componentsError(truth: ArrayLike2D, pred: ArrayLike2D, options: ConnectedComponentsOptions = {}): number {
  const connectivity = options.connectivity ?? 8;
  checkConnectivity('componentsError', connectivity);
  const pairs = pairImages('componentsError', truth, pred);
  let sum = 0;
  for (const [t, p] of pairs) {
    sum += Math.abs(connectedComponents(p, { connectivity }).count - connectedComponents(t, { connectivity }).count);
  }
  return sum / pairs.length;
}
