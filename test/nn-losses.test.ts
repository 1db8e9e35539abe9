import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bceLoss,
  clDiceLoss,
  diceLoss,
  softDiceLoss,
  focalLoss,
  LOSS_EPSILON,
  positiveClassWeight,
  segmentationLoss,
  softSkeleton,
  weightedBceLoss,
  type SegmentationLoss,
} from '../lib/nn/losses.js';
import { pythonHas, pythonJson } from './helpers/python.js';
import { needs } from './helpers/needs.js';
import { relErr } from './helpers/numeric.js';
import { trainModel } from '../lib/nn/train.js';
import { buildUNet } from '../lib/nn/unet.js';
import { mulberry32 as rng } from '../lib/core/random.js';


function value(loss: SegmentationLoss, y: tf.Tensor, p: tf.Tensor): number {
  const s = loss(y, p);
  const v = s.dataSync()[0];
  s.dispose();
  return v;
}

function gradOf(loss: SegmentationLoss, y: tf.Tensor, p: tf.Tensor): Float32Array {
  const g = tf.grad((x: tf.Tensor) => loss(y, x))(p);
  const out = g.dataSync() as Float32Array;
  g.dispose();
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('hand-made cases', () => {
  it('binary cross-entropy equals −mean(y log p + (1−y) log(1−p))', () => {
    const y = tf.tensor([1, 0, 1, 0]);
    const p = tf.tensor([0.9, 0.2, 0.3, 0.6]);
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.3) + Math.log(0.4)) / 4;
    expect(value(bceLoss, y, p)).toBeCloseTo(expected, 6);
    // analytic gradient: (p − y) / (p (1 − p)) / N
    const g = gradOf(bceLoss, y, p);
    const pv = [0.9, 0.2, 0.3, 0.6];
    const yv = [1, 0, 1, 0];
    pv.forEach((pi, i) => expect(g[i]).toBeCloseTo((pi - yv[i]) / (pi * (1 - pi)) / 4, 5));
  });

  it('binary cross-entropy clips like Keras (0, 1 and ReLU outputs above 1 stay finite)', () => {
    const y = tf.tensor([1, 0, 1]);
    const p = tf.tensor([0, 1, 1.5]);
    const v = value(bceLoss, y, p);
    // Keras clips to [ε, 1 − ε] (1 − ε rounded to float32) and adds ε inside the log:
    // p = 0 → log(2ε), p = 1 → log(1 − hi + ε), p = 1.5 → log(hi + ε) ≈ 0
    const hi = Math.fround(1 - LOSS_EPSILON);
    const want = -(Math.log(2 * LOSS_EPSILON) + Math.log(1 - hi + LOSS_EPSILON) + Math.log(hi + LOSS_EPSILON)) / 3;
    expect(Number.isFinite(v)).toBe(true);
    expect(Math.abs(v - want) / want).toBeLessThan(1e-5);
    // the gradient is zero where the prediction is clipped
    const g = gradOf(bceLoss, y, p);
    expect(g[2]).toBe(0);
  });

  it('weighted BCE weighs the positives by w and equals BCE for w = 1', () => {
    const y = tf.tensor([1, 0, 1, 0]);
    const p = tf.tensor([0.9, 0.2, 0.3, 0.6]);
    const w = 3;
    const expected = -(w * Math.log(0.9) + Math.log(0.8) + w * Math.log(0.3) + Math.log(0.4)) / 4;
    expect(value(weightedBceLoss(w), y, p)).toBeCloseTo(expected, 5);
    expect(value(weightedBceLoss(1), y, p)).toBeCloseTo(value(bceLoss, y, p), 6);
  });

  it('positiveClassWeight is n_negative / n_positive over one or many masks', () => {
    expect(positiveClassWeight(new Uint8Array([0, 0, 0, 1]))).toBe(3);
    const a = { data: new Float32Array([0, 1, 0, 0]), shape: [2, 2] };
    const b = { data: new Uint8Array([0, 0, 0, 0, 1, 1]), shape: [2, 3] };
    expect(positiveClassWeight([a, b])).toBe(7 / 3);
    expect(positiveClassWeight(new Uint8Array([0, 255, 255, 0]), 127)).toBe(1);
    expect(() => positiveClassWeight(new Uint8Array([0, 0]))).toThrow(/no pixel/);
    expect(() => positiveClassWeight(new Float32Array([0, NaN]))).toThrow(/NaN/);
    expect(() => positiveClassWeight([])).toThrow(/no pixels/);
  });

  it('soft Dice loss is 1 − (2Σyp + s)/(Σy + Σp + s), over the batch or per image', () => {
    const y = tf.tensor([1, 1, 0]);
    const p = tf.tensor([1, 0, 0]);
    expect(value(diceLoss, y, p)).toBeCloseTo(1 - 3 / 4, 6);
    expect(value(softDiceLoss({ smooth: 0 }), y, p)).toBeCloseTo(1 - 2 / 3, 6);
    const y2 = tf.tensor2d([[1, 1, 0], [0, 0, 1]]);
    const p2 = tf.tensor2d([[1, 0, 0], [0.5, 0, 0.5]]);
    // batch: Σyp = 1.5, Σy = 3, Σp = 2 → 1 − 4/6
    expect(value(diceLoss, y2, p2)).toBeCloseTo(1 - 4 / 6, 6);
    // per image: (1 − 3/4 + 1 − 2/3) / 2
    expect(value(softDiceLoss({ perImage: true }), y2, p2)).toBeCloseTo((1 - 3 / 4 + 1 - 2 / 3) / 2, 6);
    // ∂/∂p_i = −(2 y_i D − (2I + s)) / D² with D = Σy + Σp + s, I = Σyp
    const g = gradOf(diceLoss, y, p);
    const D = 2 + 1 + 1;
    const num = 2 + 1;
    [1, 1, 0].forEach((yi, i) => expect(g[i]).toBeCloseTo(-(2 * yi * D - num) / (D * D), 6));
  });

  it('focal loss equals −mean(α y (1−p)^γ log p + (1−α)(1−y) p^γ log(1−p))', () => {
    const y = tf.tensor([1, 0, 1, 0]);
    const p = tf.tensor([0.9, 0.2, 0.3, 0.6]);
    const a = 0.25;
    const expected =
      -(a * 0.1 ** 2 * Math.log(0.9) + (1 - a) * 0.2 ** 2 * Math.log(0.8) + a * 0.7 ** 2 * Math.log(0.3) + (1 - a) * 0.6 ** 2 * Math.log(0.4)) / 4;
    expect(value(focalLoss(), y, p)).toBeCloseTo(expected, 6);
    // γ = 0 without α is the cross-entropy
    expect(value(focalLoss({ gamma: 0, alpha: null }), y, p)).toBeCloseTo(value(bceLoss, y, p), 6);
    // well-classified pixels are down-weighted: a confident correct pixel costs far less than in BCE
    const yc = tf.tensor([1]);
    const pc = tf.tensor([0.95]);
    expect(value(focalLoss({ alpha: null }), yc, pc)).toBeCloseTo(-(0.05 ** 2) * Math.log(0.95), 7);
  });

  it('soft skeleton of a one-pixel line is the line; of a 3-wide bar it is its middle row', () => {
    const line = tf.tensor4d([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], [1, 3, 5, 1]);
    expect(Array.from(softSkeleton(line).dataSync())).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    // a 3 × 7 bar in a 5 × 9 image: the erosion leaves the middle row, columns 2..6
    const bar = tf.buffer([1, 5, 9, 1]);
    for (let r = 1; r <= 3; r++) for (let c = 1; c <= 7; c++) bar.set(1, 0, r, c, 0);
    const skel = softSkeleton(bar.toTensor()).dataSync();
    const expected = new Array(45).fill(0);
    for (let c = 2; c <= 6; c++) expected[2 * 9 + c] = 1;
    expect(Array.from(skel)).toEqual(expected);
  });

  it('clDice: 0 for a perfect prediction, tsens drops for a broken line', () => {
    // 5 × 9 image, the truth a 7-pixel line in row 2; the prediction misses its middle pixel
    const y = tf.buffer([1, 5, 9, 1]);
    const p = tf.buffer([1, 5, 9, 1]);
    for (let c = 1; c <= 7; c++) {
      y.set(1, 0, 2, c, 0);
      if (c !== 4) p.set(1, 0, 2, c, 0);
    }
    const yt = y.toTensor();
    const pt = p.toTensor();
    expect(value(clDiceLoss({ alpha: 1 }), yt, yt)).toBeCloseTo(0, 7);
    // skeletons are the lines themselves: tprec = (6+1)/(6+1) = 1, tsens = (6+1)/(7+1)
    const tprec = 1;
    const tsens = 7 / 8;
    const cl = 1 - (2 * tprec * tsens) / (tprec + tsens);
    expect(value(clDiceLoss({ alpha: 1 }), yt, pt)).toBeCloseTo(cl, 6);
    const dice = 1 - (2 * 6 + 1) / (7 + 6 + 1);
    expect(value(clDiceLoss({ alpha: 0 }), yt, pt)).toBeCloseTo(dice, 6);
    expect(value(clDiceLoss(), yt, pt)).toBeCloseTo(0.5 * dice + 0.5 * cl, 6);
    // ranks 3 and 2 are read as [batch, rows, cols] and [rows, cols]
    expect(value(clDiceLoss(), yt.squeeze([3]), pt.squeeze([3]))).toBeCloseTo(0.5 * dice + 0.5 * cl, 6);
    expect(value(clDiceLoss(), yt.reshape([5, 9]), pt.reshape([5, 9]))).toBeCloseTo(0.5 * dice + 0.5 * cl, 6);
  });

  it('clDice penalises a gap more than Dice does, relative to a thickening of the same area', () => {
    // truth: vertical 1-px line; A: the line with a 1-px gap; B: the full line plus one extra pixel beside it
    const mk = (pix: Array<[number, number]>): tf.Tensor => {
      const b = tf.buffer([1, 9, 5, 1]);
      for (const [r, c] of pix) b.set(1, 0, r, c, 0);
      return b.toTensor();
    };
    const truth = Array.from({ length: 7 }, (_, i) => [i + 1, 2] as [number, number]);
    const yt = mk(truth);
    const gap = mk(truth.filter(([r]) => r !== 4));
    const extra = mk([...truth, [4, 3]]);
    const cl = clDiceLoss({ alpha: 1 });
    const dl = diceLoss;
    expect(value(cl, yt, gap)).toBeGreaterThan(value(cl, yt, extra));
    // plain Dice ranks them the other way round (it prefers the gap: fewer wrong pixels in total)
    expect(value(dl, yt, gap)).toBeLessThan(value(dl, yt, extra) + 0.05);
  });

  it('segmentationLoss returns each loss by name', () => {
    const y = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
    const p = tf.tensor4d([0.9, 0.2, 0.3, 0.6], [1, 2, 2, 1]);
    expect(value(segmentationLoss('bce'), y, p)).toBeCloseTo(value(bceLoss, y, p), 7);
    expect(value(segmentationLoss('weighted-bce', { positiveWeight: 2 }), y, p)).toBeCloseTo(
      value(weightedBceLoss(2), y, p),
      7,
    );
    expect(value(segmentationLoss('dice'), y, p)).toBeCloseTo(value(diceLoss, y, p), 7);
    expect(value(segmentationLoss('focal', { alpha: 0.75 }), y, p)).toBeCloseTo(value(focalLoss({ alpha: 0.75 }), y, p), 7);
    expect(value(segmentationLoss('cldice', { clDiceAlpha: 0.3 }), y, p)).toBeCloseTo(value(clDiceLoss({ alpha: 0.3 }), y, p), 7);
    expect(() => segmentationLoss('weighted-bce')).toThrow(/positiveWeight/);
    expect(() => segmentationLoss('nope' as 'bce')).toThrow(/unknown loss/);
  });

  it('rejects bad input with a clear error', () => {
    const y = tf.zeros([2, 3]);
    const p = tf.zeros([3, 2]);
    expect(() => bceLoss(y, p)).toThrow(/bceLoss.*shape/);
    expect(() => diceLoss(y, p)).toThrow(/diceLoss.*shape/);
    expect(() => weightedBceLoss(0)).toThrow(/positiveWeight/);
    expect(() => weightedBceLoss(NaN)).toThrow(/positiveWeight/);
    expect(() => focalLoss({ gamma: -1 })).toThrow(/gamma/);
    expect(() => focalLoss({ alpha: 1.5 })).toThrow(/alpha/);
    expect(() => softDiceLoss({ smooth: -1 })).toThrow(/smooth/);
    expect(() => clDiceLoss({ iterations: 1.5 })).toThrow(/iterations/);
    expect(() => clDiceLoss({ alpha: 2 })).toThrow(/alpha/);
    expect(() => clDiceLoss()(tf.zeros([5]), tf.zeros([5]))).toThrow(/clDiceLoss.*\[batch, rows, cols/);
    expect(() => softSkeleton(tf.zeros([2, 2]), -1)).toThrow(/iterations/);
  });

  it('leaks no tensors', () => {
    const y = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
    const p = tf.tensor4d([0.9, 0.2, 0.3, 0.6], [1, 2, 2, 1]);
    const losses = [bceLoss, weightedBceLoss(2), diceLoss, focalLoss(), clDiceLoss()];
    for (const l of losses) value(l, y, p); // warm-up
    const before = tf.memory().numTensors;
    for (const l of losses) {
      value(l, y, p);
      gradOf(l, y, p);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Reference: PyTorch (float64) values, autograd gradients and central finite differences.

const REFERENCE = String.raw`
import json, sys
import torch
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
inp = json.load(open(sys.argv[1]))
shape = inp['shape']  # NHWC
def nchw(a):
    return torch.tensor(a, dtype=torch.float64).reshape(shape).permute(0, 3, 1, 2).contiguous()
y = nchw(inp['y'])
EPS = 1e-7
# Keras 2 / tf.keras binary_crossentropy: clip, then log(q + EPS) and log(1 - q + EPS)
def bce(p):
    q = p.clamp(EPS, 1 - EPS)
    return -(y * torch.log(q + EPS) + (1 - y) * torch.log(1 - q + EPS)).mean()
def wbce(p, w=inp['w']):
    q = p.clamp(EPS, 1 - EPS)
    return -(w * y * torch.log(q + EPS) + (1 - y) * torch.log(1 - q + EPS)).mean()
def dice(p, s=1.0):
    return 1 - (2 * (y * p).sum() + s) / (y.sum() + p.sum() + s)
def dice_per_image(p, s=1.0):
    inter = (y * p).sum(dim=(1, 2, 3)); d = y.sum(dim=(1, 2, 3)) + p.sum(dim=(1, 2, 3)) + s
    return (1 - (2 * inter + s) / d).mean()
def focal(p, gamma=2.0, alpha=0.25):
    q = p.clamp(EPS, 1 - EPS)
    return -(alpha * y * (1 - q) ** gamma * torch.log(q + EPS) + (1 - alpha) * (1 - y) * q ** gamma * torch.log(1 - q + EPS)).mean()
# soft skeleton and clDice: Shit et al.'s reference code (github.com/jocpae/clDice)
def soft_erode(img):
    p1 = -F.max_pool2d(-img, (3, 1), (1, 1), (1, 0))
    p2 = -F.max_pool2d(-img, (1, 3), (1, 1), (0, 1))
    return torch.min(p1, p2)
def soft_dilate(img):
    return F.max_pool2d(img, (3, 3), (1, 1), (1, 1))
def soft_open(img):
    return soft_dilate(soft_erode(img))
def soft_skel(img, iter_):
    img1 = soft_open(img)
    skel = F.relu(img - img1)
    for j in range(iter_):
        img = soft_erode(img)
        img1 = soft_open(img)
        delta = F.relu(img - img1)
        skel = skel + F.relu(delta - skel * delta)
    return skel
def cldice(p, iter_=3, alpha=0.5, smooth=1.0):
    skel_pred = soft_skel(p, iter_); skel_true = soft_skel(y, iter_)
    tprec = (torch.sum(skel_pred * y) + smooth) / (torch.sum(skel_pred) + smooth)
    tsens = (torch.sum(skel_true * p) + smooth) / (torch.sum(skel_true) + smooth)
    cl = 1. - 2.0 * (tprec * tsens) / (tprec + tsens)
    return (1.0 - alpha) * dice(p, smooth) + alpha * cl
cases = {
    'bce': (bce, 'p'), 'wbce': (wbce, 'p'), 'dice': (dice, 'p'), 'dicePerImage': (dice_per_image, 'p'),
    'focal': (focal, 'p'), 'focalG3A75': (lambda p: focal(p, 3.0, 0.75), 'p'),
    'cldice': (cldice, 'q'), 'cldice5a1': (lambda p: cldice(p, 5, 1.0), 'q'),
}
out = {}
for name, (fn, key) in cases.items():
    p = nchw(inp[key]).requires_grad_(True)
    v = fn(p); v.backward()
    g = p.grad.permute(0, 2, 3, 1).reshape(-1)
    # central differences on the flat NHWC order
    h = 1e-7
    flat = nchw(inp[key]).permute(0, 2, 3, 1).reshape(-1)
    fd = []
    for i in range(flat.numel()):
        a = flat.clone(); a[i] += h; b = flat.clone(); b[i] -= h
        fa = fn(a.reshape(shape).permute(0, 3, 1, 2)).item(); fb = fn(b.reshape(shape).permute(0, 3, 1, 2)).item()
        fd.append((fa - fb) / (2 * h))
    out[name] = {'value': v.item(), 'grad': g.tolist(), 'fd': fd}
skel = soft_skel(nchw(inp['q']), 3).permute(0, 2, 3, 1).reshape(-1)
out['softSkeleton'] = skel.tolist()
print(json.dumps(out))
`;

interface RefCase {
  value: number;
  grad: number[];
  fd: number[];
}

describe('against PyTorch (float64): values, autograd and finite differences', () => {
  const shape: [number, number, number, number] = [2, 6, 7, 1];
  const n = shape.reduce((a, b) => a * b, 1);
  const r = rng(42);
  const yv = new Float32Array(n);
  const pv = new Float32Array(n); // probabilities away from the clip limits
  const qv = new Float32Array(n); // a blurred stripe pattern for clDice (both skeletons non-trivial)
  for (let i = 0; i < n; i++) {
    const col = i % 7;
    const row = Math.floor(i / 7) % 6;
    yv[i] = col === 3 || (row === 2 && col > 1) ? 1 : 0;
    pv[i] = 0.05 + 0.9 * r();
    qv[i] = 0.01 + 0.6 * yv[i] + 0.38 * r(); // distinct values: no ties in the min/max pools
  }
  const w = 2.5;
  let ref: Record<string, RefCase> & { softSkeleton?: number[] };
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nn-losses-'));
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify({ shape, y: Array.from(yv), p: Array.from(pv), q: Array.from(qv), w }));
    ref = pythonJson(REFERENCE, [file], 240_000);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, SegmentationLoss, 'p' | 'q']> = [
    ['bce', bceLoss, 'p'],
    ['wbce', weightedBceLoss(w), 'p'],
    ['dice', diceLoss, 'p'],
    ['dicePerImage', softDiceLoss({ perImage: true }), 'p'],
    ['focal', focalLoss(), 'p'],
    ['focalG3A75', focalLoss({ gamma: 3, alpha: 0.75 }), 'p'],
    ['cldice', clDiceLoss(), 'q'],
    ['cldice5a1', clDiceLoss({ iterations: 5, alpha: 1 }), 'q'],
  ];

  for (const [name, loss, key] of cases) {
    it(`${name}: value and tf.grad match torch autograd and finite differences within 1e-4 relative`, () => {
      const y = tf.tensor4d(yv, shape);
      const p = tf.tensor4d(key === 'p' ? pv : qv, shape);
      const c = ref[name];
      expect(Math.abs(value(loss, y, p) - c.value) / Math.abs(c.value)).toBeLessThan(1e-5);
      const g = gradOf(loss, y, p);
      // the reference itself: autograd agrees with finite differences
      expect(relErr(c.fd, c.grad)).toBeLessThan(1e-6);
      expect(relErr(g, c.grad)).toBeLessThan(1e-4);
      expect(relErr(g, c.fd)).toBeLessThan(1e-4);
      y.dispose();
      p.dispose();
    });
  }

  it('softSkeleton equals the reference soft_skel', () => {
    const s = softSkeleton(tf.tensor4d(qv, shape), 3).dataSync();
    expect(relErr(s, ref.softSkeleton as number[])).toBeLessThan(1e-6);
  });
});

describe('in a model', () => {
  it('each loss trains a tiny conv model through model.compile / fit', async () => {
    const r = rng(7);
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 8 * 8 }, () => r()), [2, 8, 8, 1]);
    const y = tf.tensor4d(Float32Array.from({ length: 2 * 8 * 8 }, (_, i) => (i % 8 === 3 ? 1 : 0)), [2, 8, 8, 1]);
    const losses: SegmentationLoss[] = [bceLoss, weightedBceLoss(7), diceLoss, focalLoss(), clDiceLoss()];
    for (const loss of losses) {
      const model = tf.sequential({
        layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' })],
      });
      model.compile({ optimizer: tf.train.adam(0.05), loss });
      const h = await model.fit(x, y, { epochs: 5, batchSize: 2, verbose: 0 });
      const l = h.history.loss as number[];
      expect(l.every(Number.isFinite)).toBe(true);
      expect(l[l.length - 1]).toBeLessThan(l[0]);
      model.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// One binary cross-entropy: bceLoss is Keras' formula, and trainModel's default loss is bceLoss.

/** keras.backend.binary_crossentropy (Keras 2 / tf.keras, on probabilities), written in numpy, float32. */
const NUMPY_KERAS_BCE = String.raw`
import json, sys
import numpy as np
inp = json.load(open(sys.argv[1]))
eps = np.float32(1e-7)
out = []
for case in inp:
    y = np.asarray(case['y'], dtype=np.float32); p = np.asarray(case['p'], dtype=np.float32)
    p = np.clip(p, eps, np.float32(1) - eps)
    bce = y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)
    out.append(float(-np.mean(bce, dtype=np.float64)))
print(json.dumps(out))
`;

describe('binary cross-entropy is Keras\' formula, and the only one', () => {
  it('bceLoss equals keras.backend.binary_crossentropy (numpy), at the clip limits and beyond', (ctx) => {
    needs(ctx, 'numpy in the reference Python', pythonHas('numpy'));
    const r = rng(3);
    const cases = [
      // hard labels with predictions at, inside and beyond [ε, 1 − ε] (a ReLU output reaches 1.5)
      { y: [1, 0, 1, 0, 1, 0, 1, 0], p: [0, 1, 1.5, -0.25, 1e-9, 1 - 1e-9, 0.5, 0.5] },
      // soft labels
      { y: [0.2, 0.7, 1, 0, 0.5], p: [0.3, 0.6, 0.999, 0.001, 0.5] },
      // a random batch, as training sees it
      { y: Array.from({ length: 200 }, () => (r() < 0.1 ? 1 : 0)), p: Array.from({ length: 200 }, () => r()) },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'nn-bce-'));
    try {
      const file = join(dir, 'cases.json');
      writeFileSync(file, JSON.stringify(cases));
      const want = pythonJson<number[]>(NUMPY_KERAS_BCE, [file]);
      cases.forEach((c, i) => {
        const v = value(bceLoss, tf.tensor(c.y), tf.tensor(c.p));
        expect(Math.abs(v - want[i]) / want[i]).toBeLessThan(1e-6);
      });
      // the ε inside the log matters at the clip limit: log(ε + ε) not log(ε)
      expect(value(bceLoss, tf.tensor([1]), tf.tensor([0]))).toBeCloseTo(-Math.log(2e-7), 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("trainModel's default loss ('bce') is bceLoss: the same weights train to the same history", async () => {
    const r = rng(11);
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 8 * 8 }, () => r()), [2, 8, 8, 1]);
    const y = tf.tensor4d(Float32Array.from({ length: 2 * 8 * 8 }, (_, i) => (i % 5 === 0 ? 1 : 0)), [2, 8, 8, 1]);
    const build = () => buildUNet({ depth: 1, baseFilters: 2, outputActivation: 'sigmoid' });
    const a = build();
    const b = build();
    b.setWeights(a.getWeights());
    const ha = await trainModel(a, x, y, { epochs: 2, batchSize: 2, verbose: false });
    const hb = await trainModel(b, x, y, { epochs: 2, batchSize: 2, verbose: false, loss: bceLoss });
    expect(ha.history.loss).toEqual(hb.history.loss);
    expect(ha.history.loss[0]).toBeGreaterThan(0);
    a.dispose();
    b.dispose();
    tf.dispose([x, y]);
  });
});
