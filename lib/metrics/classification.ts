/**
 * Classification and segmentation scores with scikit-learn's definitions: confusion
 * matrix (with its `normalize` options), accuracy, precision, recall, F1, IoU (Jaccard),
 * Dice, the adjusted Rand index, and the lecture's hit-map codes (TN, FN, FP, TP).
 *
 * Inputs are flat or shaped: number[], any typed array, or an NDArray / `{data, shape}`
 * (bool, uint8, float). Binary scores treat any non-zero value as positive (numpy's
 * `astype(bool)`), so a 0/1 mask, a bool NDArray and a thresholded float image all work.
 * Counting runs over typed arrays in one pass (millions of pixels, no intermediate arrays).
 * Undefined ratios (0/0) are 0, scikit-learn's `zero_division` default value.
 *
 * @example
 *   import { confusionMatrix, recall, hitCodes } from 'neutron-seg';
 *   confusionMatrix(gt, pred, { normalize: 'all' });   // [[TN, FP], [FN, TP]] fractions
 *   recall(gt, pred);
 *   const codes = hitCodes(gt, pred);                   // uint8 image: 0 TN, 1 FN, 2 FP, 3 TP
 */
import { NDArray } from '../core/ndarray.js';
import type { NumericArray } from '../core/types.js';

/** Labels or a mask: number[], a typed array, or an NDArray-like `{data, shape}`. */
export type LabelInput = readonly number[] | NumericArray | { readonly data: NumericArray; readonly shape?: readonly number[] };

function values(a: LabelInput, name: string): ArrayLike<number> {
  if (Array.isArray(a)) return a as readonly number[];
  if (ArrayBuffer.isView(a)) return a as NumericArray;
  if (a && typeof a === 'object' && 'data' in a && ArrayBuffer.isView(a.data)) return a.data;
  throw new Error(`${name} must be a number[], a typed array or an NDArray`);
}

function pair(truth: LabelInput, pred: LabelInput, where: string): [ArrayLike<number>, ArrayLike<number>] {
  const t = values(truth, `${where}: truth`);
  const p = values(pred, `${where}: pred`);
  if (t.length !== p.length) throw new Error(`${where}: truth has ${t.length} values, pred has ${p.length}`);
  return [t, p];
}

/** Counts of a binary comparison (non-zero = positive). */
export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * True/false positives and negatives of a binary prediction.
 * @param truth ground truth (non-zero = positive)
 * @param pred prediction (non-zero = positive)
 * @returns {tp, fp, tn, fn}
 * @example
 *   binaryCounts([0, 1, 1, 0], [0, 1, 0, 1]);   // {tp: 1, fp: 1, tn: 1, fn: 1}
 */
export function binaryCounts(truth: LabelInput, pred: LabelInput): BinaryCounts {
  const [t, p] = pair(truth, pred, 'binaryCounts');
  const c = [0, 0, 0, 0]; // index gt + 2·pred
  for (let i = 0; i < t.length; i++) c[(t[i] ? 1 : 0) + (p[i] ? 2 : 0)]!++;
  return { tn: c[0]!, fn: c[1]!, fp: c[2]!, tp: c[3]! };
}

const ratio = (a: number, b: number, zeroDivision: number) => (b === 0 ? zeroDivision : a / b);

/** Options of the binary scores: the value returned for 0/0 (scikit-learn: 0). */
export interface ScoreOptions {
  zeroDivision?: number;
}

/**
 * Fraction of equal labels (scikit-learn's `accuracy_score`; any label values).
 * @example accuracy([0, 1, 2, 2], [0, 1, 1, 2]);   // 0.75
 */
export function accuracy(truth: LabelInput, pred: LabelInput): number {
  const [t, p] = pair(truth, pred, 'accuracy');
  if (t.length === 0) throw new Error('accuracy: empty input');
  let same = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) same++;
  return same / t.length;
}

/**
 * TP / (TP + FP) of a binary prediction (`precision_score`).
 * @example precision([0, 1, 1, 0], [0, 1, 0, 1]);   // 0.5
 */
export function precision(truth: LabelInput, pred: LabelInput, options: ScoreOptions = {}): number {
  const c = binaryCounts(truth, pred);
  return ratio(c.tp, c.tp + c.fp, options.zeroDivision ?? 0);
}

/**
 * TP / (TP + FN) of a binary prediction (`recall_score`).
 * @example recall([0, 1, 1, 0], [0, 1, 0, 1]);   // 0.5
 */
