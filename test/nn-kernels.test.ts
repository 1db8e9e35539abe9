/**
 * The wasm training kernels (lib/nn/kernels) give the gradients of tfjs's reference 'cpu'
 * backend within 1e-4 relative error, for every kernel a U-Net training step uses:
 * convolution filter and input gradients (strides 1 and 2, 'same', 'valid' and explicit
 * padding, odd channel counts, the SIMD path and the XNNPACK path), max-pool, nearest
 * upsampling, concatenation, ReLU and bias gradients — and a whole U-Net step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registerWasmTrainingKernels, wasmTrainingKernelOptions } from '../lib/nn/kernels/wasm-train.js';
import { rand, relErr } from './helpers/numeric.js';

type Grad = (inputs: tf.Tensor[]) => tf.Tensor[];

/** Runs f on both backends with the same inputs; returns per-output relative errors. */
async function compare(inputs: { data: Float32Array; shape: number[] }[], f: Grad): Promise<number[]> {
  const outs: Record<string, Float32Array[]> = {};
  for (const b of ['cpu', 'wasm']) {
    await tf.setBackend(b);
    outs[b] = tf.tidy(() => f(inputs.map((x) => tf.tensor(x.data, x.shape)))).map((t) => {
      const d = t.dataSync() as Float32Array;
      t.dispose();
      return d;
    });
  }
  return outs.cpu.map((ref, i) => {
    expect(outs.wasm[i].length).toBe(ref.length);
    return relErr(outs.wasm[i], ref);
  });
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});
afterAll(async () => {
  wasmTrainingKernelOptions.useSimd = true;
});

describe('wasm Conv2DBackpropFilter / Conv2DBackpropInput', () => {
  const cases: { x: number[]; f: number[]; stride: number | [number, number]; pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] }[] = [
    { x: [2, 9, 11, 3], f: [3, 3, 3, 5], stride: 1, pad: 'same' },
    { x: [2, 9, 11, 3], f: [3, 3, 3, 5], stride: 1, pad: 'valid' },
    { x: [2, 9, 11, 3], f: [3, 3, 3, 5], stride: 2, pad: 'same' },
    { x: [2, 9, 11, 3], f: [3, 3, 3, 5], stride: 2, pad: 'valid' },
    { x: [1, 10, 12, 4], f: [2, 2, 4, 8], stride: 2, pad: 'same' },
    { x: [1, 8, 13, 6], f: [5, 3, 6, 9], stride: [2, 1], pad: 'same' },
    { x: [3, 7, 7, 1], f: [1, 1, 1, 24], stride: 1, pad: 'valid' },
    { x: [2, 16, 20, 24], f: [3, 3, 24, 24], stride: 1, pad: 'same' },
    { x: [2, 8, 10, 72], f: [3, 3, 72, 1], stride: 1, pad: 'same' },
    { x: [1, 9, 9, 4], f: [3, 3, 4, 6], stride: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
    { x: [1, 9, 9, 4], f: [3, 3, 4, 6], stride: 3, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  ];
  for (const simd of [true, false]) {
    for (const c of cases) {
      it(`${simd ? 'SIMD' : 'XNNPACK'} path: x ${c.x}, filter ${c.f}, stride ${c.stride}, pad ${JSON.stringify(c.pad)}`, async () => {
        wasmTrainingKernelOptions.useSimd = simd;
        const errs = await compare([rand(c.x, 1), rand(c.f, 2)], ([x, f]) => {
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad).square().sum());
          return g([x, f]);
        });
        expect(errs[0]).toBeLessThan(1e-4); // dx (Conv2DBackpropInput)
        expect(errs[1]).toBeLessThan(1e-4); // dW (Conv2DBackpropFilter)
      });
    }
  }

  it('refuses NCHW loudly', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 5, 5]);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] }))
      .toThrow(/NCHW/);
    tf.dispose([x, dy]);
  });
});

