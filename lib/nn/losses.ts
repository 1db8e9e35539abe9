/**
 * Loss functions for binary segmentation, usable directly in
 * `model.compile({ optimizer, loss })` of a tfjs LayersModel.
 *
 * Every loss takes `(yTrue, yPred)` of the same shape — masks in {0, 1} (soft labels in
 * [0, 1] work too) and predicted probabilities — and returns a scalar. They are written
 * with differentiable tfjs ops only, so `tf.grad` and the optimisers differentiate them
 * with respect to `yPred` on every backend.
 *
 * Notation in the formulas: `y` the truth, `p` the prediction, `N` the number of
 * elements, `ε = 1e-7` (Keras' `epsilon()`), `clip(p) = min(max(p, ε), 1 − ε)`.
 *
 * The cross-entropy family (BCE, weighted BCE, focal) shares one pair of log terms,
 * `log(clip(p) + ε)` and `log(1 − clip(p) + ε)`: exactly what Keras 2 / tf.keras
 * (`keras.backend.binary_crossentropy`, which the lecture trained with) computes — it clips
 * and then still adds ε inside the log. `trainModel`'s default loss is {@link bceLoss}, so
 * there is one binary cross-entropy in the project; test/nn-losses.test.ts checks it against
 * that formula written in numpy.
 *
 * Shapes of the API: the losses without parameters are loss functions themselves (`bceLoss`,
 * `diceLoss`), the others are factories that return one (`weightedBceLoss(w)`, `focalLoss({...})`,
 * `clDiceLoss({...})`, `softDiceLoss({...})` for Dice with other smoothing), so every entry can be
 * passed as `loss` to `trainModel` or `model.compile` as written. `segmentationLoss(name)` picks one
 * by name for loops over losses.
 *
 * Design notes: cross-entropy and focal loss clip the prediction like Keras, so the lecture's ReLU
 * output (which can exceed 1) gives finite values; Dice and clDice do not clip (they need no log).
 * clDice follows the reference code of Shit et al. (github.com/jocpae/clDice) operation for
 * operation; the tests compare every loss and its gradient with PyTorch 1.13 in float64.
 */
import * as tf from '@tensorflow/tfjs';
import type { NumericArray } from '../core/types.js';

/** A loss as `model.compile({ loss })` accepts it: truth and prediction in, a scalar out. */
export type SegmentationLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Keras' fuzz factor `epsilon()`: predictions are clipped to `[ε, 1 − ε]` before a log. */
export const LOSS_EPSILON = 1e-7;

function checkPair(loss: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  if (!(yTrue instanceof tf.Tensor) || !(yPred instanceof tf.Tensor)) {
    throw new Error(`${loss}: yTrue and yPred must be tf.Tensor objects`);
  }
  if (!tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
    throw new Error(
      `${loss}: yTrue has shape [${yTrue.shape.join(', ')}] but yPred has shape [${yPred.shape.join(', ')}]; they must match`,
    );
  }
  if (yPred.size === 0) throw new Error(`${loss}: yPred is empty`);
}

function checkNumber(loss: string, name: string, value: number, min: number, minInclusive: boolean): void {
  const ok = Number.isFinite(value) && (minInclusive ? value >= min : value > min);
  if (!ok) {
    throw new Error(`${loss}: ${name} must be a finite number ${minInclusive ? '>=' : '>'} ${min}, got ${value}`);
  }
}

/**
 * Keras' two log terms of the binary cross-entropy: `[log(clip(p) + ε), log(1 − clip(p) + ε)]`
 * (see the module header). `p` is cast to float32.
 */
function logTerms(yPred: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const p = tf.clipByValue(tf.cast(yPred, 'float32'), LOSS_EPSILON, 1 - LOSS_EPSILON);
  return [tf.log(tf.add(p, LOSS_EPSILON)), tf.log(tf.add(tf.sub(1, p), LOSS_EPSILON))];
}

