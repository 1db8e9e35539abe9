/**
 * The training metrics of the lecture with Keras' exact semantics, computed in JavaScript
 * from the predictions of each batch.
 *
 * Keras metrics are stateful: during an epoch each batch adds its counts, and the value
 * reported at the end is computed from the sums (so precision, recall and AUC are over all
 * pixels of the epoch, not a mean of per-batch values — tfjs-layers' `fit` averages per batch,
 * which is why training does not use it). This module keeps those sums:
 *
 * - `tp, fp, tn, fn` — `tf.keras.metrics.TruePositives()` etc. with threshold 0.5: a pixel is
 *   predicted positive when `p > 0.5` (strictly), a truth is positive when `y != 0` (Keras
 *   casts the truth to bool).
 * - `binary_accuracy` — `mean((p > 0.5) == y)`.
 * - `precision = tp / (tp + fp)`, `recall = tp / (tp + fn)` (0 when the denominator is 0,
 *   `divide_no_nan`).
 * - `auc` — `tf.keras.metrics.AUC()` defaults: ROC curve, 200 thresholds
 *   `[−ε, 1/199, 2/199, …, 198/199, 1 + ε]` (ε = 1e-7), a prediction counts as positive at a
 *   threshold when `p > t`; TPR and FPR per threshold; area by `summation_method
 *   'interpolation'`: `Σ_i (FPR_i − FPR_{i+1}) · (TPR_i + TPR_{i+1}) / 2` (the trapezoid rule).
 *   The counts per threshold are gathered with Keras' bucket method for evenly spaced
 *   thresholds: bucket `max(ceil(p·199) − 1, 0)`, then cumulative sums from the top.
 * - `mae` — `mean(|y − p|)`.
 *
 * Keras asserts that predictions lie in [0, 1] for the confusion metrics; the lecture's spot
 * U-Net ends in a ReLU, whose output can exceed 1. Here such values simply count as positive at
 * every threshold (`p > 1 + ε`), no error.
 *
 * On a GPU backend the predictions would have to be copied to the host after every batch (a
 * sync point that stalls the GPU, the whole prediction tensor each time).
 * {@link KerasMetricsDeviceAccumulator} keeps the same sums on the device instead — the counts
 * (confusion matrix and AUC buckets in one `bincount`, exact int32) and the absolute error and
 * loss (float32) — and reads them back once, when the epoch's progress line needs them. The
 * counts are the host's exactly; the absolute error is summed in float32 instead of float64.
 */
import * as tf from '@tensorflow/tfjs';
import type { NumericArray } from '../core/types.js';
import { metricHistogramWebGpu } from './kernels/webgpu/metric-histogram.js';

/** Thresholds of Keras' AUC (default 200). */
export const KERAS_AUC_THRESHOLDS = 200;

/** The names in a Keras-style history, in the lecture's order. */
export const KERAS_METRIC_NAMES = ['tp', 'fp', 'tn', 'fn', 'binary_accuracy', 'precision', 'recall', 'auc', 'mae'] as const;

/** One of {@link KERAS_METRIC_NAMES}. */
export type KerasMetricName = (typeof KERAS_METRIC_NAMES)[number];

/** Values of the nine metrics. */
export type KerasMetricValues = Record<KerasMetricName, number>;

/** The running sums behind the nine metrics (the state of {@link KerasMetricsAccumulator}). */
export interface KerasMetricSums {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Σ |y − p| */
  absErr: number;
  /** number of values */
  count: number;
  /** per AUC bucket: positive truths whose prediction falls in it */
  posBuckets: ArrayLike<number>;
  /** per AUC bucket: negative truths whose prediction falls in it */
  negBuckets: ArrayLike<number>;
}

/**
 * Accumulates Keras' nine segmentation metrics over batches (one instance per epoch and
 * data set, like Keras' `reset_state()` at each epoch).
 *
 * @example
 *   const acc = new KerasMetricsAccumulator();
 *   acc.update(maskBatch1, predBatch1);
 *   acc.update(maskBatch2, predBatch2);
 *   acc.result(); // { tp, fp, tn, fn, binary_accuracy, precision, recall, auc, mae }
 */