describe('wasm gradients of the other U-Net kernels', () => {
  it('fused conv2d + bias + relu (what tf.layers.conv2d runs): dx, dW, db', async () => {
    const errs = await compare([rand([2, 12, 14, 5], 3), rand([3, 3, 5, 7], 4), rand([7], 5)], ([x, f, b]) =>
      tf.grads((a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) =>
        tf.fused.conv2d({ x: a as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: bb, activation: 'relu' }).square().sum())([x, f, b]));
    for (const e of errs) expect(e).toBeLessThan(1e-4);
  });
  for (const simd of [true, false]) {
    it(`max-pool gradients, including all-negative windows (${simd ? 'SIMD' : 'JS'} MaxPoolGrad)`, async () => {
      wasmTrainingKernelOptions.useSimd = simd;
      for (const [shape, size, stride, pad] of [[[2, 12, 14, 6], 2, 2, 'valid'], [[2, 9, 11, 3], 3, 2, 'same'], [[1, 7, 8, 5], 3, 1, 'same']] as const) {
        const [e] = await compare([rand([...shape], 6)], ([x]) =>
          tf.grads((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, size, stride, pad).square().sum())([x]));
        expect(e).toBeLessThan(1e-4);
      }
      wasmTrainingKernelOptions.useSimd = true;
    });
  }
  it('nearest upsampling ×2 (ResizeNearestNeighborGrad) equals the 2×2 block sums', async () => {
    // The tfjs cpu backend is wrong here for batches > 1 (it reuses the first image's
    // offsets), so the reference is the exact answer: each input pixel receives the sum of
    // the upstream gradient over its 2×2 block.
    await tf.setBackend('wasm');
    const [n, h, w, c] = [2, 6, 7, 3];
    const x = tf.tensor(rand([n, h, w, c], 7).data, [n, h, w, c]);
    const wts = rand([n, 2 * h, 2 * w, c], 12);
    const g = tf.grad((a: tf.Tensor) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [2 * h, 2 * w]).mul(tf.tensor(wts.data, wts.shape)).sum())(x);
    const got = g.dataSync() as Float32Array;
    const ref = new Float32Array(n * h * w * c);
    for (let b = 0; b < n; b++) for (let y = 0; y < 2 * h; y++) for (let xx = 0; xx < 2 * w; xx++) for (let k = 0; k < c; k++) {
      ref[((b * h + (y >> 1)) * w + (xx >> 1)) * c + k] += wts.data[((b * 2 * h + y) * 2 * w + xx) * c + k];
    }
    expect(relErr(got, ref)).toBeLessThan(1e-5);
    tf.dispose([x, g]);
  });
  it('SIMD fast paths (bias Sum, SplitV/Concat on the last axis, ×2 upsampling gradient) equal the cpu backend, other cases delegate', async () => {
    wasmTrainingKernelOptions.useSimd = true;
    // bias gradient: sum over all axes but the last (keepDims both ways), and sums that delegate
    for (const [shape, axis, keep] of [[[2, 5, 7, 9], [0, 1, 2], false], [[3, 4, 6], [0, 1], true], [[6, 5], 0, false], [[2, 3, 4, 5], [1, 2], false], [[4, 6], 1, false], [[2, 3, 4], -1, true]] as const) {
      const errs = await compare([rand([...shape], 20)], ([x]) => [tf.sum(x, axis as number | number[], keep)]);
      expect(errs[0]).toBeLessThan(1e-5);
    }
    // split along the last axis (sizes and count) and along an inner axis (delegated)
    for (const [shape, split, axis] of [[[2, 5, 6, 7], [3, 4], 3], [[2, 5, 6, 7], [3, 4], -1], [[3, 8, 6], 2, 2], [[2, 5, 6, 7], [2, 3], 1], [[4, 9], [1, 8], 1]] as const) {
      const errs = await compare([rand([...shape], 21)], ([x]) => tf.split(x, split as number | number[], axis));
      for (const e of errs) expect(e).toBe(0);
    }
    // concat of three along the last axis, of 1-channel tensors, and along axis 1 (delegated)
    const errs = await compare([rand([2, 4, 5, 3], 22), rand([2, 4, 5, 1], 23), rand([2, 4, 5, 6], 24)], ([a, b, c]) =>
      [tf.concat([a, b, c], 3), tf.concat([b, b], -1), tf.concat([a, a], 1)]);
    for (const e of errs) expect(e).toBe(0);
    // gradient of nearest upsampling ×2 with batch 1 (the cpu backend is right for batch 1),
    // and a ×3 upsampling (delegated to the wasm kernel)
    for (const f of [2, 3]) {
      const [e] = await compare([rand([1, 5, 7, 6], 25), rand([1, 5 * f, 7 * f, 6], 26)], ([x, g]) =>
        [tf.grad((a: tf.Tensor) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [5 * f, 7 * f]).mul(g).sum())(x)]);
      expect(e).toBeLessThan(1e-5);
    }
  });
  it('concatenation along channels and relu', async () => {
    const errs = await compare([rand([2, 5, 6, 3], 8), rand([2, 5, 6, 4], 9)], ([a, b]) =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.relu(tf.concat([x, y], 3)).square().mul(tf.linspace(-1, 1, 7)).sum())([a, b]));
    for (const e of errs) expect(e).toBeLessThan(1e-4);
  });
  it('a whole U-Net training step gives the same weight gradients as the cpu backend', async () => {
    const build = () => {
      const conv = (f: number, t: tf.SymbolicTensor) =>
        tf.layers.conv2d({ filters: f, kernelSize: 3, activation: 'relu', padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: f }) }).apply(t) as tf.SymbolicTensor;
      const inp = tf.input({ shape: [16, 24, 1] });
      const c1 = conv(4, conv(4, inp));
      const p1 = tf.layers.maxPooling2d({ poolSize: 2 }).apply(c1) as tf.SymbolicTensor;
      const c2 = conv(8, conv(8, p1));
      const u1 = tf.layers.upSampling2d({ size: [2, 2] }).apply(c2) as tf.SymbolicTensor;
      const m1 = tf.layers.concatenate().apply([u1, c1]) as tf.SymbolicTensor;
      const c3 = conv(4, conv(4, m1));
      const out = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }).apply(c3) as tf.SymbolicTensor;
      return tf.model({ inputs: inp, outputs: out });
    };
    // Batch of 1: the cpu backend's ResizeNearestNeighborGrad is wrong for batches > 1.
    const x = rand([1, 16, 24, 1], 10);
    const y = rand([1, 16, 24, 1], 11);
    y.data.forEach((v, i) => { y.data[i] = v > 0.3 ? 1 : 0; });
    const grads: Record<string, Float32Array[]> = {};
    for (const b of ['cpu', 'wasm']) {
      await tf.setBackend(b);
      const model = build();
      const xt = tf.tensor(x.data, x.shape), yt = tf.tensor(y.data, y.shape);
      const { grads: g } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(yt, model.apply(xt) as tf.Tensor) as tf.Scalar);
      grads[b] = model.trainableWeights.map((w) => g[w.originalName].dataSync() as Float32Array);
      tf.dispose(Object.values(g));
      tf.dispose([xt, yt]);
      model.dispose();
    }
    expect(grads.wasm.length).toBe(grads.cpu.length);
    grads.cpu.forEach((ref, i) => expect(relErr(grads.wasm[i], ref)).toBeLessThan(1e-4));
  });
});