/** Gives a loss function a readable name (tfjs shows it in model summaries and saved configs). */
function named(name: string, fn: SegmentationLoss): SegmentationLoss {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/**
 * Binary cross-entropy exactly as Keras computes it (`binary_crossentropy` on probabilities).
 *
 * `BCE = −(1/N) Σ [ y·log(clip(p) + ε) + (1 − y)·log(1 − clip(p) + ε) ]`, ε = 1e-7 and `clip` to
 * `[ε, 1 − ε]` (so a ReLU output above 1, as in the lecture's spot U-Net, does not give NaN; the
 * gradient is zero where the prediction is clipped, as in Keras). The mean is over every element,
 * which equals Keras' mean over the last axis followed by the mean over the batch. This is also
 * `trainModel`'s `loss: 'bce'`.
 *
 * @param yTrue truth, any shape, values in [0, 1]
 * @param yPred predicted probabilities, same shape
 * @returns the mean cross-entropy, a scalar
 * @example
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: bceLoss });
 * bceLoss(tf.tensor([1, 0]), tf.tensor([0.9, 0.2])); // ≈ 0.1643
 */
export const bceLoss: SegmentationLoss = named('binary_crossentropy', (yTrue, yPred) => {
  checkPair('bceLoss', yTrue, yPred);
  return tf.tidy(() => {
    const y = tf.cast(yTrue, 'float32');
    const [logP, logQ] = logTerms(yPred);
    return tf.neg(tf.mean(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), logQ)))) as tf.Scalar;
  });
});

/**
 * Weighted binary cross-entropy: the positive (foreground) class counts `positiveWeight` times.
 *
 * `WBCE = −(1/N) Σ [ w·y·log(clip(p) + ε) + (1 − y)·log(1 − clip(p) + ε) ]`. With `w = 1` it is
 * {@link bceLoss}. {@link positiveClassWeight} gives `w = n_negative / n_positive`, which
 * makes both classes weigh the same in total.
 *
 * @param positiveWeight the weight `w > 0` of foreground pixels
 * @returns the loss function
 * @example
 * const w = positiveClassWeight(trainMasks); // e.g. 49 when 2 % of the pixels are roots
 * model.compile({ optimizer: 'adam', loss: weightedBceLoss(w) });
 */
export function weightedBceLoss(positiveWeight: number): SegmentationLoss {
  checkNumber('weightedBceLoss', 'positiveWeight', positiveWeight, 0, false);
  return named('weighted_binary_crossentropy', (yTrue, yPred) => {
    checkPair('weightedBceLoss', yTrue, yPred);
    return tf.tidy(() => {
      const y = tf.cast(yTrue, 'float32');
      const [logP, logQ] = logTerms(yPred);
      const pos = tf.mul(tf.mul(y, positiveWeight), logP);
      const neg = tf.mul(tf.sub(1, y), logQ);
      return tf.neg(tf.mean(tf.add(pos, neg))) as tf.Scalar;
    });
  });
}

/** Anything holding mask values: a typed array or an `{ data }` image (ArrayLike2D, NDArray). */
export type MaskSource = NumericArray | { readonly data: NumericArray };

/**
 * The positive-class weight for {@link weightedBceLoss} from class frequencies:
 * `w = n_negative / n_positive`, counting pixels with value `> threshold` as positive.
 *
 * @param masks one mask or several (typed arrays or `{ data }` images such as NDArray)
 * @param threshold values above it are foreground (default 0.5)
 * @returns `n_negative / n_positive`
 * @throws when there are no pixels, no positive pixels, or a value is NaN
 * @example
 * positiveClassWeight(new Uint8Array([0, 0, 0, 1])); // 3
 */
export function positiveClassWeight(masks: MaskSource | readonly MaskSource[], threshold = 0.5): number {
  if (!Number.isFinite(threshold)) throw new Error(`positiveClassWeight: threshold must be finite, got ${threshold}`);
  const list: readonly MaskSource[] = Array.isArray(masks) ? masks : [masks as MaskSource];
  let pos = 0;
  let total = 0;
  list.forEach((m, k) => {
    const data: NumericArray | undefined = ArrayBuffer.isView(m) ? (m as NumericArray) : (m as { data: NumericArray }).data;
    if (!data || !ArrayBuffer.isView(data)) {
      throw new Error(`positiveClassWeight: mask ${k} is neither a typed array nor an object with a typed-array 'data'`);
    }
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (Number.isNaN(v)) throw new Error(`positiveClassWeight: mask ${k} holds NaN at index ${i}`);
      if (v > threshold) pos++;
    }
    total += data.length;
  });
  if (total === 0) throw new Error('positiveClassWeight: the masks hold no pixels');
  if (pos === 0) throw new Error(`positiveClassWeight: no pixel is above ${threshold}, the positive weight is undefined`);
  return (total - pos) / pos;
}

/** Options of {@link softDiceLoss}. */
export interface DiceLossOptions {
  /** Added to numerator and denominator; keeps the loss defined for empty masks (default 1). */
  readonly smooth?: number;
  /** Compute one Dice per image (axis 0) and average, instead of one over the whole batch (default false). */
  readonly perImage?: boolean;
}

