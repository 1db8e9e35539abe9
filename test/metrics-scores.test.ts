/**
 * segmentationScores gathers the scores tested one by one elsewhere (sklearn, skimage); the best
 * threshold is the argmax of Dice over the candidates, computed here with numpy.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { mulberry32 } from '../lib/core/random.js';
import { dice, iou, precision, recall } from '../lib/metrics/classification.js';
import { bestThreshold, segmentationScores } from '../lib/metrics/scores.js';
import { componentsError, skeletonRecall } from '../lib/metrics/topology.js';
import { pythonJson } from './helpers/python.js';

const r = mulberry32(11);
const score = new NDArray(Float32Array.from({ length: 40 * 30 }, () => r()), [40, 30]);
const truth = score.map((v, i) => (v + 0.3 * Math.sin(i) > 0.6 ? 1 : 0));

describe('segmentationScores', () => {
  it('is the six scores of the same pair', () => {
    const pred = score.gt(0.55);
    expect(segmentationScores(truth, pred)).toEqual({
      dice: dice(truth, pred), iou: iou(truth, pred), precision: precision(truth, pred), recall: recall(truth, pred),
      skeletonRecall: skeletonRecall(truth, pred), componentsError: componentsError(truth, pred),
    });
  });
});

describe('bestThreshold', () => {
  it('picks the threshold of highest Dice (above and below), as numpy finds it', () => {
    const cands = Array.from({ length: 21 }, (_, i) => i * 0.05);
    const ref = pythonJson<{ above: number; below: number; best: number }>(`
import json, numpy as np
s = np.array(json.loads('${JSON.stringify(Array.from(score.data))}'), dtype=np.float32)
t = np.array(json.loads('${JSON.stringify(Array.from(truth.data))}')) > 0
c = json.loads('${JSON.stringify(cands)}')
def d(p): return 2 * (p & t).sum() / (p.sum() + t.sum()) if p.sum() + t.sum() else 0.0
above = [d(s > x) for x in c]; below = [d(s < x) for x in c]
print(json.dumps(dict(above=c[int(np.argmax(above))], below=c[int(np.argmax(below))], best=max(above))))
`);
    const above = bestThreshold(truth, score, cands);
    expect(above.threshold).toBe(ref.above);
    expect(above.value).toBeCloseTo(ref.best, 12);
    expect(bestThreshold(truth, score, cands, { below: true }).threshold).toBe(ref.below);
    expect(() => bestThreshold(truth, score, [])).toThrow(/bestThreshold: thresholds must be a non-empty array/);
  });
});