describe('threaded wasm build (NSEG_WASM_THREADS=2, shared memory)', () => {
  it('gives the cpu gradients with the filter gradient split over the helper thread, and the process exits', () => {
    // A child process: the threaded build must be chosen before the wasm backend first starts.
    // Inside the repository (build/ is git-ignored) so that the script resolves node_modules.
    mkdirSync('build', { recursive: true });
    const dir = mkdtempSync(join(resolve('build'), 'nseg-threads-'));
    const lib = (p: string) => JSON.stringify(resolve('lib', p));
    const script = `
import * as tf from '@tensorflow/tfjs';
import { selectBackend, backendInfo } from ${lib('nn/backend.ts')};
import { getSimdKernels } from ${lib('nn/kernels/simd.ts')};
const rand = (shape, seed) => { let s = seed >>> 0; const n = shape.reduce((a, b) => a * b, 1); const d = new Float32Array(n);
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; d[i] = s / 2 ** 32 - 0.5; } return d; };
const cases = [[[2, 40, 52, 5], [3, 3, 5, 12], 1, 'same'], [[1, 33, 47, 8], [3, 3, 8, 7], 1, 'valid'], [[2, 20, 26, 3], [3, 3, 3, 9], 2, 'same']];
const run = (c) => tf.tidy(() => tf.grads((a, b) => tf.conv2d(a, b, c[2], c[3]).square().sum())([tf.tensor(rand(c[0], 1), c[0]), tf.tensor(rand(c[1], 2), c[1])]).map((t) => t.dataSync()));
const unet = () => tf.tidy(() => { const x = tf.tensor(rand([1, 32, 48, 6], 3), [1, 32, 48, 6]); // batch 1: the cpu ResizeNearestNeighborGrad is wrong for more
  return tf.grads((a) => tf.concat([tf.image.resizeNearestNeighbor(tf.maxPool(a, 2, 2, 'valid'), [32, 48]), a], 3).relu().mul(tf.linspace(-1, 1, 12)).sum([0, 1, 2]).square().sum())([x]).map((t) => t.dataSync()); });
await selectBackend({ backend: 'wasm' });
const wasm = await import('@tensorflow/tfjs-backend-wasm');
run(cases[0]);
await new Promise((r) => setTimeout(r, 500));
const k = getSimdKernels(tf.backend());
const got = [...cases.map(run), unet()];
const info = { threads: wasm.getThreadsCount(), helper: k ? k.threads() : 0, reason: backendInfo().reason };
await tf.setBackend('cpu');
const ref = [...cases.map(run), unet()];
const errs = got.map((g, i) => g.map((a, j) => { const b = ref[i][j]; let num = 0, den = 0;
  for (let q = 0; q < b.length; q++) { num = Math.max(num, Math.abs(a[q] - b[q])); den = Math.max(den, Math.abs(b[q])); } return num / den; }));
console.log(JSON.stringify({ ...info, errs }));
`;
    const file = join(dir, 'threads.mts');
    writeFileSync(file, script);
    try {
      const out = execFileSync(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), file], {
        encoding: 'utf8', timeout: 50_000, env: { ...process.env, NSEG_WASM_THREADS: '2', NSEG_BACKEND: '' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { threads: number; helper: number; reason: string; errs: number[][] };
      expect(r.threads).toBe(2);
      expect(r.helper).toBe(2); // the SIMD module runs on the shared memory with its helper worker
      expect(r.reason).toMatch(/NSEG_WASM_THREADS=2/);
      expect(r.errs.length).toBe(4);
      expect(r.errs.flat().every((e) => e < 1e-4), JSON.stringify(r.errs)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