function softDiceTensor(y: tf.Tensor, p: tf.Tensor, smooth: number, perImage: boolean): tf.Tensor {
  const axes = perImage ? [...Array(p.rank).keys()].slice(1) : undefined;
  const inter = tf.sum(tf.mul(y, p), axes);
  const denom = tf.add(tf.add(tf.sum(y, axes), tf.sum(p, axes)), smooth);
  return tf.sub(1, tf.div(tf.add(tf.mul(inter, 2), smooth), denom));
}

/**
 * Soft Dice loss with chosen smoothing: `1 − (2 Σ y·p + s) / (Σ y + Σ p + s)`.
 *
 * Sums run over the whole batch (default) or over each image with `perImage`, the per-image losses
 * then averaged. The prediction is not clipped or thresholded, so the loss is differentiable.
 * {@link diceLoss} is this loss with the defaults.
 *
 * @param options `smooth` (default 1), `perImage` (default false)
 * @returns the loss function
 * @example
 * model.compile({ optimizer: 'adam', loss: softDiceLoss({ smooth: 1, perImage: true }) });
 * softDiceLoss({ smooth: 0 })(tf.tensor([1, 1, 0]), tf.tensor([1, 0, 0])); // 1 − 2/3
 */
export function softDiceLoss(options: DiceLossOptions = {}): SegmentationLoss {
  const smooth = options.smooth ?? 1;
  const perImage = options.perImage ?? false;
  checkNumber('softDiceLoss', 'smooth', smooth, 0, true);
  return named('dice_loss', (yTrue, yPred) => {
    checkPair('diceLoss', yTrue, yPred);
    if (perImage && yPred.rank < 2) throw new Error('diceLoss: perImage needs a batch axis (rank >= 2)');
    return tf.tidy(() => {
      const d = softDiceTensor(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32'), smooth, perImage);
      return tf.mean(d) as tf.Scalar;
    });
  });
}

/**
 * Soft Dice loss `1 − (2 Σ y·p + 1) / (Σ y + Σ p + 1)`, sums over the whole batch.
 *
 * Dice measures overlap relative to the size of both masks, so the many background pixels of a
 * root image do not dominate it as they do cross-entropy. For other smoothing or a per-image mean
 * use {@link softDiceLoss}.
 *
 * @param yTrue truth, any shape, values in [0, 1]
 * @param yPred predicted probabilities, same shape
 * @returns the loss, a scalar in [0, 1]
 * @example
 * model.compile({ optimizer: 'adam', loss: diceLoss });
 * diceLoss(tf.tensor([1, 1, 0]), tf.tensor([1, 0, 0])); // 1 − 3/4 = 0.25
 */
export const diceLoss: SegmentationLoss = softDiceLoss();

/** Options of {@link focalLoss}. */
export interface FocalLossOptions {
  /** Focusing parameter γ ≥ 0; 0 gives (α-weighted) cross-entropy (default 2, as Lin et al.). */
  readonly gamma?: number;
  /** Weight α ∈ [0, 1] of the positive class, 1 − α of the negative; `null` for none (default 0.25, as Lin et al.). */
  readonly alpha?: number | null;
}

/**
 * Binary focal loss (Lin et al. 2017, "Focal loss for dense object detection").
 *
 * `FL = −(1/N) Σ [ α·y·(1 − p)^γ·log(p + ε) + (1 − α)·(1 − y)·p^γ·log(1 − p + ε) ]` with
 * `p = clip(p)` (the log terms of {@link bceLoss}, as tf.keras' focal cross-entropy multiplies
 * Keras' BCE); for hard labels this is `−α_t (1 − p_t)^γ log p_t`. Without α (`alpha: null`) both weights are 1.
 * Note Lin et al.'s α = 0.25 weights the positives *less*; for rare foreground such as roots, try
 * α = 0.75 or more.
 *
 * @param options `gamma` (default 2), `alpha` (default 0.25; `null` for no class weight)
 * @returns the loss function
 * @example
 * model.compile({ optimizer: 'adam', loss: focalLoss({ gamma: 2, alpha: 0.75 }) });
 */
export function focalLoss(options: FocalLossOptions = {}): SegmentationLoss {
  const gamma = options.gamma ?? 2;
  const alpha = options.alpha === undefined ? 0.25 : options.alpha;
  checkNumber('focalLoss', 'gamma', gamma, 0, true);
  if (alpha !== null) {
    checkNumber('focalLoss', 'alpha', alpha, 0, true);
    if (alpha > 1) throw new Error(`focalLoss: alpha must be in [0, 1], got ${alpha}`);
  }
  const wPos = alpha === null ? 1 : alpha;
  const wNeg = alpha === null ? 1 : 1 - alpha;
  return named('focal_loss', (yTrue, yPred) => {
    checkPair('focalLoss', yTrue, yPred);
    return tf.tidy(() => {
      const y = tf.cast(yTrue, 'float32');
      const p = tf.clipByValue(tf.cast(yPred, 'float32'), LOSS_EPSILON, 1 - LOSS_EPSILON);
      const [logP, logQ] = logTerms(yPred);
      const pos = tf.mul(tf.mul(y, wPos), tf.mul(tf.pow(tf.sub(1, p), gamma), logP));
      const neg = tf.mul(tf.mul(tf.sub(1, y), wNeg), tf.mul(tf.pow(p, gamma), logQ));
      return tf.neg(tf.mean(tf.add(pos, neg))) as tf.Scalar;
    });
  });
}

function as4D(loss: string, x: tf.Tensor): tf.Tensor4D {
  if (x.rank === 4) return x as tf.Tensor4D;
  if (x.rank === 3) return tf.expandDims(x, -1) as tf.Tensor4D;
  if (x.rank === 2) {
    const [rows, cols] = x.shape as number[];
    return tf.reshape(x, [1, rows, cols, 1]);
  }
  throw new Error(`${loss}: expects images [batch, rows, cols, channels], [batch, rows, cols] or [rows, cols]; got shape [${x.shape.join(', ')}]`);
}

/** Soft erosion: the minimum of a 3×1 and a 1×3 min-pool, a min-pool being `−maxpool(−x)`. */
function softErode(x: tf.Tensor4D): tf.Tensor4D {
  const nx = tf.neg(x);
  const p1 = tf.neg(tf.maxPool(nx, [3, 1], 1, 'same'));
  const p2 = tf.neg(tf.maxPool(nx, [1, 3], 1, 'same'));
  return tf.minimum(p1, p2);
}

/** Soft dilation: a 3×3 max-pool. */
function softDilate(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, [3, 3], 1, 'same');
}

