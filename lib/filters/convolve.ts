/**
 * Linear filters with scikit-image 0.19 semantics: `gaussianFilter` =
 * `skimage.filters.gaussian` (scipy.ndimage.gaussian_filter, mode 'nearest', truncate 4) and
 * `sobelH` / `sobelV` = `skimage.filters.sobel_h` / `sobel_v` (scipy.ndimage.convolve, mode
 * 'reflect', optional mask).
 *
 * Input conversion follows scikit-image: float32 stays float32, float64 stays float64, and
 * integer images go through `img_as_float` (multiplied by 1/dtype-max, e.g. uint16 counts → 0..1,
 * float64). This is why the lecture's Sobel panels on raw counts use vmin 0, vmax 0.001; pass
 * `{preserveRange: true}` to `gaussianFilter` to keep the counts' scale.
 *
 * Arithmetic follows scipy so results agree to float32 rounding: each pass accumulates in
 * float64 and stores in the output dtype; the Gaussian is separable, axis 0 then axis 1, with
 * scipy's kernel (radius = floor(truncate·sigma + 0.5), weights exp(−x²/2σ²) normalised);
 * the Sobel sums the six non-zero taps in scipy's order.
 */
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D } from '../core/types.js';
import { check2D, imgAsFloat, perBand } from './util.js';

type FloatImage = NDArray<Float32Array | Float64Array>;

/** scipy.ndimage's 1-D Gaussian kernel (order 0). */
export function gaussianKernel1d(sigma: number, truncate = 4): Float64Array {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`gaussianKernel1d: sigma must be a finite number ≥ 0, got ${sigma}`);
  if (!(truncate > 0)) throw new Error(`gaussianKernel1d: truncate must be > 0, got ${truncate}`);
  const radius = Math.floor(truncate * sigma + 0.5);
  const w = new Float64Array(2 * radius + 1);
  if (radius === 0) {
    w[0] = 1;
    return w;
  }
  const s2 = sigma * sigma;
  let sum = 0;
  for (let x = -radius; x <= radius; x++) {
    const v = Math.exp((-0.5 / s2) * x * x);
    w[x + radius] = v;
    sum += v;
  }
  for (let i = 0; i < w.length; i++) w[i]! /= sum;
  return w;
}

/** Correlates along axis 0 (rows), nearest edges; src and dst are R×C. */
function correlateAxis0(src: Float32Array | Float64Array, dst: Float32Array | Float64Array, R: number, C: number, w: Float64Array): void {
  const rad = (w.length - 1) >> 1;
  const acc = new Float64Array(C);
  for (let r = 0; r < R; r++) {
    acc.fill(0);
    for (let j = -rad; j <= rad; j++) {
      const rr = r + j < 0 ? 0 : r + j >= R ? R - 1 : r + j;
      const wj = w[j + rad]!;
      const off = rr * C;
      for (let c = 0; c < C; c++) acc[c]! += src[off + c]! * wj;
    }
    dst.set(acc, r * C);
  }
}

/** Correlates along axis 1 (columns), nearest edges. */
function correlateAxis1(src: Float32Array | Float64Array, dst: Float32Array | Float64Array, R: number, C: number, w: Float64Array): void {
  const rad = (w.length - 1) >> 1;
  const line = new Float64Array(C + 2 * rad);
  const K = w.length;
  for (let r = 0; r < R; r++) {
    const off = r * C;
    for (let c = 0; c < C; c++) line[c + rad] = src[off + c]!;
    const first = src[off]!;
    const last = src[off + C - 1]!;
    for (let i = 0; i < rad; i++) {
      line[i] = first;
      line[C + rad + i] = last;
    }
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += line[c + k]! * w[k]!;
      dst[off + c] = s;
    }
  }
}

/** Options for gaussianFilter. */
export interface GaussianOptions {
  /** Truncate the kernel at this many standard deviations (default 4, as scikit-image). */
  truncate?: number;
  /** Keep integer images' value range instead of img_as_float's 0..1 (default false). */
  preserveRange?: boolean;
}

/**
 * Gaussian filter like `skimage.filters.gaussian(image, sigma, mode='nearest', truncate=4)`.
 *
 * @param image 2-D image, or a `[rows, cols, bands]` stack (each band separately, like
 *   `channel_axis=-1`)
 * @param sigma standard deviation in pixels (one number, or `[rowSigma, colSigma]`)
 * @param opts `{truncate = 4, preserveRange = false}`
 * @returns float32 for float32 input, float64 otherwise (integers via img_as_float)
 * @example
 *   const smooth = gaussianFilter(asFloat32(img), 5);
 */
