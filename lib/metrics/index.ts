/**
 * metrics — scores with scikit-learn's definitions, and topology scores for thin structures.
 *
 * Public: confusion matrix, accuracy, precision, recall, F1, IoU, Dice, adjusted Rand index,
 * binary counts and hit codes (`classification.ts`); connected components, skeletons,
 * skeleton precision and recall, clDice, component errors (`topology.ts`); all of a
 * segmentation's scores at once and the best threshold for a score (`scores.ts`).
 */
export {
  accuracy, adjustedRandScore, binaryCounts, confusionMatrix, dice, f1Score, hitCodes, iou, precision, recall,
} from './classification.js';
export type { BinaryCounts, ConfusionOptions, LabelInput, ScoreOptions } from './classification.js';
export {
  clDiceScore, componentsError, connectedComponents, countComponents, skeletonPrecision, skeletonRecall, skeletonize,
} from './topology.js';
export type { ComponentsResult, ConnectedComponentsOptions, Connectivity } from './topology.js';
export { bestThreshold, segmentationScores } from './scores.js';
export type { BestThresholdOptions, SegmentationScores } from './scores.js';