/**
 * The soft skeleton of Shit et al. (2021, clDice), a differentiable stand-in for morphological
 * skeletonisation of probability maps.
 *
 * With `erode(x) = min(−maxpool₃ₓ₁(−x), −maxpool₁ₓ₃(−x))`, `dilate(x) = maxpool₃ₓ₃(x)` and
 * `open(x) = dilate(erode(x))` (pools with stride 1, 'same' size):
 * `skel₀ = relu(x − open(x))`; then `iterations` times: `x ← erode(x)`,
 * `δ = relu(x − open(x))`, `skel ← skel + relu(δ − skel·δ)`.
 * Structures thinner than about `2·iterations + 1` pixels are skeletonised fully.
 *
 * @param x images `[batch, rows, cols, channels]` (also `[batch, rows, cols]` or `[rows, cols]`), values in [0, 1]
 * @param iterations number of erosion steps (default 3, as in the paper's code)
 * @returns the soft skeleton, shaped `[batch, rows, cols, channels]`
 * @example
 * const skel = softSkeleton(tf.ones([1, 5, 5, 1]), 3);
 */
export function softSkeleton(x: tf.Tensor, iterations = 3): tf.Tensor4D {
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new Error(`softSkeleton: iterations must be an integer >= 0, got ${iterations}`);
  }
  return tf.tidy(() => {
    let img = tf.cast(as4D('softSkeleton', x), 'float32') as tf.Tensor4D;
    let skel = tf.relu(tf.sub(img, softDilate(softErode(img)))) as tf.Tensor4D;
    for (let j = 0; j < iterations; j++) {
      img = softErode(img);
      const delta = tf.relu(tf.sub(img, softDilate(softErode(img))));
      skel = tf.add(skel, tf.relu(tf.sub(delta, tf.mul(skel, delta)))) as tf.Tensor4D;
    }
    return skel;
  });
}

/** Options of {@link clDiceLoss}. */
export interface ClDiceLossOptions {
  /** Erosion steps of the soft skeleton (default 3). */
  readonly iterations?: number;
  /** Weight of the clDice term; `1 − alpha` goes to the soft Dice loss (default 0.5; 1 = pure clDice). */
  readonly alpha?: number;
  /** Smooth term of tprec, tsens and of the Dice part (default 1). */
  readonly smooth?: number;
}

