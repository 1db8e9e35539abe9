/**
 * The WebGPU path, tested on every machine through Mesa's software Vulkan driver (lavapipe):
 * `NSEG_BACKEND=webgpu`-style forcing starts the webgpu backend on it, and
 * - every project kernel (lib/nn/kernels/webgpu: Conv2D, FusedConv2D, Conv2DBackpropInput,
 *   Conv2DBackpropFilter) gives the cpu backend's output and gradients within 1e-4 relative on
 *   random inputs: every (in, out) channel pair, filter size, stride and padding of the
 *   project's U-Nets (the lecture's spot U-Net and the roots U-Net, read from the built
 *   models), other strides, paddings, dilations and filter shapes, channel counts that are not
 *   multiples of 4, sizes that are not multiples of the tile (8 columns), batches of 1 and 3 —
 *   and the project kernel, not the stock one, answered (counted);
 * - cases a kernel refuses (NCHW, transposed convolution with a stride) fall back to the stock
 *   kernel, are counted with their reason, and are still right;
 * - a small U-Net trained with `trainModel` follows the cpu backend's loss curve;
 * - live tensors and GPU buffers in use are the same after every epoch, and an epoch reads
 *   back from the GPU only a few buffers.
 * lavapipe is found at `NSEG_LAVAPIPE_ICD` (default /usr/share/vulkan/icd.d/lvp_icd.json); when
 * it is missing or Dawn cannot start on it, the tests fail under CI and are skipped elsewhere
 * (test/helpers/needs.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { needs } from './helpers/needs.js';
import { selectBackend, backendInfo, resetWebGpuKernelStats, webgpuKernelStats, setWebGpuKernelMode } from '../lib/nn/backend.js';
import { buildSpotUNet, buildUNet } from '../lib/nn/unet.js';
import { trainModel } from '../lib/nn/train.js';
import { countWebGpuWork } from '../lib/nn/kernels/webgpu/counters.js';
import { BrokenProgramError, runProgram, type ProgramSpec } from '../lib/nn/kernels/webgpu/program.js';
import { KerasMetricsAccumulator, KerasMetricsDeviceAccumulator } from '../lib/nn/keras-metrics.js';
import { rand, relErr } from './helpers/numeric.js';

const ICD = process.env.NSEG_LAVAPIPE_ICD ?? '/usr/share/vulkan/icd.d/lvp_icd.json';
const LAVAPIPE = 'lavapipe (Mesa ≥ 24 software Vulkan driver)';
let ready = false;
let why = `no ICD file at ${ICD}`;

beforeAll(async () => {
  if (!existsSync(ICD)) return;
  process.env.VK_DRIVER_FILES = ICD;
  try {
    await selectBackend({ backend: 'webgpu', webgpuKernels: 'project' });
    ready = true;
  } catch (e) {
    why = `the webgpu backend did not start on ${ICD}: ${(e as Error).message}`;
  }
}, 120_000);

afterAll(async () => {
  setWebGpuKernelMode('project');
});

function need(ctx: TestContext): void {
  needs(ctx, LAVAPIPE, ready, ready ? undefined : `${why}; the test command installs it`);
}

type Inputs = { data: Float32Array; shape: number[] }[];

/** Runs f on cpu and on webgpu with the same inputs; returns the relative error of each output. */
async function compare(inputs: Inputs, f: (t: tf.Tensor[]) => tf.Tensor[]): Promise<number[]> {
  const outs: Record<string, Float32Array[]> = {};
  for (const b of ['cpu', 'webgpu']) {
    await tf.setBackend(b);
    const ts = tf.tidy(() => f(inputs.map((x) => tf.tensor(x.data, x.shape))));
    outs[b] = [];
    for (const t of ts) {
      outs[b].push((await t.data()) as Float32Array);
      t.dispose();
    }
  }
  await tf.setBackend('webgpu');
  return outs.cpu.map((ref, i) => {
    expect(outs.webgpu[i].length).toBe(ref.length);
    return relErr(outs.webgpu[i], ref);
  });
}

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase { x: number[]; f: number[]; stride?: number | [number, number]; pad?: Pad; dilation?: number | [number, number] }

