/**
 * trainModel checks its data before the first step (NaN or infinite values, masks outside the
 * binary losses' [0, 1], channels that do not fit the model), and applies a step only when its
 * loss and gradients are finite. Every refusal is checked to leave the weights bit for bit as
 * they were, and to leak no tensor. predictImage refuses (or warns about) NaN pixels.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ArrayLike2D } from '../lib/core/types.js';
import { predictImage } from '../lib/nn/prep.js';
import { trainModel } from '../lib/nn/train.js';
import { buildUNet } from '../lib/nn/unet.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIDE = 16;

function batch(n: number, f: (i: number) => number, channels = 1): ArrayLike2D {
  return { data: Float32Array.from({ length: n * SIDE * SIDE * channels }, (_, i) => f(i)), shape: [n, SIDE, SIDE, channels] };
}

const images = (): ArrayLike2D => batch(2, (i) => Math.sin(i * 0.37));
const masks = (): ArrayLike2D => batch(2, (i) => (i % 7 === 0 ? 1 : 0));

function model(): tf.LayersModel {
  return buildUNet({ depth: 1, baseFilters: 4, name: `inputs-${Math.random()}` });
}

function weights(m: tf.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

function expectSameWeights(m: tf.LayersModel, before: Float32Array[]): void {
  const after = weights(m);
  expect(after.length).toBe(before.length);
  after.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(before[i]!.buffer)), `weight tensor ${i}`).toBe(true));
}

/** Trains, expects the error, and checks the weights and the tensor count are unchanged. */
async function refused(x: ArrayLike2D | tf.Tensor, y: ArrayLike2D | tf.Tensor, re: RegExp, options: Parameters<typeof trainModel>[3] = {}): Promise<void> {
  const m = model();
  const before = weights(m);
  const tensors = tf.memory().numTensors;
  await expect(trainModel(m, x, y, { epochs: 1, verbose: false, ...options })).rejects.toThrow(re);
  expectSameWeights(m, before);
  expect(tf.memory().numTensors).toBe(tensors);
  m.dispose();
}

