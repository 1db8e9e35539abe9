/**
 * Keras-style metrics and the training loop: the AUC and threshold metrics against a plain
 * numpy implementation of Keras' algorithm (and scikit-learn's roc_auc_score), and whole
 * training runs against the same U-Net trained with PyTorch's Adam from the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { KERAS_METRIC_NAMES, KerasMetricsAccumulator, kerasRocAuc } from '../lib/nn/keras-metrics.js';
import { prepImg, prepMask } from '../lib/nn/prep.js';
import { trainModel } from '../lib/nn/train.js';
import { patchCpuResizeNearestNeighborGrad } from '../lib/nn/kernels/cpu-resize-grad.js';
import { buildSpotUNet, buildUNet } from '../lib/nn/unet.js';
import { pythonHas, pythonJson } from './helpers/python.js';
import { needs } from './helpers/needs.js';
import { TORCH_SPOT_UNET } from './helpers/torch-unet.js';
import { mulberry32 as rng } from '../lib/core/random.js';


/** Keras' AUC and threshold metrics, written plainly (thresholds compared one by one). */
const NUMPY_KERAS_METRICS = `
import numpy as np, json, sys
def keras_metrics(y, p, T=200):
    y = np.asarray(y, dtype=np.float32); p = np.asarray(p, dtype=np.float32)
    eps = 1e-7
    yb = y != 0; pp = p > 0.5
    tp = int((pp & yb).sum()); fp = int((pp & ~yb).sum()); tn = int((~pp & ~yb).sum()); fn = int((~pp & yb).sum())
    th = np.array([0.0 - eps] + [(i + 1) * 1.0 / (T - 1) for i in range(T - 2)] + [1.0 + eps], dtype=np.float32)
    above = p[None, :] > th[:, None]
    TP = (above & yb).sum(1).astype(np.float64); FP = (above & ~yb).sum(1).astype(np.float64)
    P = float(yb.sum()); N = float((~yb).sum())
    tpr = TP / P if P > 0 else TP * 0; fpr = FP / N if N > 0 else FP * 0
    auc = float(np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2))
    return dict(tp=tp, fp=fp, tn=tn, fn=fn, binary_accuracy=(tp + tn) / y.size,
                precision=tp / (tp + fp) if tp + fp else 0.0, recall=tp / (tp + fn) if tp + fn else 0.0,
                auc=auc, mae=float(np.abs(y.astype(np.float64) - p).mean()))
`;

/** Keras' binary cross-entropy in PyTorch (clipped, with Keras' epsilon). */
const TORCH_KERAS_BCE = `
def keras_bce(p, y, eps=1e-7):
    q = p.clamp(eps, 1 - eps)
    return -(y * torch.log(q + eps) + (1 - y) * torch.log(1 - q + eps)).mean()
`;


/** A noisy image with bright 2×2 spots, and the spots' mask. */
function spotData(rows: number, cols: number, seed: number): { img: NDArray<Float32Array>; mask: NDArray<Float32Array> } {
  const r = rng(seed);
  const img = new Float32Array(rows * cols).map(() => 100 + 20 * r());
  const mask = new Float32Array(rows * cols);
  for (let k = 0; k < Math.max(3, Math.floor((rows * cols) / 60)); k++) {
    const y = Math.floor(r() * (rows - 1));
    const x = Math.floor(r() * (cols - 1));
    for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      img[(y + dy) * cols + x + dx] += 200;
      mask[(y + dy) * cols + x + dx] = 1;
    }
  }
  return { img: new NDArray(img, [rows, cols]), mask: new NDArray(mask, [rows, cols]) };
}

/**
 * Seeded Glorot-uniform weights with a positive last bias (a random draw can leave the ReLU
 * output dead, and then the clipped BCE has no gradient at all). Returns the weight tensors.
 */