/** y = conv(x, f), and dx, dW of Σ conv(x, f) · r (r random, so dy is random). */
async function convErrors(c: ConvCase, seed: number): Promise<number[]> {
  const stride = c.stride ?? 1;
  const pad = c.pad ?? 'same';
  const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.f as [number, number, number, number], stride, c.dilation ?? 1, pad);
  return compare([rand(c.x, seed), rand(c.f, seed + 1), rand(info.outShape, seed + 2)], ([x, f, r]) => {
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad, 'NHWC', c.dilation ?? 1);
    const out: tf.Tensor[] = [conv(x, f)];
    if ((c.dilation ?? 1) === 1) out.push(...tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(r).sum())([x, f]));
    return out;
  });
}

/** Every distinct (in, out, filter) of the 2-D convolutions of a model. */
function convShapes(model: tf.LayersModel): { ci: number; co: number; k: number }[] {
  const seen = new Map<string, { ci: number; co: number; k: number }>();
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const kernel = layer.getWeights()[0];
    const [k, , ci, co] = kernel.shape;
    seen.set(`${ci}-${co}-${k}`, { ci, co, k });
  }
  model.dispose();
  return [...seen.values()];
}

describe('webgpu on lavapipe: backend selection', () => {
  it('forcing webgpu starts it on the software adapter, with the project kernels', (ctx) => {
    need(ctx);
    expect(tf.getBackend()).toBe('webgpu');
    expect(backendInfo().reason).toMatch(/forced by option: webgpu: .*CPU implementation of WebGPU/);
    expect(backendInfo().reason).toMatch(/project's WGSL kernels for Conv2D, FusedConv2D, Conv2DBackpropInput, Conv2DBackpropFilter/);
  });
});

// lavapipe compiles each new WGSL pipeline in seconds (LLVM); a cold shader cache on a busy
// 2-core machine needs more than the default 2 minutes for these
describe('webgpu project kernels equal the cpu backend (1e-4 relative)', { timeout: 600_000 }, () => {
  // The U-Nets' convolutions, on small odd images: 7 × 13 (not a multiple of the 8- or 16-column
  // tile), batch 1 and 3 alternating.
  const unets: [string, () => tf.LayersModel][] = [
    ['spot U-Net (lecture, base 24)', () => buildSpotUNet(24)],
    ['roots U-Net (depth 3, base 8, batch norm)', () => buildUNet({ depth: 3, baseFilters: 8, batchNorm: true, outputActivation: 'sigmoid' })],
  ];
  for (const [name, build] of unets) {
    it(`every convolution of the ${name}: output, input gradient, filter gradient`, async (ctx) => {
      need(ctx);
      resetWebGpuKernelStats();
      const shapes = convShapes(build());
      expect(shapes.length).toBeGreaterThan(5);
      let seed = 10;
      for (const [i, s] of shapes.entries()) {
        const batch = i % 2 === 0 ? 1 : 3;
        const errs = await convErrors({ x: [batch, 7, 13, s.ci], f: [s.k, s.k, s.ci, s.co] }, (seed += 3));
        for (const e of errs) expect(e, `${s.ci}→${s.co} ${s.k}×${s.k} batch ${batch}`).toBeLessThan(1e-4);
      }
      const st = webgpuKernelStats();
      expect(st.Conv2D.project).toBe(2 * shapes.length); // the output, and again inside tf.grads
      expect(st.Conv2D.stock).toBe(0);
      expect(st.Conv2DBackpropInput.project).toBe(shapes.length);
      expect(st.Conv2DBackpropFilter.project).toBe(shapes.length);
      expect(st.Conv2DBackpropFilter.stock).toBe(0);
    });
  }

  const cases: ConvCase[] = [
    { x: [3, 9, 11, 3], f: [3, 3, 3, 5] }, // channels not multiples of 4
    { x: [1, 9, 11, 3], f: [3, 3, 3, 5], stride: 1, pad: 'valid' },
    { x: [3, 9, 11, 4], f: [3, 3, 4, 8], stride: 2, pad: 'same' },
    { x: [1, 10, 12, 4], f: [2, 2, 4, 8], stride: 2, pad: 'valid' },
    { x: [1, 8, 13, 8], f: [5, 3, 8, 12], stride: [2, 1], pad: 'same' },
    { x: [3, 7, 7, 1], f: [1, 1, 1, 24], stride: 1, pad: 'valid' },
    { x: [1, 9, 9, 4], f: [3, 3, 4, 6], stride: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
    { x: [1, 9, 9, 4], f: [3, 3, 4, 6], stride: 3, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    { x: [1, 12, 17, 8], f: [3, 3, 8, 8], stride: 1, pad: 'same', dilation: 2 }, // forward only (tfjs has no dilated gradient)
    { x: [3, 5, 37, 12], f: [3, 3, 12, 20], stride: 1, pad: 2 }, // 37 columns: 4 full tiles + 5
  ];
  it('other strides, paddings, dilations, filter shapes and channel counts', async (ctx) => {
    need(ctx);
    resetWebGpuKernelStats();
    let seed = 100;
    for (const c of cases) {
      const errs = await convErrors(c, (seed += 3));
      for (const e of errs) expect(e, JSON.stringify(c)).toBeLessThan(1e-4);
    }
    const st = webgpuKernelStats();
    expect(st.Conv2D.project).toBe(2 * cases.length - 1); // twice per case (output, tf.grads), once for the dilated one
    expect(st.Conv2DBackpropFilter.project).toBe(cases.length - 1);
    // transposed convolutions with a stride are refused (stock kernel, counted), the rest are ours
    const strided = cases.filter((c) => (c.dilation ?? 1) === 1 && c.stride !== undefined && c.stride !== 1).length;
    expect(st.Conv2DBackpropInput.project).toBe(cases.length - 1 - strided);
    expect(st.Conv2DBackpropInput.stock).toBe(strided);
    expect(Object.keys(st.Conv2DBackpropInput.refused).every((r) => /^stride /.test(r))).toBe(true);
  });

  it('fused convolution with bias and ReLU (inference), and refusals that fall back correctly', async (ctx) => {
    need(ctx);
    resetWebGpuKernelStats();
    const errs = await compare([rand([3, 9, 19, 8], 7), rand([3, 3, 8, 16], 8), rand([16], 9), rand([2, 6, 7, 3], 10), rand([3, 3, 3, 4], 11)], ([x, f, b, x2, f2]) => [
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }),
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'valid', bias: b }),
      // refused: activation elu, NCHW
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'elu' }),
      tf.conv2d(tf.transpose(x2, [0, 3, 1, 2]) as tf.Tensor4D, f2 as tf.Tensor4D, 1, 'same', 'NCHW'),
    ]);
    for (const e of errs) expect(e).toBeLessThan(1e-4);
    const st = webgpuKernelStats();
    expect(st.FusedConv2D).toEqual({ project: 2, stock: 1, refused: { 'fused activation elu': 1 } });
    expect(st.Conv2D).toEqual({ project: 0, stock: 1, refused: { NCHW: 1 } });
  });

  it('the tiles chosen for a hardware GPU (32-invocation workgroups, 8192-invocation filter gradients) give the same answers', async (ctx) => {
    need(ctx);
    // The lent GPU machine runs these programs; run them here too by making the backend
    // believe its adapter is not a software one.
    const info = (tf.backend() as unknown as { adapterInfo: { architecture?: string } }).adapterInfo;
    const saved = info.architecture;
    info.architecture = 'test-hardware';
    try {
      resetWebGpuKernelStats();
      let seed = 200;
      for (const c of [
        { x: [3, 7, 45, 24], f: [3, 3, 24, 24] }, { x: [1, 9, 13, 1], f: [3, 3, 1, 24] }, { x: [3, 6, 21, 72], f: [3, 3, 72, 24] },
        { x: [1, 5, 11, 24], f: [1, 1, 24, 1] }, { x: [3, 9, 11, 3], f: [3, 3, 3, 5], stride: 2 },
      ] as ConvCase[]) {
        const errs = await convErrors(c, (seed += 3));
        for (const e of errs) expect(e, JSON.stringify(c)).toBeLessThan(1e-4);
      }
      expect(webgpuKernelStats().Conv2DBackpropFilter).toEqual({ project: 5, stock: 0, refused: {} });
    } finally {
      info.architecture = saved;
    }
  });

  it("the stock mode runs tfjs's kernels and gives the same answer", async (ctx) => {
    need(ctx);
    const inputs = [rand([1, 9, 11, 8], 21), rand([3, 3, 8, 8], 22)];
    const run = async () => {
      const [y, dx, dw] = tf.tidy(() => {
        const [x, f] = inputs.map((i) => tf.tensor(i.data, i.shape));
        const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same');
        return [conv(x, f), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).square().sum())([x, f])];
      });
      const out = [await y.data(), await dx.data(), await dw.data()];
      tf.dispose([y, dx, dw]);
      return out;
    };
    resetWebGpuKernelStats();
    setWebGpuKernelMode('stock');
    const stock = await run();
    setWebGpuKernelMode('project');
    expect(webgpuKernelStats().Conv2D).toEqual({ project: 0, stock: 2, refused: {} });
    const project = await run();
    expect(webgpuKernelStats().Conv2D.project).toBe(2);
    for (let i = 0; i < 3; i++) expect(relErr(project[i], stock[i])).toBeLessThan(1e-4);
  });
});

