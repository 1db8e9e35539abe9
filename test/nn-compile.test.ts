/**
 * `compile` + `fit`: the Keras-shaped front trains exactly as `trainModel` does (same weights,
 * same seed, same numbers), reports the loss and the named metrics in order, reuses its
 * optimiser across `fit` calls, and refuses unknown names.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { mulberry32 } from '../lib/core/random.js';
import { compile } from '../lib/nn/compile.js';
import { bceLoss } from '../lib/nn/losses.js';
import { trainModel } from '../lib/nn/train.js';
import { buildUNet } from '../lib/nn/unet.js';
import { transferWeights } from '../lib/nn/transfer.js';

function data(n: number, seed: number): { x: NDArray<Float32Array>; y: NDArray<Float32Array> } {
  const r = mulberry32(seed);
  const x = new Float32Array(n * 8 * 8).map(() => r());
  const y = x.map((v) => (v > 0.8 ? 1 : 0));
  return { x: new NDArray(x, [n, 8, 8]), y: new NDArray(y, [n, 8, 8]) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('compile + fit', () => {
  it('gives trainModel’s history for the same weights, seed and optimiser settings', async () => {
    const { x, y } = data(4, 1);
    const v = data(2, 2);
    const a = buildUNet({ depth: 1, baseFilters: 2, outputActivation: 'sigmoid' });
    const b = transferWeights(a, buildUNet({ depth: 1, baseFilters: 2, outputActivation: 'sigmoid' }));
    const net = compile(a, { optimizer: tf.train.adam(1e-2), loss: 'binary_crossentropy', metrics: ['recall', 'tp', 'auc'] });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const h = await net.fit(x, y, { epochs: 3, batchSize: 2, validationData: [v.x, v.y], seed: 5 });
    log.mockRestore();
    const opt = tf.train.adam(1e-2);
    const ref = await trainModel(b, x, y, { epochs: 3, batchSize: 2, validationData: [v.x, v.y], seed: 5, optimizer: opt, loss: bceLoss, verbose: false });
    expect(Object.keys(h.history)).toEqual(['loss', 'recall', 'tp', 'auc', 'val_loss', 'val_recall', 'val_tp', 'val_auc']);
    for (const k of Object.keys(h.history)) expect(h.history[k]).toEqual(ref.history[k]);
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(h.epochSeconds).toHaveLength(3);
    [a, b].forEach((m) => m.dispose());
    [net.optimizer, opt].forEach((o) => o.dispose());
  });

  it('keeps its optimiser between fit calls and prints a line per epoch outside a notebook', async () => {
    const { x, y } = data(2, 3);
    const model = buildUNet({ depth: 1, baseFilters: 2, outputActivation: 'sigmoid' });
    const optimizer = tf.train.adam(1e-2);
    const net = compile(model, { optimizer, loss: 'dice' });
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    const first = await net.fit(x, y, { epochs: 2 });
    await net.fit(x, y, { epochs: 1, progress: 'none' });
    log.mockRestore();
    expect(Object.keys(first.history)).toEqual(['loss']);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Epoch 2\/2 – loss: \d\.\d{4}$/);
    expect(optimizer.iterations).toBe(3);   // three steps, one optimiser
    model.dispose();
    optimizer.dispose();
  });

  it('refuses unknown losses, metrics and optimisers, naming them', () => {
    const model = buildUNet({ depth: 1, baseFilters: 2 });
    const optimizer = tf.train.adam(1e-3);
    expect(() => compile(model, { optimizer, loss: 'mse' as 'dice' })).toThrow(/compile: unknown loss 'mse'/);
    expect(() => compile(model, { optimizer, loss: 'dice', metrics: ['f1' as 'tp'] })).toThrow(/compile: unknown metric 'f1'/);
    expect(() => compile(model, { optimizer: {} as tf.Optimizer, loss: 'dice' })).toThrow(/compile: optimizer must be a tfjs optimizer/);
    model.dispose();
    optimizer.dispose();
  });
});
