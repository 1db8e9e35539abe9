/**
 * U-Net builders, prepImg/prepMask and predictImage, checked against the same network written
 * in PyTorch (Debian python3-torch) and against numpy.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { imageStats, predictImage, prepImg, prepMask } from '../lib/nn/prep.js';
import { buildSpotUNet, buildUNet, unetMultiple, unetParamCount } from '../lib/nn/unet.js';
import { pythonHas, pythonJson } from './helpers/python.js';
import { needs } from './helpers/needs.js';
import { TORCH_SPOT_UNET } from './helpers/torch-unet.js';
import { mulberry32 as rng } from '../lib/core/random.js';

function randomImage(rows: number, cols: number, seed: number, scale = 1, offset = 0): NDArray<Float32Array> {
  const r = rng(seed);
  return new NDArray(Float32Array.from({ length: rows * cols }, () => offset + scale * r()), [rows, cols]);
}

/**
 * Seeded Glorot-uniform weights with a positive last bias: a random draw can leave the ReLU
 * output all zero, which would make the comparisons below vacuous.
 */
function seedWeights(model: tf.LayersModel, seed: number): void {
  const r = rng(seed);
  const init = model.getWeights().map((w, i, all) => {
    const s = w.shape as number[];
    if (s.length === 1) return tf.fill(s, i === all.length - 1 ? 0.2 : 0.01);
    const lim = Math.sqrt(6 / (s[0] * s[1] * (s[2] + s[3])));
    return tf.tensor(Float32Array.from({ length: w.size }, () => (2 * r() - 1) * lim), s);
  });
  model.setWeights(init);
  tf.dispose(init);
}

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'nn-unet-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('buildSpotUNet', () => {
  it('has the lecture layers in order, and the parameter count of the formula', () => {
    const model = buildSpotUNet(24);
    try {
      expect(model.name).toBe('SpotUNET');
      expect(model.inputs[0].shape).toEqual([null, null, null, 1]);
      const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
      const cfg = convs.map((l) => l.getConfig() as { filters: number; kernelSize: number[]; activation: string; padding: string });
      expect(cfg.map((c) => c.filters)).toEqual([24, 24, 48, 48, 96, 96, 48, 48, 24, 24, 1]);
      expect(cfg.map((c) => c.kernelSize[0])).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1]);
      expect(cfg.every((c) => c.activation === 'relu' && c.padding === 'same')).toBe(true);
      const kinds = model.layers.map((l) => l.getClassName());
      expect(kinds.filter((k) => k === 'MaxPooling2D')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'UpSampling2D')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'Concatenate')).toHaveLength(2);
      expect(unetMultiple(model)).toBe(4);
      expect(model.countParams()).toBe(unetParamCount({ depth: 2, baseFilters: 24 }));
      expect(model.countParams()).toBe(265105);
    } finally {
      model.dispose();
    }
  });

  it('has the parameter count of the same network in PyTorch', (ctx) => {
    needs(ctx, 'PyTorch in the reference Python', pythonHas('torch', 'numpy'));
    const model = buildSpotUNet(24);
    try {
      const ref = pythonJson<number>(`${TORCH_SPOT_UNET}
print(sum(p.numel() for p in spot_unet(24).parameters()))`);
      expect(model.countParams()).toBe(ref);
    } finally {
      model.dispose();
    }
  });

  it('computes the same output as the PyTorch network with the same weights', (ctx) => {
    needs(ctx, 'PyTorch in the reference Python', pythonHas('torch', 'numpy'));
    const model = buildSpotUNet(4);
    try {
      seedWeights(model, 5);
      const x = randomImage(16, 24, 3, 2, -1);
      const weights = model.getWeights().map((w) => ({ shape: w.shape, data: Array.from(w.dataSync()) }));
      const file = join(dir, 'spot.json');
      writeFileSync(file, JSON.stringify({ weights, x: Array.from(x.data) }));
      const ref = pythonJson<number[]>(
        `${TORCH_SPOT_UNET}
d = json.load(open(sys.argv[1]))
c = spot_unet(4); load(c, d['weights'])
x = torch.tensor(d['x'], dtype=torch.float32).reshape(1, 1, 16, 24)
with torch.no_grad(): y = forward(c, x)
print(json.dumps(y.reshape(-1).tolist()))`,
        [file],
      );
      const y = tf.tidy(() => (model.predict(tf.tensor4d(x.data, [1, 16, 24, 1])) as tf.Tensor).dataSync());
      expect(y.length).toBe(ref.length);
      let maxErr = 0;
      let maxRef = 0;
      for (let i = 0; i < y.length; i++) {
        maxErr = Math.max(maxErr, Math.abs(y[i] - ref[i]));
        maxRef = Math.max(maxRef, Math.abs(ref[i]));
      }
      expect(maxRef).toBeGreaterThan(1e-3); // not a dead network
      expect(maxErr).toBeLessThan(1e-5 * Math.max(1, maxRef));
    } finally {
      model.dispose();
    }
  });

  it('rejects a bad base depth', () => {
    expect(() => buildSpotUNet(0)).toThrow(/baseDepth/);
    expect(() => buildSpotUNet(2.5)).toThrow(/baseDepth/);
  });
});

