/**
 * Backend selection (lib/nn/backend.ts): on this machine (no GPU, no native TensorFlow)
 * the automatic choice is wasm with the training kernels; forcing works through the option
 * and NSEG_BACKEND; bad names fail clearly; importing never fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';

describe('selectBackend / backendInfo', () => {
  afterEach(() => {
    delete process.env.NSEG_BACKEND;
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

  it('picks wasm here and says why the faster ones were skipped', async () => {
    const { selectBackend, backendInfo } = await import('../lib/nn/backend.js');
    const cpuGrad = tf.getKernel('ResizeNearestNeighborGrad', 'cpu')?.kernelFunc;
    const name = await selectBackend();
    expect(name).toBe('wasm');
    // selectBackend corrected the cpu up-sampling gradient (used if the cpu backend is set later)
    expect(tf.getKernel('ResizeNearestNeighborGrad', 'cpu')?.kernelFunc).not.toBe(cpuGrad);
    expect(tf.getBackend()).toBe('wasm');
    const info = backendInfo();
    expect(info.name).toBe('wasm');
    expect(info.tried.map((t) => t.name)).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']);
    expect(info.tried.map((t) => t.ok)).toEqual([false, false, false, true]);
    // this project aliases @tensorflow/tfjs-node to plain tfjs for danfojs: not native
    expect(info.tried[2].why).toMatch(/alias|not installed/);
    expect(info.reason).toMatch(/^wasm: WebAssembly/);
    expect(info.reason).toMatch(/Conv2DBackpropFilter/);
    expect(info.reason).toMatch(/skipped/);
    // no Vulkan loader on this machine: the WebGPU probe is skipped with that reason instead of
    // letting Dawn print "Couldn't load Vulkan" on stderr
    if (!['/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib'].some((d) => existsSync(`${d}/libvulkan.so.1`))) {
      expect(info.tried[1].why).toMatch(/WebGPU probe skipped: no Vulkan loader/);
    }
    // the wasm thread count and why it was chosen
    expect(info.reason).toMatch(/thread\(s\) \((NSEG_WASM_THREADS=\d+|\d threads?: load average [\d.]+ on \d+ cores.*|one core)\)/);
    // the training kernels are registered: a conv filter gradient runs on wasm
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

  it('rejects unknown names and a forced backend that cannot run, clearly', async () => {
    const { selectBackend } = await import('../lib/nn/backend.js');
    await expect(selectBackend({ backend: 'cuda-magic' })).rejects.toThrow(/unknown backend 'cuda-magic'.*tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu/);
    process.env.NSEG_BACKEND = 'nope';
    await expect(selectBackend()).rejects.toThrow(/NSEG_BACKEND/);
    await expect(selectBackend({ backend: 'webgpu' })).rejects.toThrow(/webgpu/);
  });
});
