import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import {
  accuracy,
  adjustedRandScore,
  binaryCounts,
  confusionMatrix,
  dice,
  f1Score,
  hitCodes,
  iou,
  precision,
  recall,
} from '../lib/metrics/index.js';
import { pythonJson } from './helpers/python.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

const r = lcg(3);
const multiT = Array.from({ length: 500 }, () => Math.floor(r() * 4));
const multiP = multiT.map((t) => (r() < 0.7 ? t : Math.floor(r() * 5))); // 4 appears only in pred
const binT = Array.from({ length: 1000 }, () => (r() < 0.1 ? 1 : 0));
const binP = binT.map((t) => (r() < 0.8 ? t : 1 - t));

const ref = pythonJson<Record<string, unknown>>(
  `
import sys, json, numpy as np
from sklearn.metrics import confusion_matrix, accuracy_score, precision_score, recall_score, f1_score, jaccard_score, adjusted_rand_score
d = json.loads(sys.argv[1])
t, p, bt, bp = (np.array(d[k]) for k in ('t', 'p', 'bt', 'bp'))
out = {}
for norm in [None, 'true', 'pred', 'all']:
    out[str(norm)] = confusion_matrix(t, p, normalize=norm).tolist()
out['labels'] = confusion_matrix(t, p, labels=[3, 0, 7], normalize='true').tolist()
out['acc'] = accuracy_score(t, p)
out['bin'] = confusion_matrix(bt, bp).tolist()
out['prec'] = precision_score(bt, bp); out['rec'] = recall_score(bt, bp); out['f1'] = f1_score(bt, bp)
out['jac'] = jaccard_score(bt, bp)
out['ari'] = adjusted_rand_score(t, p)
out['ari2'] = adjusted_rand_score(t, (t + 1) % 4)
out['ari3'] = adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1])
out['empty_prec'] = precision_score([0, 1], [0, 0], zero_division=0)
print(json.dumps(out))
`,
  [JSON.stringify({ t: multiT, p: multiP, bt: binT, bp: binP })],
);

const close = (a: number[][], b: number[][]) => {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i]![j]!, 12)));
};

describe('confusionMatrix equals scikit-learn confusion_matrix', () => {
  it('counts and every normalize option', () => {
    expect(confusionMatrix(multiT, multiP)).toEqual(ref['None']);
    close(confusionMatrix(multiT, multiP, { normalize: 'true' }), ref['true'] as number[][]);
    close(confusionMatrix(multiT, multiP, { normalize: 'pred' }), ref['pred'] as number[][]);
    close(confusionMatrix(multiT, multiP, { normalize: 'all' }), ref['all'] as number[][]);
  });

  it('explicit labels (order, unseen label → zero row)', () => {
    close(confusionMatrix(multiT, multiP, { labels: [3, 0, 7], normalize: 'true' }), ref['labels'] as number[][]);
  });

  it('typed arrays, bool and float NDArrays give the same binary matrix', () => {
    const gt = new NDArray(Uint8Array.from(binT), [25, 40], 'bool');
    const pr = new NDArray(Float32Array.from(binP), [25, 40]);
    expect(confusionMatrix(gt, pr)).toEqual(ref['bin']);
    expect(confusionMatrix(Int32Array.from(binT), Uint8Array.from(binP))).toEqual(ref['bin']);
    const c = binaryCounts(gt, pr);
    const [[tn, fp], [fn, tp]] = ref['bin'] as number[][];
    expect(c).toEqual({ tn, fp, fn, tp });
  });

  it('rejects bad arguments', () => {
    expect(() => confusionMatrix([0, 1], [0])).toThrow(/truth has 2 values, pred has 1/);
    // @ts-expect-error invalid normalize
    expect(() => confusionMatrix([0, 1], [0, 1], { normalize: 'rows' })).toThrow(/normalize/);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [1, 1] })).toThrow(/duplicates/);
  });
});

describe('scores equal scikit-learn', () => {
  it('accuracy, precision, recall, F1, IoU (Jaccard), Dice', () => {
    expect(accuracy(multiT, multiP)).toBeCloseTo(ref['acc'] as number, 14);
    expect(precision(binT, binP)).toBeCloseTo(ref['prec'] as number, 14);
    expect(recall(binT, binP)).toBeCloseTo(ref['rec'] as number, 14);
    expect(f1Score(binT, binP)).toBeCloseTo(ref['f1'] as number, 14);
    expect(dice(binT, binP)).toBeCloseTo(ref['f1'] as number, 14);
    expect(iou(binT, binP)).toBeCloseTo(ref['jac'] as number, 14);
    expect(precision([0, 1], [0, 0])).toBe(ref['empty_prec']);
    expect(iou([0, 0], [0, 0], { zeroDivision: 1 })).toBe(1);
  });

  it('adjusted Rand index', () => {
    expect(adjustedRandScore(multiT, multiP)).toBeCloseTo(ref['ari'] as number, 12);
    expect(adjustedRandScore(multiT, multiT.map((t) => (t + 1) % 4))).toBeCloseTo(ref['ari2'] as number, 12);
    expect(adjustedRandScore([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(ref['ari3'] as number, 12);
    expect(adjustedRandScore([1, 1, 1], [4, 4, 4])).toBe(1);
  });
});

describe('hitCodes', () => {
  it('codes gt + 2·pred (0 TN, 1 FN, 2 FP, 3 TP) with the shape of gt', () => {
    const gt = new NDArray(Uint8Array.from([0, 1, 0, 1, 0, 1]), [2, 3], 'bool');
    const pr = NDArray.fromNested([
      [0, 0, 1],
      [1, 0.5, 0],
    ]);
    const h = hitCodes(gt, pr);
    expect(h.dtype).toBe('uint8');
    expect(h.shape).toEqual([2, 3]);
    expect(Array.from(h.data)).toEqual([0, 1, 2, 3, 2, 1]);
    expect(hitCodes([1, 0], [1, 1]).shape).toEqual([2]);
  });
});