function seededWeights(model: tf.LayersModel, seed: number): tf.Tensor[] {
  const r = rng(seed);
  return model.getWeights().map((w, i, all) => {
    const s = w.shape as number[];
    if (s.length === 1) return tf.fill(s, i === all.length - 1 ? 0.2 : 0.01);
    const lim = Math.sqrt(6 / (s[0] * s[1] * (s[2] + s[3])));
    return tf.tensor(Float32Array.from({ length: w.size }, () => (2 * r() - 1) * lim), s);
  });
}

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'nn-train-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('Keras metrics', () => {
  // ~3% positives, predictions skewed up for them, with exact zeros (dead ReLU) and ones.
  const n = 20000;
  const r = rng(7);
  const y = new Float32Array(n);
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = r() < 0.03 ? 1 : 0;
    const v = 0.25 * r() + 0.15 * (r() + r()) + (y[i] ? 0.3 * r() : 0) - 0.1;
    p[i] = i % 97 === 0 ? 1 : Math.max(0, Math.min(1, v));
  }

  it('match a plain numpy implementation of Keras, and sklearn roc_auc_score', (ctx) => {
    needs(ctx, 'numpy and scikit-learn in the reference Python', pythonHas('numpy', 'sklearn'));
    const ref = pythonJson<Record<string, number> & { sk: number; batches: Record<string, number> }>(
      `${NUMPY_KERAS_METRICS}
from sklearn.metrics import roc_auc_score
d = json.load(open(sys.argv[1]))
m = keras_metrics(d['y'], d['p'])
m['sk'] = float(roc_auc_score(np.array(d['y']) > 0, np.array(d['p'], dtype=np.float32)))
print(json.dumps(m))`,
      [writeJson('auc.json', { y: Array.from(y), p: Array.from(p) })],
    );
    const acc = new KerasMetricsAccumulator();
    // Three uneven batches: Keras' stateful accumulation must equal one pass over all.
    acc.update(y.subarray(0, 5000), p.subarray(0, 5000));
    acc.update(y.subarray(5000, 5001), p.subarray(5000, 5001));
    acc.update(y.subarray(5001), p.subarray(5001));
    const got = acc.result();
    for (const k of ['tp', 'fp', 'tn', 'fn'] as const) expect(got[k]).toBe(ref[k]);
    for (const k of ['binary_accuracy', 'precision', 'recall', 'mae'] as const) expect(got[k]).toBeCloseTo(ref[k], 9);
    expect(Math.abs(got.auc - ref.auc)).toBeLessThan(1e-9);
    expect(got.auc).toBeGreaterThan(0.7);
    expect(Math.abs(got.auc - ref.sk)).toBeLessThan(0.005);
    expect(kerasRocAuc(y, p)).toBe(got.auc);
  });

  it('handles the edge cases like Keras (one class, values above 1, tiny cases)', () => {
    expect(kerasRocAuc(new Uint8Array([0, 0, 1, 1]), new Float32Array([0.1, 0.4, 0.35, 0.8]))).toBeCloseTo(0.75, 12);
    expect(kerasRocAuc(new Uint8Array([0, 0, 0]), new Float32Array([0.1, 0.4, 0.35]))).toBe(0);
    expect(kerasRocAuc(new Uint8Array([0, 1]), new Float32Array([0.2, 3.5]))).toBeCloseTo(1, 12);
    const acc = new KerasMetricsAccumulator();
    const empty = acc.result();
    expect(empty.tp).toBe(0);
    expect(Number.isNaN(empty.mae)).toBe(true);
    expect(() => acc.update(new Float32Array(2), new Float32Array(3))).toThrow(/yTrue has 2 values/);
    expect(() => acc.update(new Float32Array(1), new Float32Array([NaN]))).toThrow(/NaN/);
  });
});

