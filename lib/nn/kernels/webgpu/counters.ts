/**
 * Counts the work the webgpu backend sends to the device: programs dispatched, queue submits,
 * and readbacks (GPU → CPU copies the host waits for). The benchmark prints them per training
 * step and per epoch, and the tests check that an epoch reads back only what its progress line
 * needs.
 *
 * Why by wrapping the backend instance's methods: tfjs-backend-webgpu 4.22 keeps no such
 * counters. Every program goes through `recordAndSubmit`, every submit through `submitQueue`,
 * every asynchronous read through `getBufferData` and every synchronous one through `readSync`,
 * so wrapping those four methods of the one backend instance counts everything without
 * changing what runs. `stop()` puts the original methods back.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** Running totals since the counter started. */
export interface WebGpuWorkCounts {
  /** compute programs dispatched */
  programs: number;
  /** command buffers submitted to the queue */
  submits: number;
  /** buffers read back to the CPU (data(), dataSync(), array(), ...) */
  readbacks: number;
}

/** A live counter; read `counts` at any time, call `stop()` when done. */
export interface WebGpuWorkCounter {
  /** the totals so far (a live object) */
  readonly counts: WebGpuWorkCounts;
  /** sets the totals to zero */
  reset(): void;
  /** restores the backend's methods */
  stop(): void;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Starts counting programs, submits and readbacks of a webgpu backend instance.
 *
 * @param backend the backend (`tf.backend()` while 'webgpu' is active)
 * @returns a counter; only one should run at a time
 * @example
 *   const c = countWebGpuWork(tf.backend() as WebGPUBackend);
 *   await model.fit(x, y, { epochs: 1 });
 *   console.log(c.counts); // { programs: 480, submits: 33, readbacks: 2 }
 *   c.stop();
 */
export function countWebGpuWork(backend: WebGPUBackend): WebGpuWorkCounter {
  const counts: WebGpuWorkCounts = { programs: 0, submits: 0, readbacks: 0 };
  const target = backend as unknown as Record<string, Method>;
  const wrapped: [string, Method, boolean][] = [];
  const wrap = (name: string, field: keyof WebGpuWorkCounts, counts1: (self: unknown, args: unknown[]) => boolean = () => true) => {
    const own = Object.prototype.hasOwnProperty.call(target, name);
    const original = target[name];
    if (typeof original !== 'function') throw new Error(`countWebGpuWork: the backend has no ${name}() (not a tfjs-backend-webgpu 4.x backend?)`);
    wrapped.push([name, original, own]);
    target[name] = function (this: unknown, ...args: unknown[]) {
      if (counts1(this, args)) counts[field]++;
      return original.apply(this, args);
    };
  };
  wrap('recordAndSubmit', 'programs');
  wrap('submitQueue', 'submits');
  wrap('getBufferData', 'readbacks');
  // readSync of a tensor whose values are already on the CPU reads nothing from the GPU.
  wrap('readSync', 'readbacks', (self, args) => {
    const map = (self as { tensorMap: { get(id: unknown): { values?: unknown } | undefined } }).tensorMap;
    return map.get(args[0])?.values == null;
  });
  return {
    counts,
    reset() {
      counts.programs = 0;
      counts.submits = 0;
      counts.readbacks = 0;
    },
    stop() {
      for (const [name, original, own] of wrapped.splice(0)) {
        if (own) target[name] = original;
        else delete target[name];
      }
    },
  };
}