export class KerasMetricsAccumulator {
  /** Thresholds of the AUC. */
  readonly numThresholds: number;
  private tp = 0;
  private fp = 0;
  private tn = 0;
  private fn = 0;
  private absErr = 0;
  private count = 0;
  /** Per AUC bucket: how many positive / negative truths have their prediction in it. */
  private readonly posBuckets: Float64Array;
  private readonly negBuckets: Float64Array;

  /** @param numThresholds thresholds of the AUC (Keras' default 200; at least 3) */
  constructor(numThresholds = KERAS_AUC_THRESHOLDS) {
    if (!Number.isInteger(numThresholds) || numThresholds < 3) {
      throw new Error(`KerasMetricsAccumulator: numThresholds must be an integer >= 3, got ${String(numThresholds)}`);
    }
    this.numThresholds = numThresholds;
    this.posBuckets = new Float64Array(numThresholds);
    this.negBuckets = new Float64Array(numThresholds);
  }

  /**
   * Adds one batch.
   *
   * @param yTrue truths (0/1), any typed array
   * @param yPred predictions, same length
   */
  update(yTrue: NumericArray, yPred: NumericArray): void {
    const n = yTrue.length;
    if (yPred.length !== n) {
      throw new Error(`KerasMetricsAccumulator.update: yTrue has ${n} values but yPred has ${yPred.length}`);
    }
    const T = this.numThresholds;
    const scale = T - 1;
    const pos = this.posBuckets;
    const neg = this.negBuckets;
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    let abs = 0;
    for (let i = 0; i < n; i++) {
      const y = yTrue[i];
      const p = yPred[i];
      if (p !== p) throw new Error('KerasMetricsAccumulator.update: yPred contains NaN (training diverged?)');
      abs += Math.abs(y - p);
      const isPos = y !== 0;
      if (p > 0.5) {
        if (isPos) tp++;
        else fp++;
      } else if (isPos) fn++;
      else tn++;
      // Keras' bucket for evenly spaced thresholds: counts at thresholds 0 … bucket.
      let b = Math.ceil(Math.fround(p * scale)) - 1;
      if (b < 0) b = 0;
      else if (b > T - 1) b = T - 1;
      if (isPos) pos[b]++;
      else neg[b]++;
    }
    this.tp += tp;
    this.fp += fp;
    this.tn += tn;
    this.fn += fn;
    this.absErr += abs;
    this.count += n;
  }

  /**
   * Adds sums gathered elsewhere (e.g. on the GPU by {@link KerasMetricsDeviceAccumulator}).
   *
   * @param s the sums; its bucket arrays must have `numThresholds` entries
   */
  addSums(s: KerasMetricSums): void {
    const T = this.numThresholds;
    if (s.posBuckets.length !== T || s.negBuckets.length !== T) {
      throw new Error(`KerasMetricsAccumulator.addSums: expected ${T} buckets, got ${s.posBuckets.length} and ${s.negBuckets.length}`);
    }
    this.tp += s.tp;
    this.fp += s.fp;
    this.tn += s.tn;
    this.fn += s.fn;
    this.absErr += s.absErr;
    this.count += s.count;
    for (let i = 0; i < T; i++) {
      this.posBuckets[i] += s.posBuckets[i];
      this.negBuckets[i] += s.negBuckets[i];
    }
  }

  /** Number of values added so far. */
  get size(): number {
    return this.count;
  }

  /**
   * The metrics of everything added since construction.
   *
   * @returns the nine values (NaN for all but the counts when nothing was added)
   */
  result(): KerasMetricValues {
    const { tp, fp, tn, fn } = this;
    const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    return {
      tp,
      fp,
      tn,
      fn,
      binary_accuracy: this.count === 0 ? NaN : (tp + tn) / this.count,
      precision: div(tp, tp + fp),
      recall: div(tp, tp + fn),
      auc: aucFromBuckets(this.posBuckets, this.negBuckets),
      mae: this.count === 0 ? NaN : this.absErr / this.count,
    };
  }
}