export function recall(truth: LabelInput, pred: LabelInput, options: ScoreOptions = {}): number {
  const c = binaryCounts(truth, pred);
  return ratio(c.tp, c.tp + c.fn, options.zeroDivision ?? 0);
}

/**
 * Harmonic mean of precision and recall, 2TP / (2TP + FP + FN) (`f1_score`).
 * @example f1Score([0, 1, 1, 0], [0, 1, 0, 1]);   // 0.5
 */
export function f1Score(truth: LabelInput, pred: LabelInput, options: ScoreOptions = {}): number {
  const c = binaryCounts(truth, pred);
  return ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn, options.zeroDivision ?? 0);
}

/**
 * Intersection over union, TP / (TP + FP + FN) (`jaccard_score`).
 * @example iou([0, 1, 1, 0], [0, 1, 0, 1]);   // 1/3
 */
export function iou(truth: LabelInput, pred: LabelInput, options: ScoreOptions = {}): number {
  const c = binaryCounts(truth, pred);
  return ratio(c.tp, c.tp + c.fp + c.fn, options.zeroDivision ?? 0);
}

/**
 * Dice coefficient, 2TP / (2TP + FP + FN) (equals F1 for binary masks).
 * @example dice([0, 1, 1, 0], [0, 1, 0, 1]);   // 0.5
 */
export function dice(truth: LabelInput, pred: LabelInput, options: ScoreOptions = {}): number {
  return f1Score(truth, pred, options);
}

/** Options of {@link confusionMatrix}. */
export interface ConfusionOptions {
  /** 'true' (rows sum to 1), 'pred' (columns sum to 1), 'all' (everything sums to 1) or none (counts). */
  normalize?: 'true' | 'pred' | 'all';
  /** Label order of rows and columns; default: sorted distinct values of truth and pred. */
  labels?: readonly number[];
}

/**
 * Confusion matrix, rows = truth, columns = prediction (scikit-learn's `confusion_matrix`).
 * Samples whose truth or prediction is not in `labels` are left out; normalised rows or
 * columns without samples are 0, as in scikit-learn.
 * @param truth true labels
 * @param pred predicted labels
 * @param options normalize, labels
 * @returns `number[][]`, for binary 0/1 labels `[[TN, FP], [FN, TP]]`
 * @example
 *   confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1]);                       // [[1, 1], [0, 2]]
 *   confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], { normalize: 'true' }); // [[0.5, 0.5], [0, 1]]
 */
export function confusionMatrix(truth: LabelInput, pred: LabelInput, options: ConfusionOptions = {}): number[][] {
  const [t, p] = pair(truth, pred, 'confusionMatrix');
  const { normalize } = options;
  if (normalize !== undefined && normalize !== 'true' && normalize !== 'pred' && normalize !== 'all') {
    throw new Error(`confusionMatrix: normalize must be 'true', 'pred', 'all' or undefined, got '${String(normalize)}'`);
  }
  let labels: number[];
  if (options.labels) {
    labels = [...options.labels];
    if (labels.length === 0) throw new Error('confusionMatrix: labels is empty');
    if (new Set(labels).size !== labels.length) throw new Error('confusionMatrix: labels has duplicates');
  } else {
    const s = new Set<number>();
    for (let i = 0; i < t.length; i++) {
      s.add(t[i]!);
      s.add(p[i]!);
    }
    labels = [...s].sort((a, b) => a - b);
  }
  const L = labels.length;
  const cm = new Float64Array(L * L);
  // small integer labels (masks, classes): direct index; others: a map
  let minL = Infinity;
  let maxL = -Infinity;
  let ints = true;
  for (const l of labels) {
    if (!Number.isInteger(l)) ints = false;
    minL = Math.min(minL, l);
    maxL = Math.max(maxL, l);
  }
  if (ints && maxL - minL < 65536) {
    const idx = new Int32Array(maxL - minL + 1).fill(-1);
    labels.forEach((l, i) => (idx[l - minL] = i));
    const span = maxL - minL;
    for (let i = 0; i < t.length; i++) {
      const a = t[i]! - minL;
      const b = p[i]! - minL;
      if (a >= 0 && a <= span && b >= 0 && b <= span) {
        const ia = idx[a]!;
        const ib = idx[b]!;
        if (ia >= 0 && ib >= 0 && Number.isInteger(a) && Number.isInteger(b)) cm[ia * L + ib]!++;
      }
    }
  } else {
    const idx = new Map(labels.map((l, i) => [l, i]));
    for (let i = 0; i < t.length; i++) {
      const ia = idx.get(t[i]!);
      const ib = idx.get(p[i]!);
      if (ia !== undefined && ib !== undefined) cm[ia * L + ib]!++;
    }
  }
  const out: number[][] = [];
  for (let r = 0; r < L; r++) out.push(Array.from(cm.subarray(r * L, (r + 1) * L)));
  if (normalize === 'all') {
    let s = 0;
    for (const v of cm) s += v;
    for (const row of out) for (let c = 0; c < L; c++) row[c] = s > 0 ? row[c]! / s : 0;
  } else if (normalize === 'true') {
    for (const row of out) {
      const s = row.reduce((a, b) => a + b, 0);
      for (let c = 0; c < L; c++) row[c] = s > 0 ? row[c]! / s : 0;
    }
  } else if (normalize === 'pred') {
    for (let c = 0; c < L; c++) {
      let s = 0;
      for (let r = 0; r < L; r++) s += out[r]![c]!;
      for (let r = 0; r < L; r++) out[r]![c] = s > 0 ? out[r]![c]! / s : 0;
    }
  }
  return out;
}