describe('trainModel', () => {
  it('follows PyTorch step by step (SGD and Adam), with Keras metric semantics', async (ctx) => {
    needs(ctx, 'PyTorch in the reference Python', pythonHas('torch', 'numpy'));
    const { img, mask } = spotData(32, 32, 1);
    const template = buildSpotUNet(4);
    const init = seededWeights(template, 5);
    template.dispose();
    const weights = init.map((w) => ({ shape: w.shape, data: Array.from(w.dataSync()) }));
    const x = prepImg(img, 2);
    const yT = prepMask(mask, 2);
    const steps = 3;
    const ref = pythonJson<Record<'sgd' | 'adam', { losses: number[]; metrics: Record<string, number>[] }>>(
      `${NUMPY_KERAS_METRICS}
${TORCH_SPOT_UNET}
${TORCH_KERAS_BCE}
d = json.load(open(sys.argv[1]))
x = torch.tensor(d['x'], dtype=torch.float32).reshape(2, 32, 32, 1).permute(0, 3, 1, 2)
y = torch.tensor(d['y'], dtype=torch.float32).reshape(2, 32, 32, 1).permute(0, 3, 1, 2)
out = {}
for name in ['sgd', 'adam']:
    c = spot_unet(4); load(c, d['weights'])
    opt = torch.optim.SGD(c.parameters(), lr=0.2) if name == 'sgd' else torch.optim.Adam(c.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    losses, metrics = [], []
    for step in range(${steps + 1}):
        p = forward(c, x); l = keras_bce(p, y)
        losses.append(l.item())
        metrics.append(keras_metrics(y.permute(0, 2, 3, 1).reshape(-1).numpy(), p.detach().permute(0, 2, 3, 1).reshape(-1).numpy()))
        if step < ${steps}:
            opt.zero_grad(); l.backward(); opt.step()
    out[name] = {"losses": losses, "metrics": metrics}
print(json.dumps(out))`,
      [writeJson('train.json', { weights, x: Array.from(x.dataSync()), y: Array.from(yT.dataSync()) })],
    );

    const run = async (optimizer?: tf.Optimizer) => {
      const model = buildSpotUNet(4);
      model.setWeights(init);
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        const result = await trainModel(model, x, yT, { epochs: steps, validationData: [x, yT], learningRate: 1e-3, optimizer });
        return { result, lines: log.mock.calls.map((c) => String(c[0])) };
      } finally {
        log.mockRestore();
        model.dispose();
      }
    };
    const sgd = tf.train.sgd(0.2);
    const bySgd = await run(sgd);
    sgd.dispose();
    const byAdam = await run(); // the default: Adam(1e-3) with Keras' ε = 1e-7
    tf.dispose(init);
    x.dispose();
    yT.dispose();

    for (const [name, { result }, relTol] of [['sgd', bySgd, 1e-4], ['adam', byAdam, 1e-4]] as const) {
      const { history } = result;
      const want = ref[name];
      expect(result.epochs).toBe(steps);
      expect(result.epochSeconds).toHaveLength(steps);
      expect(Object.keys(history)).toEqual(['loss', ...KERAS_METRIC_NAMES, 'val_loss', ...KERAS_METRIC_NAMES.map((k) => `val_${k}`)]);
      expect(want.losses[steps]).toBeLessThan(0.97 * want.losses[0]); // it learns
      for (let e = 0; e < steps; e++) {
        // Training values: the forward pass of the epoch's step, before its update (step e).
        // Validation values: the model after the update (step e + 1).
        expect(Math.abs(history.loss[e] / want.losses[e] - 1)).toBeLessThan(relTol);
        expect(Math.abs(history.val_loss[e] / want.losses[e + 1] - 1)).toBeLessThan(relTol);
        for (const k of KERAS_METRIC_NAMES) {
          const tol = k === 'tp' || k === 'fp' || k === 'tn' || k === 'fn' ? 1 : 2e-3;
          expect(Math.abs(history[k][e] - want.metrics[e][k])).toBeLessThanOrEqual(tol);
          expect(Math.abs(history[`val_${k}`][e] - want.metrics[e + 1][k])).toBeLessThanOrEqual(tol);
        }
      }
    }
    // The first (pre-step) values agree tightly whatever the optimizer.
    expect(Math.abs(byAdam.result.history.loss[0] / ref.adam.losses[0] - 1)).toBeLessThan(1e-5);
    expect(byAdam.result.history.auc[0]).toBeCloseTo(ref.adam.metrics[0].auc, 5);
    const { lines } = byAdam;
    expect(lines).toHaveLength(steps);
    expect(lines[0]).toMatch(/^Epoch 1\/3 – \d+\.\d s – loss: \d\.\d{4} – tp: \d+ – .* – val_auc: \d\.\d{4} – val_mae: \d\.\d{4}$/);
  });

  it('accumulates over batches like Keras, leaks no tensors, shuffles, and stops on request', async () => {
    const { img, mask } = spotData(16, 16, 2);
    const stack = (a: NDArray<Float32Array>, n: number): NDArray<Float32Array> => {
      const out = new Float32Array(a.size * n);
      for (let k = 0; k < n; k++) out.set(a.data.map((v) => v + 0.3 * k), k * a.size);
      return new NDArray(out, [n, 16, 16]);
    };
    const x = stack(new NDArray(img.data.map((v) => (v - 120) / 60), [16, 16]), 5);
    const y = new NDArray(new Float32Array(5 * 256).map((_, i) => mask.data[i % 256]), [5, 16, 16]);
    const before = tf.memory().numTensors;
    // Learning rate 0: weights fixed, so shuffled 2-sample batches must add up to one 5-sample batch.
    const plain = buildUNet({ depth: 2, baseFilters: 3, outputActivation: 'sigmoid' });
    const sgd = tf.train.sgd(0);
    const a = await trainModel(plain, x, y, { epochs: 2, batchSize: 2, validationData: [x, y], optimizer: sgd, verbose: 0 });
    const b = await trainModel(plain, x, y, { epochs: 1, batchSize: 5, validationData: [x, y], optimizer: sgd, verbose: 0 });
    for (const k of Object.keys(b.history)) {
      expect(a.history[k][1]).toBeCloseTo(b.history[k][0], 5);
      expect(a.history[k][0]).toBeCloseTo(b.history[k][0], 5);
    }
    expect(b.history.tp[0] + b.history.fp[0] + b.history.tn[0] + b.history.fn[0]).toBe(5 * 256);
    sgd.dispose();
    plain.dispose();
    // Batch norm + dropout + Adam (created and disposed inside): the live-tensor count is the same
    // after every epoch, and after training it equals the count before.
    const model = buildUNet({ depth: 2, baseFilters: 3, outputActivation: 'sigmoid', batchNorm: true, dropout: 0.2 });
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const c = await trainModel(model, x, y, {
      epochs: 2, batchSize: 2, validationData: [x, y], verbose: 0,
      onEpoch: () => void counts.push(tf.memory().numTensors),
    });
    expect(c.history.val_auc).toHaveLength(2);
    expect(counts).toHaveLength(2);
    expect(counts[1]).toBe(counts[0]);
    expect(tf.memory().numTensors).toBe(start);
    // Batch statistics in training vs moving ones in validation: the two losses differ.
    expect(Math.abs(c.history.loss[1] - c.history.val_loss[1])).toBeGreaterThan(1e-4);
    const stopped = await trainModel(model, x, y, { epochs: 5, batchSize: 5, verbose: false, onEpoch: (e) => e === 1 });
    expect(stopped.epochs).toBe(2);
    expect(stopped.history.loss).toHaveLength(2);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains UpSampling2D right on the cpu backend for batches > 1 (tfjs 4.22 kernel fixed)', () => {
    patchCpuResizeNearestNeighborGrad();
    const x = tf.randomNormal([3, 4, 6, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 8, 12, 2], 0, 1, 'float32', 2);
    const up = tf.layers.upSampling2d({ size: [2, 2] });
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(up.apply(v) as tf.Tensor, w)))(x);
    // The gradient of nearest 2× up-sampling sums each 2×2 block of dy.
    const want = tf.sum(tf.sum(tf.reshape(w, [3, 4, 2, 6, 2, 2]), 4), 2);
    expect(tf.max(tf.abs(tf.sub(g, want))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, w, g, want]);
    expect(patchCpuResizeNearestNeighborGrad()).toBe(true);
  });

  it('takes a loss function; training metrics are those of the pre-step prediction', async () => {
    const { img, mask } = spotData(16, 24, 3);
    const model = buildSpotUNet(3);
    const init = seededWeights(model, 8);
    model.setWeights(init);
    tf.dispose(init);
    const x = prepImg(img, 1);
    const y = prepMask(mask, 1);
    const mse = (t: tf.Tensor, p: tf.Tensor): tf.Scalar => tf.losses.meanSquaredError(t, p) as tf.Scalar;
    const p0 = model.predict(x) as tf.Tensor;
    const loss0 = tf.tidy(() => mse(y, p0).dataSync()[0]);
    const auc0 = kerasRocAuc(mask.data, p0.dataSync());
    p0.dispose();
    const { history } = await trainModel(model, x, y, { epochs: 2, loss: mse, verbose: 0 });
    expect(history.loss[0]).toBeCloseTo(loss0, 6);
    expect(history.auc[0]).toBeCloseTo(auc0, 12);
    expect(history.loss[1]).not.toBe(history.loss[0]);
    expect(history.val_loss).toBeUndefined();
    x.dispose();
    y.dispose();
    model.dispose();
  });

  it('names the argument and the problem on bad input', async () => {
    const model = buildSpotUNet(2);
    const x = tf.zeros([2, 8, 8, 1]);
    const y = tf.zeros([2, 8, 8, 1]);
    await expect(trainModel(model, x, tf.zeros([1, 8, 8, 1]), { verbose: 0 })).rejects.toThrow(/y has shape \[1, 8, 8, 1\]/);
    await expect(trainModel(model, tf.zeros([1, 10, 8, 1]), tf.zeros([1, 10, 8, 1]), { verbose: 0 })).rejects.toThrow(/multiples of 4/);
    await expect(trainModel(model, x, y, { loss: 'mse' as 'bce', verbose: 0 })).rejects.toThrow(/loss must be/);
    await expect(trainModel(model, x, y, { epochs: -1 })).rejects.toThrow(/epochs/);
    await expect(trainModel(model, tf.zeros([8, 8]), y)).rejects.toThrow(/x must be a 4-D tensor/);
    await expect(trainModel(model, x, y, { validationData: [x] as unknown as [tf.Tensor, tf.Tensor], verbose: 0 })).rejects.toThrow(/validationData/);
    model.dispose();
  });
});