/** ROC AUC by Keras' interpolation from per-bucket counts. */
function aucFromBuckets(pos: Float64Array, neg: Float64Array): number {
  const T = pos.length;
  // Counts above threshold i = sum of buckets i … T−1.
  const tpAt = new Float64Array(T);
  const fpAt = new Float64Array(T);
  let sp = 0;
  let sn = 0;
  for (let i = T - 1; i >= 0; i--) {
    sp += pos[i];
    sn += neg[i];
    tpAt[i] = sp;
    fpAt[i] = sn;
  }
  const P = sp;
  const N = sn;
  let area = 0;
  for (let i = 0; i < T - 1; i++) {
    const tpr0 = P === 0 ? 0 : tpAt[i] / P;
    const tpr1 = P === 0 ? 0 : tpAt[i + 1] / P;
    const fpr0 = N === 0 ? 0 : fpAt[i] / N;
    const fpr1 = N === 0 ? 0 : fpAt[i + 1] / N;
    area += (fpr0 - fpr1) * (tpr0 + tpr1) * 0.5;
  }
  return area;
}

/**
 * ROC AUC exactly as `tf.keras.metrics.AUC()` computes it with its defaults (200 thresholds,
 * ROC, interpolation / trapezoid) over one set of predictions.
 *
 * @param yTrue truths (0/1)
 * @param yPred predictions in [0, 1]
 * @param numThresholds thresholds (default 200)
 * @returns the area, in [0, 1] (0 when one class is absent, as Keras' divide_no_nan gives)
 * @example
 *   kerasRocAuc(new Uint8Array([0, 0, 1, 1]), new Float32Array([0.1, 0.4, 0.35, 0.8])); // 0.75
 */
export function kerasRocAuc(yTrue: NumericArray, yPred: NumericArray, numThresholds = KERAS_AUC_THRESHOLDS): number {
  const acc = new KerasMetricsAccumulator(numThresholds);
  acc.update(yTrue, yPred);
  return acc.result().auc;
}

/**
 * The counts of {@link KerasMetricsDeviceAccumulator} with tfjs ops, for backends other than
 * webgpu (whose `bincount` is wrong for int32, see ./kernels/webgpu/metric-histogram.ts):
 * int32 [2T + 5] = negatives' AUC buckets, positives' buckets, tn, fp, fn, tp, NaN count.
 */
function histogramOps(p: tf.Tensor, y: tf.Tensor, T: number): tf.Tensor {
  const int = (v: number) => tf.scalar(v, 'int32');
  const pos = tf.cast(tf.notEqual(y, 0), 'int32');
  // Keras' bucket for evenly spaced thresholds, as KerasMetricsAccumulator.update computes it
  // (p · (T − 1) is rounded to float32 on both sides).
  const bucket = tf.cast(tf.clipByValue(tf.sub(tf.ceil(tf.mul(p, T - 1)), 1), 0, T - 1), 'int32');
  const above = tf.cast(tf.greater(p, 0.5), 'int32');
  const index = tf.concat([tf.add(bucket, tf.mul(pos, int(T))), tf.add(tf.add(tf.mul(pos, int(2)), above), int(2 * T))]);
  const valid = tf.tile(tf.logicalNot(tf.isNaN(p)), [2]);
  const hist = tf.bincount(tf.where(valid, index, int(2 * T + 4)) as tf.Tensor1D, tf.tensor1d([], 'int32'), 2 * T + 5);
  // the NaN bin got two entries per NaN, the histogram none
  const nan = tf.reshape(tf.sum(tf.cast(tf.isNaN(p), 'int32')), [1]);
  return tf.concat([tf.slice(hist, 0, 2 * T + 4), nan]);
}

/**
 * The sums of {@link KerasMetricsAccumulator} (and a loss sum), kept on the tfjs backend's
 * device across batches and read back in one go: two readbacks (counts, float sums) however
 * many batches were added. Use one per epoch and data set; `dispose()` when done.
 *
 * @example
 *   const dev = new KerasMetricsDeviceAccumulator();
 *   dev.update(yBatch1, predBatch1, loss1, 3);   // tensors; nothing is read back
 *   dev.update(yBatch2, predBatch2, loss2, 3);
 *   const { sums, lossSum } = await dev.read();  // one sync point
 *   const acc = new KerasMetricsAccumulator(); acc.addSums(sums); acc.result();
 *   dev.dispose();
 */