describe('trainModel refuses bad data before the first step, weights unchanged', () => {
  it('NaN in the images (once: every weight NaN, and the error blamed divergence)', async () => {
    const x = images();
    x.data[SIDE * 3 + 5] = NaN;
    await refused(x, masks(), /trainModel: x contains 1 NaN or infinite value\(s\), the first \(NaN\) at sample 0, row 3, col 5; .*nothing was trained/);
  });

  it('Infinity in the images, given as a tensor', async () => {
    const x = images();
    x.data[SIDE * SIDE + 2] = -Infinity;
    const xt = tf.tensor4d(x.data as Float32Array, x.shape as [number, number, number, number]);
    await refused(xt, masks(), /x contains 1 NaN or infinite value\(s\), the first \(-Infinity\) at sample 1, row 0, col 2/);
    xt.dispose();
  });

  it('NaN in the masks (once: a NaN loss and no error)', async () => {
    const y = masks();
    y.data[3] = NaN;
    await refused(images(), y, /trainModel: y contains 1 NaN or infinite value\(s\), the first \(NaN\) at sample 0, row 0, col 3/);
  });

  it('masks of 0/255 (once: a loss of 525.97)', async () => {
    const y = batch(2, (i) => (i % 7 === 0 ? 255 : 0));
    await refused(images(), y, /trainModel: y holds values from 0 to 255, but the loss 'bce' needs targets in \[0, 1\] \(0\/255 masks\? divide by 255/);
  });

  it('the same check for the library losses, and for validation data', async () => {
    const named = Object.defineProperty((a: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(a, b) as tf.Scalar, 'name', { value: 'dice_loss' });
    await refused(images(), batch(2, (i) => (i % 7 === 0 ? 2 : 0)), /y holds values from 0 to 2, but the loss dice_loss needs targets in \[0, 1\]/, { loss: named });
    const yv = batch(1, () => 0);
    yv.data[0] = NaN;
    await refused(images(), masks(), /trainModel: validationData\[1\] contains 1 NaN/, { validationData: [batch(1, (i) => Math.cos(i)), yv] });
  });

  it('a two-channel mask for a one-channel model (once: an error only after one update)', async () => {
    await refused(images(), batch(2, (i) => (i % 7 === 0 ? 1 : 0), 2), /trainModel: the model outputs 1 channel\(s\) but y has 2 \(shape \[2, 16, 16, 2\]\)/);
  });

  it('a two-channel image for a one-channel model', async () => {
    await refused(batch(2, (i) => Math.sin(i), 2), masks(), /trainModel: the model takes 1 input channel\(s\) but x has 2/);
  });

  it('targetRange: null trains on 0/255 targets; a custom loss has no range check', async () => {
    const y = batch(2, (i) => (i % 7 === 0 ? 255 : 0));
    const m = model();
    const r = await trainModel(m, images(), y, { epochs: 1, verbose: false, targetRange: null });
    expect(Number.isFinite(r.history.loss![0]!)).toBe(true);
    const mse = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.losses.meanSquaredError(a, b) as tf.Scalar;
    const r2 = await trainModel(m, images(), y, { epochs: 1, verbose: false, loss: mse });
    expect(Number.isFinite(r2.history.loss![0]!)).toBe(true);
    await expect(trainModel(m, images(), y, { epochs: 1, verbose: false, targetRange: [1, 0] })).rejects.toThrow(/targetRange must be \[low, high\] with low <= high/);
    m.dispose();
  });
});

describe('a step that produces NaN is not applied', () => {
  it('the error names the step, and the weights and the optimizer are those from before it', async () => {
    const m = model();
    const optimizer = tf.train.adam(1e-3);
    let calls = 0;
    // A loss that turns NaN on its third call: as if training diverged there.
    const loss = Object.defineProperty(
      (yt: tf.Tensor, yp: tf.Tensor): tf.Scalar => {
        calls++;
        const bce = tf.losses.sigmoidCrossEntropy(yt, yp) as tf.Scalar;
        return calls === 3 ? (tf.mul(bce, NaN) as tf.Scalar) : bce;
      },
      'name',
      { value: 'binary_crossentropy' },
    );
    // A first call makes the optimizer's state (its moments are tensors that stay).
    await trainModel(m, images(), masks(), { epochs: 1, verbose: false, optimizer, loss });
    const tensors = tf.memory().numTensors;
    let afterEpoch2: Float32Array[] = [];
    await expect(
      trainModel(m, images(), masks(), {
        epochs: 5,
        verbose: false,
        optimizer,
        loss,
        onEpoch: (e) => {
          if (e === 0) afterEpoch2 = weights(m);
        },
      }),
    ).rejects.toThrow(/trainModel: epoch 2, batch 1: the loss \(NaN\) is not finite, so the step was not applied and the weights are those from before it/);
    expect(afterEpoch2.length).toBeGreaterThan(0);
    expectSameWeights(m, afterEpoch2);
    expect(tf.memory().numTensors).toBe(tensors);
    // The optimizer's state is intact too: training goes on with finite weights.
    await trainModel(m, images(), masks(), { epochs: 1, verbose: false, optimizer, loss });
    expect(weights(m).every((w) => w.every((v) => Number.isFinite(v)))).toBe(true);
    optimizer.dispose();
    m.dispose();
  });
});

describe('predictImage and NaN pixels', () => {
  const img = (): ArrayLike2D => {
    const d = Float32Array.from({ length: 32 * 32 }, (_, i) => Math.sin(i));
    d[500] = NaN;
    return { data: d, shape: [32, 32] };
  };

  it('refuses by default (once: 484 of 1024 output pixels NaN, no warning)', async () => {
    const m = model();
    await expect(predictImage(m, img())).rejects.toThrow(/predictImage: image contains 1 NaN or infinite pixel value\(s\), the first at row 15, col 20.*onNaN: 'warn'/);
    m.dispose();
  });

  it("warns and predicts with onNaN: 'warn'", async () => {
    const m = model();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const out = await predictImage(m, img(), { onNaN: 'warn' });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/predictImage: image contains 1 NaN or infinite pixel value\(s\).*\d+ of 1024 output pixels are NaN/));
    warn.mockRestore();
    expect(out.shape).toEqual([32, 32]);
    expect(Array.from(out.data).some((v) => Number.isNaN(v))).toBe(true);
    await expect(predictImage(m, img(), { onNaN: 'maybe' as 'warn' })).rejects.toThrow(/onNaN must be 'error' or 'warn'/);
    m.dispose();
  });
});
