/**
 * From images to network inputs and back: the lecture's `prep_img` / `prep_mask`, and
 * prediction on images of any size.
 *
 * `prepImg(x, n)` stacks n copies of a 2-D image into a `[n, rows, cols, 1]` tensor,
 * normalised by a mean and standard deviation — the training crop's, as in the lecture,
 * so validation and test crops are scaled like the data the network learned from (pass
 * `{ mean, std }` from {@link imageStats} of the training crop; without it the image's own
 * statistics are used). `prepMask` does the same without normalisation.
 *
 * `predictImage(model, image)` runs a U-Net on any image: it pads the sides up to a multiple
 * of 2^depth (the factor the skip connections need), predicts, and crops back. Padding is
 * **reflect** by default (numpy's `np.pad(mode='reflect')`, mirror without repeating the edge
 * pixel): it continues the texture and noise of the image, so the network does not see an
 * artificial dark band; `padMode: 'zero'` pads zeros in the model's input space (after
 * normalisation, i.e. with the mean grey level). Images larger than `tileSize` are cut into
 * tiles that overlap by a halo wider than the network's receptive field, with tile origins on
 * multiples of 2^depth, so tiled and whole-image predictions agree to rounding (tested).
 *
 * NaN or infinite pixels are refused by default (`onNaN: 'warn'` predicts anyway and warns):
 * a convolution spreads one NaN to every output pixel within its receptive field.
 *
 * Design: `predictImage` is async and reads results with `tensor.data()`, because the WebGPU
 * backend cannot read synchronously in Node. Every intermediate tensor is disposed: the number
 * of live tensors is the same before and after (tested).
 */
import * as tf from '@tensorflow/tfjs';
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D } from '../core/types.js';
import { unetMultiple } from './unet.js';

/** A mean and standard deviation used to normalise network inputs. */
export interface ImageStats {
  mean: number;
  std: number;
}

function imageDims(fn: string, x: ArrayLike2D): [number, number, number] {
  if (!x || !x.data || !Array.isArray(x.shape)) throw new Error(`${fn}: x must be an image {data, shape}`);
  const s = x.shape;
  if (s.length !== 2 && s.length !== 3) {
    throw new Error(`${fn}: x must be 2-D [rows, cols] or 3-D [rows, cols, channels], got shape [${s.join(', ')}]`);
  }
  const [r, c, ch = 1] = s;
  if (r * c * ch !== x.data.length) throw new Error(`${fn}: x.data has ${x.data.length} elements, shape needs ${r * c * ch}`);
  if (r < 1 || c < 1) throw new Error(`${fn}: x is empty (shape [${s.join(', ')}])`);
  return [r, c, ch];
}

/**
 * Mean and population standard deviation (numpy's `x.mean()`, `x.std()`, ddof 0) of an image,
 * accumulated in float64.
 *
 * @param x an image (any dtype)
 * @returns `{ mean, std }`
 * @example
 *   const stats = imageStats(trainImg);            // the training crop's statistics
 *   const xv = prepImg(validImg, 1, stats);        // validation scaled like training
 */
export function imageStats(x: ArrayLike2D): ImageStats {
  const d = x.data;
  const n = d.length;
  if (n === 0) throw new Error('imageStats: x is empty');
  let s = 0;
  for (let i = 0; i < n; i++) s += d[i];
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const e = d[i] - mean;
    q += e * e;
  }
  return { mean, std: Math.sqrt(q / n) };
}