describe('a WGSL program the device rejects', () => {
  it('is reported loudly once, then refused (so its kernel falls back)', async (ctx) => {
    need(ctx);
    await tf.setBackend('webgpu');
    const spec: ProgramSpec = {
      name: 'DeliberatelyInvalid', key: 'test_deliberately_invalid', inputs: [{ name: 'x', components: 1 }],
      outputShape: [4], outputComponents: 1, workgroup: [4, 1, 1], dispatch: [1, 1, 1],
      uniforms: [{ decl: 'k : i32', type: 'int32', data: [1] }],
      main: 'fn main() { let bad : i32 = 1.5; result[0] = x[0] + f32(uniforms.k + bad); }',
    };
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const x = tf.ones([4]);
    try {
      tf.engine().makeTensorFromTensorInfo(runProgram(tf.backend() as unknown as WebGPUBackend, spec, [x])).dispose();
      for (let i = 0; i < 50 && errors.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/DeliberatelyInvalid .* was rejected by this device/);
      expect(() => runProgram(tf.backend() as unknown as WebGPUBackend, spec, [x])).toThrow(BrokenProgramError);
    } finally {
      errors.mockRestore();
      x.dispose();
    }
  });
});

// lavapipe compiles each new WGSL pipeline in seconds (LLVM); a cold shader cache on a busy
// 2-core machine needs more than the default 2 minutes for these
describe('webgpu training on lavapipe', { timeout: 600_000 }, () => {
  /** The spot U-Net's layout with 4 base filters and a sigmoid output (a ReLU output can die under plain SGD). */
  const smallUNet = () => buildUNet({ depth: 2, baseFilters: 4, outputActivation: 'sigmoid' });

  /** Trains a small spot U-Net on the current backend from fixed weights; returns the history and per-epoch counts. */
  async function train(backend: string, weights: tf.Tensor[], epochs: number) {
    await tf.setBackend(backend);
    const model = smallUNet();
    model.setWeights(weights);
    const xs = rand([3, 16, 24, 1], 31);
    const ys = rand([3, 16, 24, 1], 32);
    const x = tf.tensor4d(xs.data, xs.shape as [number, number, number, number]);
    const y = tf.tensor4d(ys.data.map((v) => (v > 0.3 ? 1 : 0)), ys.shape as [number, number, number, number]);
    const xv = tf.tensor4d(xs.data.slice(0, 16 * 24), [1, 16, 24, 1]);
    const yv = tf.tensor4d(ys.data.slice(0, 16 * 24).map((v) => (v > 0.3 ? 1 : 0)), [1, 16, 24, 1]);
    const tensors: number[] = [];
    const buffers: number[] = [];
    const readbacks: number[] = [];
    const counter = backend === 'webgpu' ? countWebGpuWork(tf.backend() as unknown as WebGPUBackend) : null;
    // Plain SGD: its steps are proportional to the gradients (Adam's first steps are nearly
    // their signs), so a wrong gradient magnitude shows in the loss curve.
    const optimizer = tf.train.sgd(0.2);
    try {
      const { history } = await trainModel(model, x, y, {
        epochs, batchSize: 2, optimizer, shuffle: false, verbose: false, validationData: [xv, yv],
        onEpoch: () => {
          tensors.push(tf.memory().numTensors);
          if (counter) {
            buffers.push((tf.backend() as unknown as { bufferManager: { numUsedBuffers: number } }).bufferManager.numUsedBuffers);
            readbacks.push(counter.counts.readbacks);
            counter.reset();
          }
        },
      });
      return { history, tensors, buffers, readbacks };
    } finally {
      counter?.stop();
      optimizer.dispose();
      tf.dispose([x, y, xv, yv]);
      model.dispose();
    }
  }

  it("a small U-Net follows the cpu backend's loss curve; tensors and GPU buffers stay constant per epoch", async (ctx) => {
    need(ctx);
    await tf.setBackend('cpu');
    const init = smallUNet();
    const weights = init.getWeights().map((w) => w.clone());
    init.dispose();
    const epochs = 5;
    const cpu = await train('cpu', weights, epochs);
    resetWebGpuKernelStats();
    const gpu = await train('webgpu', weights, epochs);
    tf.dispose(weights);
    // the project kernels did the convolutions
    expect(webgpuKernelStats().Conv2DBackpropFilter.project).toBeGreaterThan(0);
    expect(webgpuKernelStats().Conv2DBackpropFilter.stock).toBe(0);
    // the loss goes down and follows the cpu curve: float32 rounding differs by ~1e-7 relative;
    // a filter gradient that missed a quarter of one tap changed the loss by 3e-4 after 5 steps
    expect(gpu.history.loss.at(-1)!).toBeLessThan(gpu.history.loss[0]);
    for (let e = 0; e < epochs; e++) {
      expect(Math.abs(gpu.history.loss[e] - cpu.history.loss[e]) / cpu.history.loss[e], `epoch ${e}`).toBeLessThan(2e-5);
      expect(Math.abs(gpu.history.val_loss[e] - cpu.history.val_loss[e]) / cpu.history.val_loss[e], `epoch ${e}`).toBeLessThan(2e-5);
    }
    // no leak: the same number of live tensors and GPU buffers in use after every epoch
    expect(new Set(gpu.tensors.slice(1)).size, `tensors per epoch ${gpu.tensors}`).toBe(1);
    expect(new Set(gpu.buffers.slice(1)).size, `GPU buffers per epoch ${gpu.buffers}`).toBe(1);
    // few sync points: 2 training batches and 1 validation batch per epoch, yet only the
    // metric sums are read back, once for training and once for validation (counts, floats)
    expect(gpu.readbacks.slice(1)).toEqual(Array(epochs - 1).fill(4));
  });
});

