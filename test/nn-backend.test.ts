/**
 * Backend selection (lib/nn/backend.ts): the automatic choice follows what this machine offers
 * (a GPU, native TensorFlow, WebGPU, or the wasm default), so the tests check the order of the
 * candidates tried and that each one passed over says why, not one fixed answer; forcing works
 * through the option and NSEG_BACKEND; bad names fail clearly; importing never fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';

/** The tfjs backend each candidate activates. */
const TF_NAME: Record<string, string> = { 'tfjs-node-gpu': 'tensorflow', webgpu: 'webgpu', 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

/** The package a `@tensorflow/tfjs-node(-gpu)` name resolves to here, or null when absent. */
function resolvesTo(spec: string): string | null {
  try {
    return (createRequire(import.meta.url)(`${spec}/package.json`) as { name: string }).name;
  } catch {
    return null;
  }
}

describe('selectBackend / backendInfo', () => {
  // the automatic choice is under test, not the caller's NSEG_BACKEND
  const saved = process.env.NSEG_BACKEND;
  beforeEach(() => {
    delete process.env.NSEG_BACKEND;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.NSEG_BACKEND;
    else process.env.NSEG_BACKEND = saved;
  });

  it('imports without side effects and reports that nothing is selected yet', async () => {
    // importing the whole library leaves tfjs' kernel registry alone (the cpu fix waits for selectBackend)
    const cpuGrad = () => tf.getKernel('ResizeNearestNeighborGrad', 'cpu')?.kernelFunc;
    const tfjsOwn = cpuGrad();
    expect(tfjsOwn).toBeDefined();
    await import('../lib/index.js');
    expect(cpuGrad()).toBe(tfjsOwn);
    const m = await import('../lib/nn/backend.js');
    expect(typeof m.selectBackend).toBe('function');
    expect(m.backendInfo().name).toBe('');
    expect(m.backendInfo().reason).toMatch(/selectBackend/);
    expect(m.NN_BACKEND_CANDIDATES).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it('tries the candidates in order, takes the first that works, and says why it passed over the others', async () => {
    const { selectBackend, backendInfo, NN_BACKEND_CANDIDATES } = await import('../lib/nn/backend.js');
    const cpuGrad = tf.getKernel('ResizeNearestNeighborGrad', 'cpu')?.kernelFunc;
    const name = await selectBackend();
    // selectBackend corrected the cpu up-sampling gradient (used if the cpu backend is set later)
    expect(tf.getKernel('ResizeNearestNeighborGrad', 'cpu')?.kernelFunc).not.toBe(cpuGrad);
    const info = backendInfo();
    const tried = info.tried.map((t) => t.name);
    // a prefix of the fixed order, ending at the one chosen
    expect(tried.length).toBeGreaterThan(0);
    expect(tried).toEqual(NN_BACKEND_CANDIDATES.slice(0, tried.length));
    expect(info.tried.map((t) => t.ok)).toEqual(tried.map((_, i) => i === tried.length - 1));
    const chosen = tried[tried.length - 1]!;
    expect(name).toBe(TF_NAME[chosen]);
    expect(info.name).toBe(name);
    expect(tf.getBackend()).toBe(name);
    expect(info.reason.startsWith(`${chosen === 'tfjs-node-gpu' || chosen === 'tfjs-node' ? '@tensorflow/' : ''}${chosen}:`)).toBe(true);
    // every candidate passed over is named in the reason, with a reason of its own
    for (const t of info.tried.slice(0, -1)) {
      expect(t.why.length).toBeGreaterThan(10);
      expect(info.reason).toContain(`${t.name}: ${t.why}`);
    }
    // what is known about this machine without asking the library
    const gpu = info.tried.find((t) => t.name === 'tfjs-node-gpu')!;
    if (resolvesTo('@tensorflow/tfjs-node-gpu') === null) expect(gpu.why).toMatch(/not installed/);
    const node = info.tried.find((t) => t.name === 'tfjs-node');
    // this project aliases @tensorflow/tfjs-node to plain tfjs for danfojs: never taken for native
    if (node && resolvesTo('@tensorflow/tfjs-node') !== '@tensorflow/tfjs-node') {
      expect(node.ok).toBe(false);
      expect(node.why).toMatch(/alias|not installed/);
    }
    if (chosen === 'wasm') {
      expect(info.reason).toMatch(/^wasm: WebAssembly/);
      expect(info.reason).toMatch(/Conv2DBackpropFilter/);
      // the wasm thread count and why it was chosen
      expect(info.reason).toMatch(/thread\(s\) \((NSEG_WASM_THREADS=\d+|\d threads?: load average [\d.]+ on \d+ cores.*|one core)\)/);
    }
    // the training kernels work on whatever was chosen: a conv filter gradient
    const g = tf.grad((f: tf.Tensor) => tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'same').sum())(tf.ones([3, 3, 1, 2]));
    expect(Array.from(g.dataSync()).slice(0, 2)).toEqual([9, 9]);
  });

  it('forces cpu by option and by NSEG_BACKEND', async () => {
    const { selectBackend, backendInfo } = await import('../lib/nn/backend.js');
    expect(await selectBackend({ backend: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(backendInfo().reason).toMatch(/forced by option/);
    expect(backendInfo().tried).toHaveLength(1);
    process.env.NSEG_BACKEND = 'wasm';
    expect(await selectBackend()).toBe('wasm');
    expect(backendInfo().reason).toMatch(/forced by NSEG_BACKEND/);
  });

  it('rejects unknown names clearly', async () => {
    const { selectBackend } = await import('../lib/nn/backend.js');
    await expect(selectBackend({ backend: 'cuda-magic' })).rejects.toThrow(/unknown backend 'cuda-magic'.*tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu/);
    process.env.NSEG_BACKEND = 'nope';
    await expect(selectBackend()).rejects.toThrow(/NSEG_BACKEND/);
  });

  it('rejects a forced backend that cannot run here, naming it', async () => {
    const { selectBackend, backendInfo } = await import('../lib/nn/backend.js');
    await selectBackend();
    const { tried } = backendInfo();
    // a candidate whose package is absent here (or only an alias) must fail when forced, not fall back
    const absent = tried.filter((t) => !t.ok && /not installed|alias/.test(t.why));
    for (const t of absent) await expect(selectBackend({ backend: t.name })).rejects.toThrow(t.name);
    // and the automatic choice, forced, is chosen again
    const chosen = tried[tried.length - 1]!;
    expect(await selectBackend({ backend: chosen.name })).toBe(TF_NAME[chosen.name]);
    expect(backendInfo().reason).toMatch(/^forced by option/);
  });
});
