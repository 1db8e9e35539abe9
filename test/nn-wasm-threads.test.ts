/**
 * The threaded wasm backend starts without global side effects: XNNPACK gets the requested
 * thread count through this WebAssembly instance's own import (os.cpus is never replaced),
 * and the pthread worker script is a file inside the package, written once per installation
 * (no per-process file left in the temp folder).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initThreadedWasm } from '../lib/nn/kernels/wasm-threads.js';

describe('initThreadedWasm', () => {
  it('runs XNNPACK on 2 threads, leaves os.cpus alone, and keeps one worker file in the package', async () => {
    const cpus = os.cpus;
    const version = (JSON.parse(readFileSync('node_modules/@tensorflow/tfjs-backend-wasm/package.json', 'utf8')) as { version: string }).version;
    const worker = join('lib', 'dist', `tfjs-wasm-worker-${version}.cjs`);
    const before = existsSync(worker) ? statSync(worker).mtimeMs : null;
    expect(await initThreadedWasm(2)).toBe('');
    expect(existsSync(worker)).toBe(true);
    // made once per installation: an existing file is used as it is
    if (before !== null) expect(statSync(worker).mtimeMs).toBe(before);
    expect(await tf.setBackend('wasm')).toBe(true);
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    expect(wasm.getThreadsCount()).toBe(2);
    expect(os.cpus).toBe(cpus);
    expect(existsSync(join(os.tmpdir(), `nseg-tfjs-wasm-worker-${process.pid}.cjs`))).toBe(false);
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    expect(Array.from(tf.matMul(a, a).dataSync())).toEqual([7, 10, 15, 22]);
  }, 120_000);
});