/**
 * Hit-map codes of a binary segmentation, per pixel `gt + 2·pred`:
 * 0 true negative, 1 false negative, 2 false positive, 3 true positive.
 * @param gt ground truth mask (non-zero = positive)
 * @param pred predicted mask (non-zero = positive), same number of pixels
 * @returns uint8 NDArray with the shape of `gt` (flat `[n]` for plain arrays)
 * @example
 *   hitCodes(NDArray.fromNested([[0, 1], [1, 0]]), NDArray.fromNested([[0, 1], [0, 1]])).data;
 *   // Uint8Array [0, 3, 1, 2]
 */
export function hitCodes(gt: LabelInput, pred: LabelInput): NDArray<Uint8Array> {
  const [t, p] = pair(gt, pred, 'hitCodes');
  const shape =
    !Array.isArray(gt) && !ArrayBuffer.isView(gt) && (gt as { shape?: readonly number[] }).shape
      ? [...(gt as { shape: readonly number[] }).shape]
      : [t.length];
  const out = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = (t[i] ? 1 : 0) + (p[i] ? 2 : 0);
  return new NDArray(out, shape, 'uint8');
}

/**
 * Adjusted Rand index of two clusterings (scikit-learn's `adjusted_rand_score`):
 * 1 for identical partitions (up to relabelling), about 0 for random ones.
 * @param labelsTrue first clustering
 * @param labelsPred second clustering, same length
 * @example
 *   adjustedRandScore([0, 0, 1, 1], [1, 1, 0, 0]);   // 1
 */
export function adjustedRandScore(labelsTrue: LabelInput, labelsPred: LabelInput): number {
  const [a, b] = pair(labelsTrue, labelsPred, 'adjustedRandScore');
  const n = a.length;
  const ia = new Map<number, number>();
  const ib = new Map<number, number>();
  const ca = new Int32Array(n);
  const cb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let x = ia.get(a[i]!);
    if (x === undefined) ia.set(a[i]!, (x = ia.size));
    ca[i] = x;
    let y = ib.get(b[i]!);
    if (y === undefined) ib.set(b[i]!, (y = ib.size));
    cb[i] = y;
  }
  const A = ia.size;
  const Bn = ib.size;
  const nA = new Float64Array(A);
  const nB = new Float64Array(Bn);
  const cont = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    nA[ca[i]!]!++;
    nB[cb[i]!]!++;
    const key = ca[i]! * Bn + cb[i]!;
    cont.set(key, (cont.get(key) ?? 0) + 1);
  }
  // pair confusion matrix, as scikit-learn's pair_confusion_matrix (ordered pairs)
  let sumSquares = 0;
  for (const v of cont.values()) sumSquares += v * v;
  let dotB = 0; // Σ_ij n_ij · n_.j
  let dotA = 0; // Σ_ij n_ij · n_i.
  for (const [key, v] of cont) {
    dotB += v * nB[key % Bn]!;
    dotA += v * nA[Math.floor(key / Bn)]!;
  }
  const tp = sumSquares - n;
  const fp = dotB - sumSquares;
  const fn = dotA - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}