export function gaussianFilter(image: ArrayLike2D, sigma: number | readonly [number, number], opts: GaussianOptions = {}): FloatImage {
  if (image && image.shape && image.shape.length === 3) return perBand(image, (b) => gaussianFilter(b, sigma, opts)) as FloatImage;
  const [R, C] = check2D(image, 'gaussianFilter');
  const [sr, sc] = typeof sigma === 'number' ? [sigma, sigma] : sigma;
  if (!(sr! >= 0 && sc! >= 0)) throw new Error(`gaussianFilter: sigma must be ≥ 0, got ${String(sigma)}`);
  const truncate = opts.truncate ?? 4;
  let f: FloatImage;
  if (opts.preserveRange && !(image.data instanceof Float32Array || image.data instanceof Float64Array)) {
    f = new NDArray(Float64Array.from(image.data as ArrayLike<number>), [R, C]);
  } else {
    f = imgAsFloat(image);
  }
  const Ctor = f.data instanceof Float32Array ? Float32Array : Float64Array;
  const tmp = new Ctor(R * C);
  const out = new Ctor(R * C);
  if (R * C === 0) return new NDArray(out, [R, C]);
  correlateAxis0(f.data, tmp, R, C, gaussianKernel1d(sr!, truncate));
  correlateAxis1(tmp, out, R, C, gaussianKernel1d(sc!, truncate));
  return new NDArray(out, [R, C]);
}

/** Options for sobelH / sobelV. */
export interface SobelOptions {
  /**
   * Only keep the result where the mask is true; the mask is first eroded with a 3×3 square
   * (border value 0), as in scikit-image, so pixels next to masked-out areas or the image
   * border become 0.
   */
  mask?: ArrayLike2D;
}

function sobel(image: ArrayLike2D, axis: 0 | 1, opts: SobelOptions, fn: string): FloatImage {
  const [R, C] = check2D(image, fn);
  const f = imgAsFloat(image);
  const src = f.data;
  const out = src instanceof Float32Array ? new Float32Array(R * C) : new Float64Array(R * C);
  for (let r = 0; r < R; r++) {
    // 'reflect' for a 3-tap kernel: index −1 → 0, R → R−1 (same as nearest).
    const up = (r > 0 ? r - 1 : 0) * C;
    const mid = r * C;
    const dn = (r < R - 1 ? r + 1 : R - 1) * C;
    for (let c = 0; c < C; c++) {
      const l = c > 0 ? c - 1 : 0;
      const rr = c < C - 1 ? c + 1 : C - 1;
      let s = 0;
      if (axis === 0) {
        // correlation weights: row r−1: −¼ −½ −¼; row r+1: ¼ ½ ¼ (scipy's order)
        s += src[up + l]! * -0.25;
        s += src[up + c]! * -0.5;
        s += src[up + rr]! * -0.25;
        s += src[dn + l]! * 0.25;
        s += src[dn + c]! * 0.5;
        s += src[dn + rr]! * 0.25;
      } else {
        s += src[up + l]! * -0.25;
        s += src[up + rr]! * 0.25;
        s += src[mid + l]! * -0.5;
        s += src[mid + rr]! * 0.5;
        s += src[dn + l]! * -0.25;
        s += src[dn + rr]! * 0.25;
      }
      out[mid + c] = s;
    }
  }
  if (opts.mask) applyErodedMask(out, opts.mask, R, C, fn);
  return new NDArray(out, [R, C]);
}

function applyErodedMask(out: Float32Array | Float64Array, mask: ArrayLike2D, R: number, C: number, fn: string): void {
  if (mask.shape.length !== 2 || mask.shape[0] !== R || mask.shape[1] !== C) {
    throw new Error(`${fn}: mask shape [${mask.shape.join(', ')}] does not match image [${R}, ${C}]`);
  }
  const m = mask.data;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      let keep = r > 0 && r < R - 1 && c > 0 && c < C - 1;
      for (let dr = -1; keep && dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          if (!m[(r + dr) * C + c + dc]) {
            keep = false;
            break;
          }
        }
      }
      if (!keep) out[r * C + c] = 0;
    }
  }
}

/**
 * Horizontal edges, like `skimage.filters.sobel_h(image, mask)`: kernel
 * `[[1, 2, 1], [0, 0, 0], [-1, -2, -1]] / 4` (convolution, mode 'reflect').
 *
 * @param image 2-D image (integers go through img_as_float)
 * @param opts `{mask}` optional boolean mask (eroded by 3×3 first)
 * @returns float32 for float32 input, float64 otherwise
 * @example
 *   const gy = sobelH(asFloat32(img));
 */
export function sobelH(image: ArrayLike2D, opts: SobelOptions = {}): FloatImage {
  return sobel(image, 0, opts, 'sobelH');
}

/**
 * Vertical edges, like `skimage.filters.sobel_v(image, mask)`: kernel
 * `[[1, 0, -1], [2, 0, -2], [1, 0, -1]] / 4` (convolution, mode 'reflect').
 *
 * @param image 2-D image (integers go through img_as_float)
 * @param opts `{mask}` optional boolean mask (eroded by 3×3 first)
 * @returns float32 for float32 input, float64 otherwise
 * @example
 *   const gx = sobelV(asFloat32(img));
 */
export function sobelV(image: ArrayLike2D, opts: SobelOptions = {}): FloatImage {
  return sobel(image, 1, opts, 'sobelV');
}

/** Re-exported for callers that want scikit-image's integer → float conversion. */
export { imgAsFloat };
