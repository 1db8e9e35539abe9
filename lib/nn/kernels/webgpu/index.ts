/**
 * Registers this project's WGSL kernels (`./conv2d.ts`) for tfjs's `webgpu` backend, in front
 * of tfjs-backend-webgpu's stock kernels, with a switch between the two.
 *
 * Why a switch and not a replacement: the benchmark compares both in one process
 * (`npm run bench -- unet-train --backend=webgpu`), and a user who meets a problem can go back
 * to tfjs's kernels without reinstalling: `NSEG_WEBGPU_KERNELS=stock` or
 * `selectBackend({ backend: 'webgpu', webgpuKernels: 'stock' })`.
 *
 * Design:
 * - Each registered kernel is a wrapper that keeps the stock kernel's config (read from tfjs's
 *   registry before replacing it). In 'project' mode it runs the project's kernel; when that
 *   refuses a case (NCHW, a stride it does not handle, ...) it runs the stock kernel instead,
 *   says so once per kernel and reason on stderr (console.warn) and counts the refusal in
 *   {@link webgpuKernelStats}, so nothing is silently different and nothing is ever answered
 *   wrongly. In 'stock' mode it runs the stock kernel.
 * - Registration is idempotent and needs the webgpu backend package to have registered its
 *   kernels first (importing `@tensorflow/tfjs-backend-webgpu` does that); `selectBackend`
 *   calls it right after that import.
 * - Nothing here imports the webgpu backend at run time (only its types), so importing this
 *   module has no side effect on machines without WebGPU.
 */
import * as tf from '@tensorflow/tfjs';
import { BrokenProgramError } from './program.js';
import {
  conv2dBackpropFilterProject,
  conv2dBackpropInputProject,
  conv2dProject,
  fusedConv2dProject,
  type KernelResult,
  type WebGpuKernelArgs,
} from './conv2d.js';

/** Which kernels run on the webgpu backend: this project's ('project') or tfjs's ('stock'). */
export type WebGpuKernelMode = 'project' | 'stock';

/** Per kernel: calls answered by the project kernel, by the stock kernel, and why the stock one. */
export interface WebGpuKernelCounts {
  /** calls the project kernel answered */
  project: number;
  /** calls the stock kernel answered (stock mode, or a refusal) */
  stock: number;
  /** refusal reason → count (project mode only) */
  refused: Record<string, number>;
}

const PROJECT_KERNELS: Record<string, (args: WebGpuKernelArgs) => KernelResult> = {
  Conv2D: conv2dProject,
  FusedConv2D: fusedConv2dProject,
  Conv2DBackpropInput: conv2dBackpropInputProject,
  Conv2DBackpropFilter: conv2dBackpropFilterProject,
};

/** The kernel names this module registers for 'webgpu'. */
export const WEBGPU_PROJECT_KERNELS: readonly string[] = Object.keys(PROJECT_KERNELS);

let mode: WebGpuKernelMode = 'project';
const stockConfigs = new Map<string, tf.KernelConfig>();
let counts: Record<string, WebGpuKernelCounts> = {};
const warned = new Set<string>();

function count(name: string): WebGpuKernelCounts {
  return (counts[name] ??= { project: 0, stock: 0, refused: {} });
}

/**
 * Parses a kernel mode from an option or `NSEG_WEBGPU_KERNELS`.
 *
 * @param value 'project' or 'stock' (any case); undefined or '' → 'project'
 * @param source where it came from, for the error message
 * @returns the mode
 * @example
 *   parseWebGpuKernelMode(process.env.NSEG_WEBGPU_KERNELS, 'NSEG_WEBGPU_KERNELS'); // 'project'
 */
export function parseWebGpuKernelMode(value: string | undefined, source: string): WebGpuKernelMode {
  if (value === undefined || value.trim() === '') return 'project';
  const v = value.trim().toLowerCase();
  if (v === 'project' || v === 'stock') return v;
  throw new Error(`${source} must be 'project' or 'stock', got '${value}'`);
}

/**
 * Chooses between the project's kernels and tfjs's stock kernels on the webgpu backend, from
 * now on (kernels already queued are not affected).
 *
 * @param m 'project' (default) or 'stock'
 * @example
 *   setWebGpuKernelMode('stock');   // tfjs-backend-webgpu's own kernels
 */
export function setWebGpuKernelMode(m: WebGpuKernelMode): void {
  if (m !== 'project' && m !== 'stock') throw new Error(`setWebGpuKernelMode: mode must be 'project' or 'stock', got '${String(m)}'`);
  mode = m;
}

/** The current kernel mode (see {@link setWebGpuKernelMode}). */
export function getWebGpuKernelMode(): WebGpuKernelMode {
  return mode;
}

/**
 * How often each registered kernel was answered by the project kernel or by the stock kernel
 * since the last {@link resetWebGpuKernelStats}, with the reasons for every refusal.
 *
 * @returns kernel name → counts (a copy)
 * @example
 *   webgpuKernelStats().Conv2DBackpropFilter; // { project: 11, stock: 0, refused: {} }
 */
export function webgpuKernelStats(): Record<string, WebGpuKernelCounts> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, { project: v.project, stock: v.stock, refused: { ...v.refused } }]));
}

/** Zeroes the counts of {@link webgpuKernelStats}. */
export function resetWebGpuKernelStats(): void {
  counts = {};
}

/**
 * Registers the project's kernels for the 'webgpu' backend in front of the stock ones (kept
 * for 'stock' mode and for refusals). Idempotent.
 *
 * @returns the names of the kernels now wrapped
 * @example
 *   await import('@tensorflow/tfjs-backend-webgpu');
 *   registerWebGpuKernels();       // ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']
 */
export function registerWebGpuKernels(): string[] {
  const done: string[] = [];
  for (const [name, project] of Object.entries(PROJECT_KERNELS)) {
    if (!stockConfigs.has(name)) {
      const stock = tf.getKernel(name, 'webgpu');
      if (!stock) continue; // the webgpu backend package is not loaded yet
      stockConfigs.set(name, stock);
      tf.unregisterKernel(name, 'webgpu');
      tf.registerKernel({
        ...stock,
        kernelFunc: ((args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
          const c = count(name);
          if (mode === 'project') {
            let r: KernelResult;
            try {
              r = project(args as WebGpuKernelArgs);
            } catch (e) {
              if (!(e instanceof BrokenProgramError)) throw e;
              r = { refused: 'program rejected by the device' };
            }
            if (!('refused' in r)) {
              c.project++;
              return r;
            }
            if (!warned.has(`${name}: ${r.refused}`)) {
              warned.add(`${name}: ${r.refused}`);
              console.warn(`neutron-seg: ${name} on webgpu falls back to tfjs's stock kernel for this case (${r.refused}); counted in webgpuKernelStats()`);
            }
            c.refused[r.refused] = (c.refused[r.refused] ?? 0) + 1;
          }
          c.stock++;
          return stock.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
        }) as tf.KernelFunc,
      });
    }
    done.push(name);
  }
  return done;
}