describe('a step that produces NaN on webgpu (no per-step readback)', { timeout: 600_000 }, () => {
  it("undoes the epoch: the error names it, and the weights and Adam's state are those from before it", async (ctx) => {
    need(ctx);
    await tf.setBackend('webgpu');
    const model = buildUNet({ depth: 2, baseFilters: 4, outputActivation: 'sigmoid' });
    const xs = rand([3, 16, 24, 1], 41);
    const x = tf.tensor4d(xs.data, [3, 16, 24, 1]);
    const y = tf.tensor4d(xs.data.map((v) => (v > 0.3 ? 1 : 0)), [3, 16, 24, 1]);
    let poison = false;
    // as if training diverged: the loss turns NaN once `poison` is set
    const loss = Object.defineProperty(
      (yt: tf.Tensor, yp: tf.Tensor): tf.Scalar => {
        const bce = tf.losses.sigmoidCrossEntropy(yt, yp) as tf.Scalar;
        return poison ? (tf.mul(bce, NaN) as tf.Scalar) : bce;
      },
      'name',
      { value: 'binary_crossentropy' },
    );
    const optimizer = tf.train.adam(1e-3);
    // (webgpu reads asynchronously only)
    const snap = async () => Promise.all(model.getWeights().map(async (w) => Float32Array.from(await w.data())));
    try {
      // a first call makes Adam's moments (state that stays between calls)
      await trainModel(model, x, y, { epochs: 1, batchSize: 2, verbose: false, optimizer, loss });
      const tensors = tf.memory().numTensors;
      let before: Float32Array[] = [];
      let iterations = -1;
      await expect(
        trainModel(model, x, y, {
          epochs: 4, batchSize: 2, verbose: false, optimizer, loss,
          onEpoch: async (e) => {
            if (e === 0) {
              before = await snap();
              iterations = optimizer.iterations;
              poison = true;
            }
          },
        }),
      ).rejects.toThrow(/trainModel: epoch 2: a step's loss or gradient was not finite, so the epoch was undone: the weights and the optimizer are those from before it/);
      const after = await snap();
      expect(after.length).toBe(before.length);
      after.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(before[i]!.buffer)), `weight tensor ${i}`).toBe(true));
      expect(optimizer.iterations).toBe(iterations);
      expect(tf.memory().numTensors).toBe(tensors);
      // Adam's moments are finite again: training goes on
      poison = false;
      const r = await trainModel(model, x, y, { epochs: 1, batchSize: 2, verbose: false, optimizer, loss });
      expect(Number.isFinite(r.history.loss[0])).toBe(true);
      expect((await snap()).every((w) => w.every(Number.isFinite))).toBe(true);
    } finally {
      optimizer.dispose();
      tf.dispose([x, y]);
      model.dispose();
    }
  });
});

