/**
 * Scores of a segmentation in one call, and the threshold a score likes best: what the roots
 * notebook compares across methods (pixel scores and topology scores side by side), and how
 * its baselines get their threshold (the one with the best score on the training images).
 */
import type { ArrayLike2D } from '../core/types.js';
import { NDArray } from '../core/ndarray.js';
import { dice, iou, precision, recall } from './classification.js';
import { componentsError, skeletonRecall } from './topology.js';

/** Pixel and topology scores of a binary segmentation. */
export interface SegmentationScores {
  dice: number;
  iou: number;
  precision: number;
  recall: number;
  /** share of the true skeleton the prediction covers ({@link skeletonRecall}) */
  skeletonRecall: number;
  /** mean difference in the number of separate pieces ({@link componentsError}) */
  componentsError: number;
}

/**
 * Dice, IoU, precision, recall, skeleton recall and components error of a prediction.
 *
 * @param truth - binary truth `[rows, cols]` or a stack `[n, rows, cols]`
 * @param pred - binary prediction of the same shape (threshold probabilities first)
 * @returns the six scores (pooled over a stack; components error is the mean per image)
 * @example
 *   segmentationScores(masks, pred).dice;
 */
export function segmentationScores(truth: ArrayLike2D, pred: ArrayLike2D): SegmentationScores {
  return {
    dice: dice(truth, pred), iou: iou(truth, pred), precision: precision(truth, pred), recall: recall(truth, pred),
    skeletonRecall: skeletonRecall(truth, pred), componentsError: componentsError(truth, pred),
  };
}

/** Options of {@link bestThreshold}. */
export interface BestThresholdOptions {
  /** Foreground is where the score is BELOW the threshold (dark objects). Default false (above). */
  below?: boolean;
  /** The score to maximise, `(truth, pred) → number`. Default Dice. */
  metric?: (truth: ArrayLike2D, pred: ArrayLike2D) => number;
}

/**
 * Tries each threshold on a score image and keeps the one whose segmentation scores best
 * against the truth (ties: the first).
 *
 * @param truth - binary truth
 * @param score - the image (or filter response) to threshold, same shape
 * @param thresholds - candidate thresholds
 * @param options - `below`, `metric`
 * @returns `{ threshold, value }`: the best threshold and its score
 * @example
 *   const { threshold } = bestThreshold(masks, ridge, [0.01, 0.02, 0.03]);
 */
export function bestThreshold(
  truth: ArrayLike2D,
  score: ArrayLike2D,
  thresholds: readonly number[],
  options: BestThresholdOptions = {},
): { threshold: number; value: number } {
  if (!Array.isArray(thresholds) || thresholds.length === 0) throw new Error('bestThreshold: thresholds must be a non-empty array');
  const s = NDArray.from(score);
  const metric = options.metric ?? dice;
  let best = { threshold: thresholds[0]!, value: -Infinity };
  for (const t of thresholds) {
    const value = metric(truth, options.below ? s.lt(t) : s.gt(t));
    if (value > best.value) best = { threshold: t, value };
  }
  return best;
}
