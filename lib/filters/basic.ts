/**
 * Point operations and the lecture's spot-cleaning baseline: absolute difference,
 * thresholding, normalising by mean/std, `spotCleaner`, and splitting into tiles (`splitTiles`).
 *
 * Float results are float32 (the library's default image type), computed in float64 and
 * rounded once, which equals numpy's float32 arithmetic for the single operations here
 * (IEEE operations are correctly rounded). One deliberate difference from numpy: `absDiff`
 * on integer images returns the true |a − b| as float32, where numpy's uint16 subtraction
 * would wrap around.
 */
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D } from '../core/types.js';
import { medianFilter } from './median.js';

function sameShape(a: ArrayLike2D, b: ArrayLike2D, fn: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) {
    throw new Error(`${fn}: shapes differ: [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  }
  if (a.data.length !== b.data.length) throw new Error(`${fn}: data lengths differ (${a.data.length} vs ${b.data.length})`);
}

/**
 * Absolute difference |a − b|, element-wise.
 *
 * @param a image
 * @param b image of the same shape
 * @returns float32 image
 * @example
 *   const d = absDiff(f, medianFilter(f, 3)); // |f − median(f)|
 */
export function absDiff(a: ArrayLike2D, b: ArrayLike2D): NDArray<Float32Array> {
  sameShape(a, b, 'absDiff');
  const x = a.data;
  const y = b.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) {
    const d = x[i]! - y[i]!;
    out[i] = d < 0 ? -d : d;
  }
  return new NDArray(out, a.shape);
}

/**
 * Threshold: `image > t` as a bool mask (1 where above), as numpy's `image > t`
 * (for float32 images t is rounded to float32 first, like numpy).
 *
 * @param image any image
 * @param t threshold
 * @returns bool NDArray (Uint8Array of 0/1), same shape
 * @example
 *   const mask = thresholdImage(cross, 0.4); // cross > 0.4
 */
export function thresholdImage(image: ArrayLike2D, t: number): NDArray<Uint8Array> {
  if (typeof t !== 'number' || Number.isNaN(t)) throw new Error(`thresholdImage: threshold must be a number, got ${String(t)}`);
  const d = image.data;
  // numpy compares a float32 array with a Python float in float32 (value-based casting):
  // float32 0.1 > 0.1 is False there, so round the threshold the same way.
  const tt = d instanceof Float32Array ? Math.fround(t) : t;
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! > tt ? 1 : 0;
  return new NDArray(out, image.shape, 'bool');
}

/**
 * Normalises to zero mean and unit standard deviation: `(image − mean) / std`.
 *
 * @param image any image
 * @param mean defaults to the image's mean
 * @param std defaults to the image's population std (numpy's ddof = 0)
 * @returns float32 image
 * @example
 *   const z = normalizeImage(f);                 // own mean/std
 *   const zTest = normalizeImage(test, m, s);    // training statistics
 */
export function normalizeImage(image: ArrayLike2D, mean?: number, std?: number): NDArray<Float32Array> {
  const d = image.data;
  let m = mean;
  if (m === undefined) {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i]!;
    m = s / d.length;
  }
  let sd = std;
  if (sd === undefined) {
    let s = 0;
    for (let i = 0; i < d.length; i++) {
      const e = d[i]! - m;
      s += e * e;
    }
    sd = Math.sqrt(s / d.length);
  }
  if (!Number.isFinite(m)) throw new Error(`normalizeImage: mean must be finite, got ${m}`);
  if (!(sd > 0) || !Number.isFinite(sd)) throw new Error(`normalizeImage: std must be a finite number > 0, got ${sd} (constant image?)`);
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = (d[i]! - m) / sd;
  return new NDArray(out, image.shape);
}

/** Result of spotCleaner. */
export interface SpotCleanerResult {
  /** The image with detected spots replaced by the median (float32). */
  cleaned: NDArray<Float32Array>;
  /** Where |f − median(f)| > threshold (bool). */
  detection: NDArray<Uint8Array>;
}

/**
 * The lecture's ImageJ-style spot cleaner: f = float32 copy of the image, m = size×size
 * median of f, detection = |f − m| > threshold, cleaned = m where detected, else f.
 *
 * @param image 2-D image (e.g. raw uint16 counts)
 * @param threshold detection threshold on |f − median(f)| (the lecture uses 1000 on counts)
 * @param size odd median window (default 3)
 * @returns `{cleaned, detection}`
 * @example
 *   const { cleaned, detection } = spotCleaner(readFits('data/spots/mixture12_00001.fits'), 1000, 3);
 */
export function spotCleaner(image: ArrayLike2D, threshold: number, size = 3): SpotCleanerResult {
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new Error(`spotCleaner: threshold must be a number, got ${String(threshold)}`);
  if (image.shape.length !== 2) throw new Error(`spotCleaner: image must be 2-D, got shape [${image.shape.join(', ')}]`);
  const f = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data as ArrayLike<number>);
  const fImg = new NDArray(f, image.shape);
  const m = medianFilter(fImg, size).data as Float32Array;
  const n = f.length;
  const th = Math.fround(threshold); // compared in float32, as numpy does with float32 arrays
  const cleaned = new Float32Array(n);
  const det = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // |f − m| in float32, as numpy computes np.abs(fimg − mimg) on float32 arrays
    const d = Math.fround(f[i]! - m[i]!);
    if ((d < 0 ? -d : d) > th) {
      det[i] = 1;
      cleaned[i] = m[i]!;
    } else cleaned[i] = f[i]!;
  }
  return { cleaned: new NDArray(cleaned, image.shape), detection: new NDArray(det, image.shape, 'bool') };
}

/** Options of {@link splitTiles}. */
export interface TilesOptions {
  /** Also return the partial tiles at the right and bottom edges (default false). */
  partial?: boolean;
}

/**
 * Splits an image into tiles of `size = [rows, cols]`, row by row (left to right, top to
 * bottom), as the lecture's `splitTiles(img, size=[64, 64])`. By default only whole tiles are
 * returned (like reshaping a cropped image).
 *
 * Note: the original lecture's helper used the image's ROW count for the number of tiles in
 * both directions, so a non-square image lost columns or ran past its edge; here rows and
 * columns each use their own count.
 *
 * @param image - 2-D image or `[rows, cols, bands]` stack
 * @param size - tile `[rows, cols]`, or one number for square tiles; default `[64, 64]`
 * @param opts - `{partial}`
 * @returns the tiles (copies), each `[rows, cols(, bands)]`
 * @example
 *   const t = splitTiles(img, [64, 64]);   // 2048×2048 → 32 × 32 = 1024 tiles of 64×64
 */
export function splitTiles(image: ArrayLike2D, size: readonly [number, number] | number = [64, 64], opts: TilesOptions = {}): NDArray[] {
  const [tileRows, tileCols] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(tileRows) || tileRows < 1) throw new Error(`splitTiles: tile rows must be a positive integer, got ${tileRows}`);
  if (!Number.isInteger(tileCols) || tileCols < 1) throw new Error(`splitTiles: tile cols must be a positive integer, got ${tileCols}`);
  if (image.shape.length !== 2 && image.shape.length !== 3) throw new Error(`splitTiles: image must be 2-D or 3-D, got shape [${image.shape.join(', ')}]`);
  const a = NDArray.from(image);
  const [R, C] = a.shape as [number, number];
  const out: NDArray[] = [];
  const rEnd = opts.partial ? R : R - (R % tileRows);
  const cEnd = opts.partial ? C : C - (C % tileCols);
  for (let r = 0; r < rEnd; r += tileRows) {
    for (let c = 0; c < cEnd; c += tileCols) {
      out.push(a.slice([r, Math.min(r + tileRows, R)], [c, Math.min(c + tileCols, C)]).copy());
    }
  }
  return out;
}