describe('buildUNet', () => {
  it('passes batchNormMomentum to every batch-normalisation layer (default 0.99, as Keras)', () => {
    const fast = buildUNet({ depth: 1, baseFilters: 2, batchNorm: true, batchNormMomentum: 0.8 });
    const keras = buildUNet({ depth: 1, baseFilters: 2, batchNorm: true });
    try {
      const momenta = (m: tf.LayersModel) =>
        m.layers.filter((l) => l.getClassName() === 'BatchNormalization').map((l) => l.getConfig().momentum);
      expect(momenta(fast)).toEqual(Array(6).fill(0.8));
      expect(momenta(keras)).toEqual(Array(6).fill(0.99));
    } finally {
      fast.dispose();
      keras.dispose();
    }
    expect(() => buildUNet({ batchNorm: true, batchNormMomentum: 1 })).toThrow(/buildUNet: batchNormMomentum must be in \[0, 1\), got 1/);
  });

  it('builds any depth with batch norm and dropout; counts match the formula', () => {
    const opts = { depth: 3, baseFilters: 4, batchNorm: true, dropout: 0.3, outputActivation: 'sigmoid' as const, inputChannels: 2 };
    const model = buildUNet(opts);
    try {
      expect(unetMultiple(model)).toBe(8);
      expect(model.countParams()).toBe(unetParamCount(opts));
      const kinds = model.layers.map((l) => l.getClassName());
      expect(kinds.filter((k) => k === 'BatchNormalization')).toHaveLength(2 * (2 * 3 + 1));
      expect(kinds.filter((k) => k === 'Dropout')).toHaveLength(1);
      const y = tf.tidy(() => Array.from((model.predict(tf.randomNormal([2, 24, 16, 2])) as tf.Tensor).dataSync()));
      expect(y).toHaveLength(2 * 24 * 16);
      expect(Math.min(...y)).toBeGreaterThan(0);
      expect(Math.max(...y)).toBeLessThan(1);
    } finally {
      model.dispose();
    }
    const plain = buildUNet({ depth: 2, baseFilters: 4, outputActivation: 'relu' });
    const spot = buildSpotUNet(4);
    expect(plain.countParams()).toBe(spot.countParams());
    plain.dispose();
    spot.dispose();
  });

  it('rejects bad options with the option named', () => {
    expect(() => buildUNet({ depth: -1 })).toThrow(/depth/);
    expect(() => buildUNet({ dropout: 1 })).toThrow(/dropout/);
    expect(() => buildUNet({ outputActivation: 'gelu' as unknown as 'relu' })).toThrow(/outputActivation/);
    expect(() => buildUNet({ inputChannels: 0 })).toThrow(/inputChannels/);
  });
});

describe('prepImg / prepMask', () => {
  it('stacks n copies normalised by the given statistics, like numpy', () => {
    const img = randomImage(6, 10, 11, 4000, 100);
    const train = randomImage(8, 8, 12, 3000, 50);
    const stats = imageStats(train);
    const ref = pythonJson<{ mean: number; std: number; x: number[] }>(
      `import numpy as np, json, sys
d = json.load(open(sys.argv[1]))
t = np.array(d['train'], dtype=np.float32); x = np.array(d['img'], dtype=np.float32).reshape(6, 10)
p = (np.stack([np.expand_dims(x, -1)] * 3, 0) - t.mean()) / t.std()
print(json.dumps({"mean": float(t.astype(np.float64).mean()), "std": float(t.astype(np.float64).std()), "x": p.reshape(-1).tolist()}))`,
      [writeJson('prep.json', { train: Array.from(train.data), img: Array.from(img.data) })],
    );
    expect(stats.mean).toBeCloseTo(ref.mean, 6);
    expect(stats.std / ref.std).toBeCloseTo(1, 10);
    const x = prepImg(img, 3, stats);
    expect(x.shape).toEqual([3, 6, 10, 1]);
    const xv = x.dataSync();
    x.dispose();
    for (let i = 0; i < xv.length; i++) expect(Math.abs(xv[i] - ref.x[i])).toBeLessThan(1e-5);
    // Without statistics: the image's own, so mean 0 and std 1.
    const own = prepImg(img, 1);
    const ov = Array.from(own.dataSync());
    own.dispose();
    const m = ov.reduce((a, b) => a + b, 0) / ov.length;
    expect(Math.abs(m)).toBeLessThan(1e-5);
    expect(Math.sqrt(ov.reduce((a, b) => a + (b - m) ** 2, 0) / ov.length)).toBeCloseTo(1, 5);
  });

  it('prepMask keeps values; both reject bad input', () => {
    const mask = new NDArray(new Uint8Array([0, 1, 1, 0, 0, 1]), [2, 3], 'bool');
    const y = prepMask(mask, 2);
    expect(y.shape).toEqual([2, 2, 3, 1]);
    expect(Array.from(y.dataSync())).toEqual([0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1]);
    y.dispose();
    expect(() => prepImg(new NDArray(new Float32Array(4).fill(2), [2, 2]), 1)).toThrow(/std must be > 0/);
    expect(() => prepMask(mask, 0)).toThrow(/n must be/);
    expect(() => prepMask({ data: new Float32Array(5), shape: [2, 3] }, 1)).toThrow(/elements/);
  });
});