function stack(fn: string, x: ArrayLike2D, n: number, mean: number, std: number): tf.Tensor4D {
  const [r, c, ch] = imageDims(fn, x);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: n must be an integer >= 1, got ${String(n)}`);
  const size = r * c * ch;
  const out = new Float32Array(size * n);
  const d = x.data;
  const inv = 1 / std;
  for (let i = 0; i < size; i++) out[i] = (d[i] - mean) * inv;
  for (let k = 1; k < n; k++) out.copyWithin(k * size, 0, size);
  return tf.tensor4d(out, [n, r, c, ch]);
}

/**
 * The lecture's `prep_img(x, n)`: n copies of an image stacked into a batch with a channel
 * axis, normalised as `(x − mean) / std`.
 *
 * @param x a 2-D image `[rows, cols]` (or `[rows, cols, channels]`)
 * @param n copies in the batch (the lecture trains on 3 copies of the training crop). Default 1.
 * @param stats the mean and std to normalise with — the training crop's; default: x's own ({@link imageStats})
 * @returns a float32 `tf.Tensor4D` `[n, rows, cols, channels]`; the caller disposes it
 * @example
 *   const stats = imageStats(trainImg);
 *   const x = prepImg(trainImg, 3, stats);      // [3, 128, 800, 1]
 *   const xv = prepImg(validImg, 1, stats);     // [1, 500, 1200, 1]
 */
export function prepImg(x: ArrayLike2D, n = 1, stats?: ImageStats): tf.Tensor4D {
  const { mean, std } = stats ?? imageStats(x);
  if (!Number.isFinite(mean) || !Number.isFinite(std)) throw new Error(`prepImg: mean and std must be finite, got ${mean}, ${std}`);
  if (!(std > 0)) throw new Error(`prepImg: std must be > 0 (a constant image cannot be normalised), got ${std}`);
  return stack('prepImg', x, n, mean, std);
}

/**
 * The lecture's `prep_mask(x, n)`: n copies of a mask stacked into a batch with a channel
 * axis, values unchanged (float32).
 *
 * @param x a 2-D mask `[rows, cols]`, 0/1 (any dtype)
 * @param n copies in the batch. Default 1.
 * @returns a float32 `tf.Tensor4D` `[n, rows, cols, 1]`; the caller disposes it
 * @example
 *   const y = prepMask(trainMask, 3);           // [3, 128, 800, 1]
 */
export function prepMask(x: ArrayLike2D, n = 1): tf.Tensor4D {
  return stack('prepMask', x, n, 0, 1);
}

/** Options of {@link predictImage}. */
export interface PredictImageOptions {
  /** Normalise the image as `(x − mean) / std` first (the training crop's statistics); default: use it as given. */
  normalize?: ImageStats;
  /** Side of the square tiles' cores; larger images are tiled. Rounded up to a multiple of 2^depth. Default 1024. */
  tileSize?: number;
  /** Overlap on each side of a tile, at least the network's receptive-field radius. Default 8·2^depth (32 for the spot U-Net, whose radius is about 25). */
  halo?: number;
  /** How the sides are padded up to a multiple of 2^depth. Default 'reflect'. */
  padMode?: 'reflect' | 'zero';
  /** Override the multiple the sides must have (default: from the model's max-pool layers, {@link unetMultiple}). */
  multiple?: number;
  /**
   * What to do with NaN or infinite pixels, which spread through every convolution (one NaN
   * pixel made 484 of 1024 output pixels NaN): 'error' (default) refuses the image, 'warn'
   * predicts anyway and warns with the count of NaN output pixels.
   */
  onNaN?: 'error' | 'warn';
}

/** numpy 'reflect' index for any i (periodic mirror without repeating the edge). */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - k;
}

const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m;

/**
 * Predicts a segmentation of a whole image of any size with a U-Net: pads the sides up to a
 * multiple of 2^depth (reflect by default), predicts tile by tile when the image is larger
 * than `tileSize`, and crops back to the image's size.
 *
 * @param model a tfjs LayersModel taking `[1, rows, cols, channels]` (e.g. {@link buildSpotUNet})
 * @param image a 2-D image `[rows, cols]` (or `[rows, cols, channels]`), already normalised unless `options.normalize` is given
 * @param options see {@link PredictImageOptions}
 * @returns a float32 NDArray `[rows, cols]` (or `[rows, cols, outChannels]` for several outputs)
 * @example
 *   const stats = imageStats(trainImg);
 *   const pred = await predictImage(unet, testImg, { normalize: stats });
 *   const seg = pred.gt(0.05);                  // the lecture's final threshold
 */
export async function predictImage(
  model: tf.LayersModel,
  image: ArrayLike2D,
  options: PredictImageOptions = {},
): Promise<NDArray<Float32Array>> {
  const fn = 'predictImage';
  if (!model || typeof (model as { predict?: unknown }).predict !== 'function') {
    throw new Error(`${fn}: model must be a tfjs LayersModel`);
  }
  const [H, W, C] = imageDims(fn, image);
  const inShape = model.inputs[0]?.shape;
  const modelCh = inShape ? inShape[inShape.length - 1] : null;
  if (modelCh != null && modelCh !== C) {
    throw new Error(`${fn}: the model takes ${modelCh} input channel(s) but image has ${C} (shape [${image.shape.join(', ')}])`);
  }
  const m = options.multiple ?? unetMultiple(model);
  if (!Number.isInteger(m) || m < 1) throw new Error(`${fn}: multiple must be an integer >= 1, got ${String(m)}`);
  const tileSize = options.tileSize ?? 1024;
  const halo = options.halo ?? 8 * m;
  if (!(tileSize >= 1)) throw new Error(`${fn}: tileSize must be >= 1, got ${String(tileSize)}`);
  if (!(halo >= 0)) throw new Error(`${fn}: halo must be >= 0, got ${String(halo)}`);
  const onNaN = options.onNaN ?? 'error';
  if (onNaN !== 'error' && onNaN !== 'warn') throw new Error(`${fn}: onNaN must be 'error' or 'warn', got '${String(onNaN)}'`);
  let badPixels = 0;
  let firstBad = -1;
  for (let i = 0; i < image.data.length; i++) {
    if (!Number.isFinite(image.data[i]!)) {
      badPixels++;
      if (firstBad < 0) firstBad = i;
    }
  }
  const badText = badPixels
    ? `${fn}: image contains ${badPixels} NaN or infinite pixel value(s), the first at row ${Math.floor(firstBad / C / W)}, col ${Math.floor(firstBad / C) % W}`
    : '';
  if (badPixels && onNaN === 'error') {
    throw new Error(`${badText}; they would spread through the network's convolutions. Replace them first, or pass onNaN: 'warn' to predict anyway`);
  }
  const padMode = options.padMode ?? 'reflect';
  if (padMode !== 'reflect' && padMode !== 'zero') throw new Error(`${fn}: padMode must be 'reflect' or 'zero', got '${String(padMode)}'`);
  let mean = 0;
  let inv = 1;
  if (options.normalize) {
    const { mean: mu, std } = options.normalize;
    if (!Number.isFinite(mu) || !(std > 0)) throw new Error(`${fn}: normalize needs a finite mean and std > 0, got ${mu}, ${std}`);
    mean = mu;
    inv = 1 / std;
  }

  // The padded, normalised input, [Hp, Wp, C].
  const Hp = roundUp(H, m);
  const Wp = roundUp(W, m);
  const src = image.data;
  const padded = new Float32Array(Hp * Wp * C);
  for (let r = 0; r < Hp; r++) {
    const inR = r < H;
    const sr = inR ? r : reflectIndex(r, H);
    for (let c = 0; c < Wp; c++) {
      const o = (r * Wp + c) * C;
      if (padMode === 'zero' && (!inR || c >= W)) continue;
      const sc = c < W ? c : reflectIndex(c, W);
      const s = (sr * W + sc) * C;
      for (let k = 0; k < C; k++) padded[o + k] = (src[s + k] - mean) * inv;
    }
  }

  const T = roundUp(tileSize, m);
  const h = roundUp(halo, m);
  let outCh = 0;
  let out: Float32Array | null = null;
  for (let r0 = 0; r0 < Hp; r0 += T) {
    for (let c0 = 0; c0 < Wp; c0 += T) {
      const single = Hp <= T && Wp <= T;
      const ra = single ? 0 : Math.max(0, r0 - h);
      const rb = single ? Hp : Math.min(Hp, r0 + T + h);
      const ca = single ? 0 : Math.max(0, c0 - h);
      const cb = single ? Wp : Math.min(Wp, c0 + T + h);
      const th = rb - ra;
      const tw = cb - ca;
      const tile = new Float32Array(th * tw * C);
      for (let r = 0; r < th; r++) {
        const s = ((ra + r) * Wp + ca) * C;
        tile.set(padded.subarray(s, s + tw * C), r * tw * C);
      }
      const pred = tf.tidy(() => {
        const y = model.predict(tf.tensor4d(tile, [1, th, tw, C]));
        if (Array.isArray(y)) throw new Error(`${fn}: the model has several outputs; predictImage needs one`);
        return y as tf.Tensor;
      });
      let values: Float32Array;
      try {
        if (pred.rank !== 4 || pred.shape[1] !== th || pred.shape[2] !== tw) {
          throw new Error(`${fn}: the model turned a [1, ${th}, ${tw}, ${C}] input into [${pred.shape.join(', ')}]; it must keep the sides`);
        }
        values = (await pred.data()) as Float32Array;
      } finally {
        pred.dispose();
      }
      if (out === null) {
        outCh = pred.shape[3] as number;
        out = new Float32Array(H * W * outCh);
      }
      // Copy the tile's core (inside the original image) to the output.
      const rEnd = Math.min(r0 + T, H);
      const cEnd = Math.min(c0 + T, W);
      if (c0 >= W) continue;
      for (let r = r0; r < rEnd; r++) {
        const s = ((r - ra) * tw + (c0 - ca)) * outCh;
        out.set(values.subarray(s, s + (cEnd - c0) * outCh), (r * W + c0) * outCh);
      }
    }
  }
  const result = out as Float32Array;
  if (badPixels) {
    let nanOut = 0;
    for (let i = 0; i < result.length; i++) if (!Number.isFinite(result[i]!)) nanOut++;
    console.warn(`${badText}: ${nanOut} of ${result.length} output pixels are NaN (onNaN: 'warn')`);
  }
  return new NDArray(result, outCh === 1 ? [H, W] : [H, W, outCh]);
}

