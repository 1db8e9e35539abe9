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
 */
import type { NumericArray } from '../core/types.js';

/** Thresholds of Keras' AUC (default 200). */
export const KERAS_AUC_THRESHOLDS = 200;

/** The names in a Keras-style history, in the lecture's order. */
export const KERAS_METRIC_NAMES = ['tp', 'fp', 'tn', 'fn', 'binary_accuracy', 'precision', 'recall', 'auc', 'mae'] as const;

/** One of {@link KERAS_METRIC_NAMES}. */
export type KerasMetricName = (typeof KERAS_METRIC_NAMES)[number];

/** Values of the nine metrics. */
export type KerasMetricValues = Record<KerasMetricName, number>;

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