describe('Keras metrics summed on the device (what trainModel uses on a GPU)', () => {
  /** Host and device accumulators over the same three batches; predictions hit bucket edges, 0.5, values above 1 and below 0. */
  async function both(backend: string) {
    await tf.setBackend(backend);
    const host = new KerasMetricsAccumulator();
    const dev = new KerasMetricsDeviceAccumulator();
    const sizes = [37, 64, 5];
    let lossSum = 0;
    for (const [b, size] of sizes.entries()) {
      const r = rand([size], 40 + b);
      const p = r.data.map((v, i) => (i % 7 === 0 ? Math.round((v + 0.5) * 199) / 199 : i % 11 === 0 ? 0.5 : i % 13 === 0 ? 1.7 : v + 0.5));
      p[0] = -0.2;
      const y = rand([size], 50 + b).data.map((v) => (v > 0.2 ? 1 : 0));
      host.update(y, p);
      const loss = tf.scalar(0.25 * (b + 1));
      lossSum += 0.25 * (b + 1) * size;
      // on webgpu a float32 tensor cast from bool lives in an int32 buffer: cover that too
      const [yt, pt] = [b === 1 ? tf.tidy(() => tf.cast(tf.greater(tf.tensor1d(y), 0.5), 'float32')) : tf.tensor1d(y), tf.tensor1d(p)];
      dev.update(yt, pt, loss, size);
      tf.dispose([yt, pt, loss]);
    }
    const before = tf.memory().numTensors;
    const { sums, lossSum: devLoss } = await dev.read();
    const fromDev = new KerasMetricsAccumulator();
    fromDev.addSums(sums);
    dev.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    return { host: host.result(), dev: fromDev.result(), devLoss, lossSum };
  }
  const check = (r: Awaited<ReturnType<typeof both>>) => {
    for (const k of ['tp', 'fp', 'tn', 'fn', 'binary_accuracy', 'precision', 'recall', 'auc'] as const) expect(r.dev[k], k).toBe(r.host[k]);
    expect(Math.abs(r.dev.mae - r.host.mae) / r.host.mae).toBeLessThan(1e-6);
    expect(Math.abs(r.devLoss - r.lossSum) / r.lossSum).toBeLessThan(1e-6);
  };
  it("gives the host accumulator's values on the cpu backend (counts exact)", async () => {
    check(await both('cpu'));
  });
  it("gives the host accumulator's values on webgpu (lavapipe)", async (ctx) => {
    need(ctx);
    check(await both('webgpu'));
  });
  it('reports NaN predictions like the host accumulator', async () => {
    await tf.setBackend('cpu');
    const dev = new KerasMetricsDeviceAccumulator();
    const [y, p] = [tf.tensor1d([0, 1, 1]), tf.tensor1d([0.2, NaN, 0.9])];
    dev.update(y, p);
    await expect(dev.read()).rejects.toThrow(/NaN/);
    dev.dispose();
    tf.dispose([y, p]);
  });
});
