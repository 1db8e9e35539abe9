/**
 * fitRandomCrops and predictStack: training on random crops follows trainModel on the same
 * crops, frozen layers stay as they are while frozen and learn after unfreezing (with a fresh
 * Adam), validation Dice is 2TP / (2TP + FP + FN) of the whole validation images at 0.5; a
 * stack is predicted image by image.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { mulberry32 } from '../lib/core/random.js';
import { dice } from '../lib/metrics/classification.js';
import { fitRandomCrops } from '../lib/nn/crop-training.js';
import { randomCrops } from '../lib/nn/datasets.js';
import { bceLoss } from '../lib/nn/losses.js';
import { predictImage, predictStack } from '../lib/nn/prep.js';
import { trainModel } from '../lib/nn/train.js';
import { freezeEncoder, transferWeights, unfreezeAll, withWeightSeed } from '../lib/nn/transfer.js';
import { buildUNet } from '../lib/nn/unet.js';

function set(n: number, seed: number): { images: NDArray<Float32Array>; masks: NDArray<Float32Array> } {
  const r = mulberry32(seed);
  const images = new NDArray(Float32Array.from({ length: n * 16 * 16 }, () => r()), [n, 16, 16]);
  return { images, masks: images.map((v) => (v > 0.75 ? 1 : 0)) as NDArray<Float32Array> };
}
const net = () => buildUNet({ depth: 1, baseFilters: 2, outputActivation: 'sigmoid' });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fitRandomCrops', () => {
  it('trains as trainModel does on the same crops, and scores the validation images', async () => {
    const train = set(3, 1), val = set(2, 2);
    const a = net();
    const b = transferWeights(a, net());
    const run = await fitRandomCrops(a, train, { loss: bceLoss, epochs: 2, cropSize: 8, batchSize: 2, learningRate: 1e-2, validation: val, seed: 3, progress: 'none' });
    // the same by hand
    const random = mulberry32(3);
    const opt = tf.train.adam(1e-2);
    const ref: number[] = [];
    for (let e = 0; e < 2; e++) {
      const { x, y } = randomCrops(train.images, train.masks, 8, { random });
      const r = await trainModel(b, x, y, { epochs: 1, batchSize: 2, loss: bceLoss, optimizer: opt, seed: 3000 + e, verbose: false });
      ref.push(r.history.loss![0]!);
    }
    expect(run.loss).toEqual(ref);
    expect(run.epochSeconds).toHaveLength(2);
    const pred = await predictStack(a, val.images, { threshold: 0.5 });
    expect(run.valDice[1]).toBeCloseTo(dice(val.masks, pred), 10);
    [a, b].forEach((m) => m.dispose());
    opt.dispose();
  });

  it('keeps frozen layers fixed, and trains them after unfreezing with a new optimiser', async () => {
    // seeded: with 2 filters, an unlucky draw leaves a ReLU dead and a kernel without gradient
    const model = withWeightSeed(2018, () => buildUNet({ depth: 2, baseFilters: 2, outputActivation: 'sigmoid' }));
    const train = set(2, 4);
    const snapshot = () => model.getWeights().map((w) => Array.from(w.dataSync()));
    const before = snapshot();
    let frozenCount = 0;
    const changed = (x: number[][], y: number[][]) => x.map((w, i) => w.some((v, j) => v !== y[i]![j]));
    let afterFrozen: number[][] = [];
    await fitRandomCrops(model, train, {
      loss: bceLoss, epochs: 4, cropSize: 8, learningRate: 1e-2, progress: 'none',
      beforeEpoch: (e) => {
        if (e === 0) frozenCount = freezeEncoder(model).frozenLayers.length;
        if (e === 2) { afterFrozen = snapshot(); unfreezeAll(model); }
      },
    });
    const after = snapshot();
    expect(frozenCount).toBeGreaterThan(0);
    const moved = changed(before, afterFrozen);
    expect(moved.some((m) => m)).toBe(true);       // the decoder learned while the encoder was frozen
    expect(moved.some((m) => !m)).toBe(true);      // the encoder did not
    expect(changed(afterFrozen, after).every((m) => m)).toBe(true);   // after unfreezing, every weight learns
    model.dispose();
  });

  it('refuses a missing loss', async () => {
    const model = net();
    await expect(fitRandomCrops(model, set(1, 1), { epochs: 1, cropSize: 8 } as never)).rejects.toThrow(/fitRandomCrops: options.loss must be a loss function/);
    model.dispose();
  });
});

describe('predictStack', () => {
  it('predicts image by image, thresholded on request', async () => {
    const model = net();
    const { images } = set(3, 9);
    const probs = await predictStack(model, images);
    const masks = await predictStack(model, images, { threshold: 0.5 });
    expect(probs.shape).toEqual([3, 16, 16]);
    for (let k = 0; k < 3; k++) {
      const one = await predictImage(model, images.slice(k));
      expect(Array.from(probs.slice(k).data)).toEqual(Array.from(one.data));
      expect(Array.from(masks.slice(k).data)).toEqual(Array.from(one.gt(0.5).data));
    }
    await expect(predictStack(model, images.slice(0))).rejects.toThrow(/predictStack: images must be a stack \[n, rows, cols\]/);
    model.dispose();
  });
});