export class KerasMetricsDeviceAccumulator {
  /** Thresholds of the AUC. */
  readonly numThresholds: number;
  /** int32 [2T + 5]: buckets of negatives, of positives, then tn, fp, fn, tp (index 2·pos + above), then NaN count */
  private counts: tf.Tensor | null = null;
  /** float32 [3]: Σ |y − p|, Σ loss · weight, Σ step flags (0 while every step was finite) */
  private floats: tf.Tensor | null = null;
  /** number of values added (counted on the host: exact) */
  private count = 0;

  /** @param numThresholds thresholds of the AUC (Keras' default 200; at least 3) */
  constructor(numThresholds = KERAS_AUC_THRESHOLDS) {
    if (!Number.isInteger(numThresholds) || numThresholds < 3) {
      throw new Error(`KerasMetricsDeviceAccumulator: numThresholds must be an integer >= 3, got ${String(numThresholds)}`);
    }
    this.numThresholds = numThresholds;
  }

  /**
   * Adds one batch; keeps only the small sum tensors (the inputs are not retained).
   *
   * @param yTrue truths (0/1), any shape
   * @param yPred predictions, the same number of values
   * @param loss optional scalar loss of the batch, added times `weight`
   * @param weight multiplier of `loss` (usually the batch size)
   * @param stepFlag optional flag of the training step (0 when finite, NaN not: `flaggedStep`)
   */
  update(yTrue: tf.Tensor, yPred: tf.Tensor, loss?: tf.Tensor, weight = 1, stepFlag?: tf.Tensor): void {
    if (yTrue.size !== yPred.size) {
      throw new Error(`KerasMetricsDeviceAccumulator.update: yTrue has ${yTrue.size} values but yPred has ${yPred.size}`);
    }
    const T = this.numThresholds;
    const [counts, floats] = tf.tidy(() => {
      const y = tf.cast(tf.reshape(yTrue, [-1]), 'float32');
      const p = tf.cast(tf.reshape(yPred, [-1]), 'float32');
      const c = tf.getBackend() === 'webgpu' ? metricHistogramWebGpu(p, y, T) : histogramOps(p, y, T);
      const absErr = tf.sum(tf.abs(tf.sub(y, p)));
      const l = loss ? tf.mul(tf.reshape(tf.cast(loss, 'float32'), []), weight) : tf.scalar(0);
      const f = tf.stack([absErr, l, stepFlag ? tf.reshape(tf.cast(stepFlag, 'float32'), []) : tf.scalar(0)]);
      return [this.counts ? tf.add(this.counts, c) : c, this.floats ? tf.add(this.floats, f) : f];
    });
    this.counts?.dispose();
    this.floats?.dispose();
    // kept, so that an enclosing tf.tidy (e.g. around a batch) does not free the running sums
    this.counts = tf.keep(counts);
    this.floats = tf.keep(floats);
    this.count += yTrue.size;
  }

  /**
   * Reads the sums back (the only sync point) and checks the predictions had no NaN (unless a
   * step was flagged: the caller undoes those).
   *
   * @returns the metric sums, the weighted loss sum (zeros when nothing was added) and whether
   *   every flagged step was finite
   */
  async read(): Promise<{ sums: KerasMetricSums; lossSum: number; stepsFinite: boolean }> {
    const T = this.numThresholds;
    if (!this.counts || !this.floats) {
      return { sums: { tp: 0, fp: 0, tn: 0, fn: 0, absErr: 0, count: 0, posBuckets: new Float64Array(T), negBuckets: new Float64Array(T) }, lossSum: 0, stepsFinite: true };
    }
    const [c, f] = await Promise.all([this.counts.data(), this.floats.data()]);
    const stepsFinite = f[2] === 0;
    if (stepsFinite && c[2 * T + 4] > 0) throw new Error('KerasMetricsAccumulator.update: yPred contains NaN (training diverged?)');
    return {
      sums: {
        negBuckets: Array.from(c.subarray(0, T)),
        posBuckets: Array.from(c.subarray(T, 2 * T)),
        tn: c[2 * T], fp: c[2 * T + 1], fn: c[2 * T + 2], tp: c[2 * T + 3],
        absErr: f[0],
        count: this.count,
      },
      lossSum: f[1],
      stepsFinite,
    };
  }

  /** Frees the sum tensors. */
  dispose(): void {
    this.counts?.dispose();
    this.floats?.dispose();
    this.counts = null;
    this.floats = null;
    this.count = 0;
  }
}