describe('predictImage', () => {
  const model = buildSpotUNet(4);
  beforeAll(() => seedWeights(model, 6));
  afterAll(() => model.dispose());

  it('pads to a multiple of 4 (reflect), crops back, and leaks no tensors', async () => {
    const img = randomImage(30, 37, 21, 2, -1);
    const before = tf.memory().numTensors;
    const pred = await predictImage(model, img);
    expect(tf.memory().numTensors).toBe(before);
    expect(pred.shape).toEqual([30, 37]);
    expect(pred.data).toBeInstanceOf(Float32Array);
    // The same as predicting the numpy-reflect-padded 32×40 image and cropping.
    const padded = pythonJson<number[]>(
      `import numpy as np, json, sys
x = np.array(json.load(open(sys.argv[1])), dtype=np.float32).reshape(30, 37)
print(json.dumps(np.pad(x, ((0, 2), (0, 3)), mode='reflect').reshape(-1).tolist()))`,
      [writeJson('pad.json', Array.from(img.data))],
    );
    const full = tf.tidy(() => (model.predict(tf.tensor4d(padded, [1, 32, 40, 1])) as tf.Tensor).dataSync());
    for (let r = 0; r < 30; r++) for (let c = 0; c < 37; c++) expect(pred.data[r * 37 + c]).toBeCloseTo(full[r * 40 + c], 6);
    // Zero padding differs near the bottom/right edge but not far from it.
    const zero = await predictImage(model, img, { padMode: 'zero' });
    let diffEdge = 0;
    for (let c = 0; c < 37; c++) diffEdge = Math.max(diffEdge, Math.abs(zero.data[29 * 37 + c] - pred.data[29 * 37 + c]));
    expect(diffEdge).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('normalises with the given statistics', async () => {
    const img = randomImage(16, 16, 5, 1000, 200);
    const stats = { mean: 700, std: 290 };
    const a = await predictImage(model, img, { normalize: stats });
    const norm = img.map((v) => (v - stats.mean) / stats.std);
    const b = await predictImage(model, norm);
    for (let i = 0; i < a.data.length; i++) expect(a.data[i]).toBeCloseTo(b.data[i], 5);
  });

  it('tiles large images with a halo: the result equals the whole-image prediction', async () => {
    const img = randomImage(101, 90, 8, 2, -1);
    const before = tf.memory().numTensors;
    const whole = await predictImage(model, img, { tileSize: 4096 });
    const tiled = await predictImage(model, img, { tileSize: 32 });
    expect(tf.memory().numTensors).toBe(before);
    let maxErr = 0;
    for (let i = 0; i < whole.data.length; i++) maxErr = Math.max(maxErr, Math.abs(whole.data[i] - tiled.data[i]));
    expect(maxErr).toBeLessThan(1e-5);
    // A halo too small for the receptive field shows at tile borders: the check can fail.
    const bad = await predictImage(model, img, { tileSize: 32, halo: 0 });
    let badErr = 0;
    for (let i = 0; i < whole.data.length; i++) badErr = Math.max(badErr, Math.abs(whole.data[i] - bad.data[i]));
    expect(badErr).toBeGreaterThan(1e-4);
  });

  it('rejects a wrong channel count and bad options', async () => {
    await expect(predictImage(model, new NDArray(new Float32Array(8 * 8 * 2), [8, 8, 2]))).rejects.toThrow(/channel/);
    await expect(predictImage(model, randomImage(8, 8, 1), { padMode: 'edge' as 'zero' })).rejects.toThrow(/padMode/);
    await expect(predictImage(model, randomImage(8, 8, 1), { normalize: { mean: 0, std: 0 } })).rejects.toThrow(/std/);
  });
});

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}