/**
 * Topology-aware loss: soft Dice combined with soft clDice (Shit et al. 2021, "clDice — a novel
 * topology-preserving loss function for tubular structure segmentation").
 *
 * With soft skeletons `S_p = softSkeleton(p)`, `S_y = softSkeleton(y)` (see {@link softSkeleton}) and sums
 * over the whole batch:
 * `tprec = (Σ S_p·y + s) / (Σ S_p + s)` (the predicted skeleton lying inside the truth),
 * `tsens = (Σ S_y·p + s) / (Σ S_y + s)` (the true skeleton covered by the prediction),
 * `clDice = 1 − 2·tprec·tsens / (tprec + tsens)`, and
 * `loss = (1 − α)·(1 − (2 Σ y·p + s)/(Σ y + Σ p + s)) + α·clDice`.
 * Broken branches lower tsens, so the loss rewards connected structures.
 *
 * @param options `iterations` (default 3), `alpha` (default 0.5), `smooth` (default 1)
 * @returns the loss function (inputs `[batch, rows, cols, channels]`, `[batch, rows, cols]` or `[rows, cols]`)
 * @example
 * model.compile({ optimizer: 'adam', loss: clDiceLoss({ iterations: 5, alpha: 0.5 }) });
 */
export function clDiceLoss(options: ClDiceLossOptions = {}): SegmentationLoss {
  const iterations = options.iterations ?? 3;
  const alpha = options.alpha ?? 0.5;
  const smooth = options.smooth ?? 1;
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new Error(`clDiceLoss: iterations must be an integer >= 0, got ${iterations}`);
  }
  checkNumber('clDiceLoss', 'alpha', alpha, 0, true);
  if (alpha > 1) throw new Error(`clDiceLoss: alpha must be in [0, 1], got ${alpha}`);
  checkNumber('clDiceLoss', 'smooth', smooth, 0, true);
  return named('cldice_loss', (yTrue, yPred) => {
    checkPair('clDiceLoss', yTrue, yPred);
    return tf.tidy(() => {
      const y = tf.cast(as4D('clDiceLoss', yTrue), 'float32');
      const p = tf.cast(as4D('clDiceLoss', yPred), 'float32');
      const sp = softSkeleton(p, iterations);
      const sy = softSkeleton(y, iterations);
      const tprec = tf.div(tf.add(tf.sum(tf.mul(sp, y)), smooth), tf.add(tf.sum(sp), smooth));
      const tsens = tf.div(tf.add(tf.sum(tf.mul(sy, p)), smooth), tf.add(tf.sum(sy), smooth));
      const cl = tf.sub(1, tf.div(tf.mul(tf.mul(tprec, tsens), 2), tf.add(tprec, tsens)));
      const dice = softDiceTensor(y, p, smooth, false);
      return tf.add(tf.mul(dice, 1 - alpha), tf.mul(cl, alpha)) as tf.Scalar;
    });
  });
}

/** The names {@link segmentationLoss} knows. */
export type SegmentationLossName = 'bce' | 'weighted-bce' | 'dice' | 'focal' | 'cldice';

/** Options of {@link segmentationLoss}: those of the named loss. */
export interface SegmentationLossOptions extends DiceLossOptions, FocalLossOptions {
  /** For 'weighted-bce': the positive weight (required). */
  readonly positiveWeight?: number;
  /** For 'cldice': soft-skeleton iterations. */
  readonly iterations?: number;
  /** For 'cldice': weight of the clDice term (for 'focal' the class weight α is `alpha` too). */
  readonly clDiceAlpha?: number;
}

/**
 * A loss by name, for loops that compare losses (as the roots notebook does).
 *
 * @param name 'bce' | 'weighted-bce' | 'dice' | 'focal' | 'cldice'
 * @param options the options of that loss (`positiveWeight` for 'weighted-bce'; `clDiceAlpha` for 'cldice')
 * @returns the loss function
 * @example
 * for (const name of ['bce', 'dice', 'cldice'] as const) model.compile({ optimizer: 'adam', loss: segmentationLoss(name) });
 */
export function segmentationLoss(name: SegmentationLossName, options: SegmentationLossOptions = {}): SegmentationLoss {
  switch (name) {
    case 'bce':
      return bceLoss;
    case 'weighted-bce':
      if (options.positiveWeight === undefined) {
        throw new Error("segmentationLoss: 'weighted-bce' needs options.positiveWeight (see positiveClassWeight)");
      }
      return weightedBceLoss(options.positiveWeight);
    case 'dice':
      return softDiceLoss({ smooth: options.smooth, perImage: options.perImage });
    case 'focal':
      return focalLoss({ gamma: options.gamma, alpha: options.alpha });
    case 'cldice':
      return clDiceLoss({ iterations: options.iterations, alpha: options.clDiceAlpha, smooth: options.smooth });
    default:
      throw new Error(`segmentationLoss: unknown loss '${String(name)}'; use bce, weighted-bce, dice, focal or cldice`);
  }
}