/** Options of {@link predictStack}: those of {@link predictImage}, and a threshold. */
export interface PredictStackOptions extends PredictImageOptions {
  /** Return a uint8 mask `prediction > threshold` instead of the probabilities. */
  threshold?: number;
}

/**
 * Predicts every image of a stack `[n, rows, cols]` with {@link predictImage}.
 *
 * @param model - a tfjs LayersModel taking one channel
 * @param images - a stack `[n, rows, cols]`
 * @param options - those of {@link predictImage}, and `threshold`
 * @returns float32 `[n, rows, cols]` probabilities, or a uint8 mask when `threshold` is given
 * @example
 *   const masks = await predictStack(unet, testImages, { threshold: 0.5 });
 */
export async function predictStack(model: tf.LayersModel, images: ArrayLike2D, options: PredictStackOptions = {}): Promise<NDArray> {
  const fn = 'predictStack';
  if (!images || !Array.isArray(images.shape) || images.shape.length !== 3) {
    throw new Error(`${fn}: images must be a stack [n, rows, cols], got shape [${images?.shape?.join(', ')}]`);
  }
  const { threshold, ...imageOptions } = options;
  if (threshold !== undefined && !Number.isFinite(threshold)) throw new Error(`${fn}: threshold must be a finite number, got ${String(threshold)}`);
  const stack = NDArray.from(images);
  if (stack.shape[0] === 0) throw new Error(`${fn}: images is an empty stack`);
  const out: NDArray[] = [];
  for (let k = 0; k < stack.shape[0]!; k++) {
    const p = await predictImage(model, stack.slice(k), imageOptions);
    out.push(threshold === undefined ? p : p.gt(threshold));
  }
  return NDArray.stack(out);
}
