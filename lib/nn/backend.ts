/**
 * Picks the fastest TensorFlow.js backend that works on this machine, and says why.
 *
 * Order: tfjs-node-gpu (CUDA) → WebGPU (the `webgpu` npm package: Dawn over Vulkan/Metal/D3D)
 * → tfjs-node (native TensorFlow on the CPU) → WebAssembly (tfjs-backend-wasm, SIMD + XNNPACK,
 * with the training kernels of `./kernels/` that it lacks) → plain JavaScript ('cpu').
 * `NSEG_BACKEND` or the `backend` option forces one.
 *
 * Design choices:
 * - The optional packages (tfjs-node-gpu, tfjs-node, webgpu and its tfjs backend, the wasm
 *   backend) are loaded lazily inside `selectBackend`, only when installed; a missing or broken
 *   one is recorded in `backendInfo().tried` and never breaks `import 'neutron-seg'`.
 * - `@tensorflow/tfjs-node` is only accepted when it is the real native package: this project
 *   overrides that name with plain `@tensorflow/tfjs` for danfojs, which would otherwise be
 *   mistaken for native TensorFlow.
 * - WebGPU: the webgpu backend registers itself only when `navigator.gpu` exists at import, so
 *   `navigator.gpu` and the package's globals (GPUBufferUsage, ...) are set on `globalThis`
 *   first. An adapter that is a CPU fallback (SwiftShader, llvmpipe) is skipped: wasm is faster.
 * - WebGPU on Linux needs a Vulkan loader (libvulkan.so.1) and a Vulkan driver (an ICD json).
 *   Without them Dawn prints "Couldn't load Vulkan" to stderr (noise in notebook outputs), so
 *   the probe is skipped, with that reason, when neither file is found (`NSEG_WEBGPU_PROBE=1`
 *   probes anyway). The GPU machine's run script installs libvulkan1 and sets VK_DRIVER_FILES,
 *   so the check passes there.
 * - `selectBackend` also corrects tfjs' cpu up-sampling gradient (`./kernels/cpu-resize-grad.ts`);
 *   importing this module changes nothing in tfjs.
 * - tfjs-node-gpu: the probe runs one small op (its tensors freed) and is accepted only when
 *   TensorFlow placed it on a CUDA device; otherwise the GPU package would run on the CPU.
 * - wasm threads: tfjs-backend-wasm turns threads off in Node; here its threaded-SIMD build is
 *   started with Node worker threads (see `./kernels/wasm-threads.ts`) when a second core is
 *   free: 2+ cores and a 1-minute load average below cores − 1. Measured (bench/UNET-PERF.md):
 *   the U-Net epoch's work splits evenly over 2 threads (main-thread CPU 6.2 → 3.3 s, total CPU
 *   unchanged), but on a 2-core machine already loaded by other processes the threads wait for
 *   each other and the epoch gets slower (9–11 → 13–14 s wall at load 5), hence the load check.
 *   `NSEG_WASM_THREADS=N` forces N (1 = single-threaded build).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { patchCpuResizeNearestNeighborGrad } from './kernels/cpu-resize-grad.js';
import { registerWasmTrainingKernels } from './kernels/wasm-train.js';
import { initThreadedWasm } from './kernels/wasm-threads.js';

/** Names accepted by `selectBackend({backend})` and `NSEG_BACKEND`. */
export const NN_BACKEND_CANDIDATES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
/** One of {@link NN_BACKEND_CANDIDATES}. */
export type NnBackendCandidate = (typeof NN_BACKEND_CANDIDATES)[number];

/** One candidate that selectBackend tried. */
export interface BackendAttempt {
  /** candidate name, e.g. 'webgpu' */
  name: NnBackendCandidate;
  /** true when it was chosen */
  ok: boolean;
  /** why it was (not) chosen */
  why: string;
}

/** What selectBackend chose and why. */
export interface BackendInfo {
  /** tfjs backend name now active ('tensorflow', 'webgpu', 'wasm', 'cpu'), '' before selection */
  name: string;
  /** one line for notebooks: what runs and why */
  reason: string;
  /** every candidate tried, in order */
  tried: BackendAttempt[];
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** force one candidate (else env NSEG_BACKEND, else the first that works) */
  backend?: string;
  /** print what was tried */
  verbose?: boolean;
}

let info: BackendInfo = { name: '', reason: 'no backend selected yet (call selectBackend())', tried: [] };
const req = createRequire(import.meta.url);

function pkgName(spec: string): string | null {
  try {
    return (req(`${spec}/package.json`) as { name?: string }).name ?? null;
  } catch {
    return null;
  }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms); });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function tryNode(pkg: 'tfjs-node-gpu' | 'tfjs-node'): Promise<string> {
  const spec = `@tensorflow/${pkg}`;
  const name = pkgName(spec);
  if (name === null) throw new Error(`${spec} is not installed`);
  if (name !== spec) throw new Error(`${spec} resolves to ${name} (an alias), not the native package`);
  req(spec); // registers the 'tensorflow' backend
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${spec} loaded but the 'tensorflow' backend did not start`);
  // one small op proves the native library runs; the probe's tensors are freed
  tf.tidy(() => tf.square(tf.tensor1d([1, 2])).dataSync());
  if (pkg === 'tfjs-node-gpu') {
    // tfjs-node's backend reports whether TensorFlow placed ops on a GPU (binding.isUsingGpuDevice);
    // without a CUDA device the GPU package silently runs on the CPU.
    const onGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
    if (!onGpu) throw new Error(`${spec} loaded, but TensorFlow found no CUDA GPU device (it would run on the CPU)`);
  }
  return `${spec}: native TensorFlow${pkg === 'tfjs-node-gpu' ? ' with CUDA' : ' on the CPU'}`;
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

function existsFile(path: string): boolean {
  try {
    const fs = req('node:fs') as typeof import('node:fs');
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}

function listJson(dir: string): string[] {
  try {
    const fs = req('node:fs') as typeof import('node:fs');
    return fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

/**
 * Why a WebGPU probe would only print "Couldn't load Vulkan" here (Linux without a Vulkan
 * loader or without a Vulkan driver), or null when the probe may run.
 */
function vulkanMissing(): string | null {
  if (typeof process === 'undefined' || process.platform !== 'linux' || process.env?.NSEG_WEBGPU_PROBE === '1') return null;
  const env = process.env ?? {};
  const libDirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu',
    '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib64', '/lib64', '/usr/lib', '/lib', '/usr/local/lib'];
  let loader = libDirs.some((d) => existsFile(`${d}/libvulkan.so.1`) || existsFile(`${d}/libvulkan.so`));
  if (!loader) {
    try {
      loader = (req('node:fs') as typeof import('node:fs')).readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
    } catch {
      /* no ld cache */
    }
  }
  if (!loader) return 'WebGPU probe skipped: no Vulkan loader (libvulkan.so.1) on this machine, so no GPU adapter (set NSEG_WEBGPU_PROBE=1 to probe anyway)';
  const files = [env.VK_DRIVER_FILES, env.VK_ICD_FILENAMES, env.VK_ADD_DRIVER_FILES].filter(Boolean).join(':').split(':').filter(Boolean);
  const dataDirs = [...(env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':'), '/etc', env.HOME ? `${env.HOME}/.local/share` : ''].filter(Boolean);
  const icd = files.some((f) => existsFile(f) || listJson(f).length > 0) || dataDirs.some((d) => listJson(`${d}/vulkan/icd.d`).length > 0);
  if (!icd) return 'WebGPU probe skipped: a Vulkan loader but no Vulkan driver (no ICD json in VK_DRIVER_FILES or */vulkan/icd.d), so no GPU adapter (set NSEG_WEBGPU_PROBE=1 to probe anyway)';
  return null;
}

async function tryWebGpu(): Promise<string> {
  // No package.json check here: inside an esbuild bundle (the GPU machine) there is no
  // node_modules, yet the imports below work.
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (!g.navigator?.gpu) {
    const missing = vulkanMissing();
    if (missing) throw new Error(missing);
    const wg = (await import('webgpu').catch((e: unknown) => { throw new Error(`the webgpu package is not installed or does not load (${message(e)})`); })) as unknown as { create(args: string[]): unknown; globals: Record<string, unknown> };
    Object.assign(globalThis, wg.globals);
    const gpu = wg.create([]);
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  const gpu = g.navigator!.gpu as { requestAdapter(o?: object): Promise<GpuAdapterLike | null> };
  const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), 15000, 'navigator.gpu.requestAdapter');
  if (!adapter) throw new Error('no WebGPU adapter (no GPU, or no Vulkan driver)');
  const desc = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.device, adapter.info?.description].filter(Boolean).join(' ');
  if (adapter.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe/i.test(desc)) throw new Error(`only a CPU fallback adapter (${desc || 'fallback'})`);
  await import('@tensorflow/tfjs-backend-webgpu').catch((e: unknown) => { throw new Error(`@tensorflow/tfjs-backend-webgpu does not load (${message(e)})`); });
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not start');
  return `webgpu: ${desc || 'GPU adapter'} through the webgpu package (Dawn)`;
}

async function tryWasm(): Promise<string> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  const dir = typeof process !== 'undefined' ? process.env?.TFJS_WASM_DIR : undefined;
  if (dir && !tf.findBackend('wasm')) {
    try {
      wasm.setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
    } catch {
      /* already initialised: the paths no longer matter */
    }
  }
  const kernels = registerWasmTrainingKernels();
  let threadNote = '';
  if (!tf.findBackend('wasm')) {
    const choice = wasmThreadChoice();
    threadNote = ` (${choice.why})`;
    if (choice.threads > 1) threadNote += await initThreadedWasm(choice.threads);
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `wasm: WebAssembly${simd ? ' SIMD' : ' (no SIMD)'} + XNNPACK, ${wasm.getThreadsCount()} thread(s)${threadNote}, with training kernels ${kernels.join(', ')}`;
}

/**
 * How many threads the wasm backend should use: NSEG_WASM_THREADS when set, else 2–4 when a
 * core is free (see the module header for the measurements behind this), else 1.
 */
function wasmThreadChoice(): { threads: number; why: string } {
  const env = typeof process !== 'undefined' ? process.env?.NSEG_WASM_THREADS : undefined;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`selectBackend: NSEG_WASM_THREADS must be an integer from 1 to 64, got '${env}'`);
    return { threads: n, why: `NSEG_WASM_THREADS=${n}` };
  }
  try {
    const os = req('node:os') as typeof import('node:os');
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const load = os.loadavg()[0];
    if (cores < 2) return { threads: 1, why: 'one core' };
    if (load > cores - 1) return { threads: 1, why: `1 thread: load average ${load.toFixed(1)} on ${cores} cores leaves no core free` };
    const threads = Math.min(cores, 4);
    return { threads, why: `${threads} threads: load average ${load.toFixed(1)} on ${cores} cores` };
  } catch {
    return { threads: 1, why: 'thread count unknown' };
  }
}

async function tryCpu(): Promise<string> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
  return 'cpu: plain JavaScript (slow: training a U-Net takes minutes per epoch)';
}

const tries: Record<NnBackendCandidate, () => Promise<string>> = {
  'tfjs-node-gpu': () => tryNode('tfjs-node-gpu'),
  webgpu: tryWebGpu,
  'tfjs-node': () => tryNode('tfjs-node'),
  wasm: tryWasm,
  cpu: tryCpu,
};

function parseForced(name: string, source: string): NnBackendCandidate {
  const n = name.trim().toLowerCase();
  const alias: Record<string, NnBackendCandidate> = { tensorflow: 'tfjs-node', node: 'tfjs-node', 'node-gpu': 'tfjs-node-gpu', gpu: 'webgpu' };
  const c = (alias[n] ?? n) as NnBackendCandidate;
  if (!(NN_BACKEND_CANDIDATES as readonly string[]).includes(c)) {
    throw new Error(`selectBackend: unknown backend '${name}' (from ${source}); use one of ${NN_BACKEND_CANDIDATES.join(', ')}`);
  }
  return c;
}

/**
 * Chooses and activates the TensorFlow.js backend: the first that works of tfjs-node-gpu →
 * webgpu → tfjs-node → wasm → cpu, or the one forced by `options.backend` / env
 * `NSEG_BACKEND`. A forced backend that fails raises an Error (no silent fallback).
 *
 * @param options - `backend`: force one of 'tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm',
 *   'cpu' (aliases 'tensorflow', 'gpu'); `verbose`: print each attempt.
 * @returns the active tfjs backend name ('tensorflow', 'webgpu', 'wasm' or 'cpu').
 * @example
 * import { selectBackend, backendInfo } from 'neutron-seg';
 * const name = await selectBackend();          // e.g. 'wasm'
 * console.log(backendInfo().reason);           // why it was chosen
 * await selectBackend({ backend: 'cpu' });     // force the plain-JS backend
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<string> {
  // tfjs 4.22's cpu up-sampling gradient is wrong for batches > 1; correct it here, not at
  // import (the cpu backend may be used later even when another one is chosen now).
  patchCpuResizeNearestNeighborGrad();
  const envName = typeof process !== 'undefined' ? process.env?.NSEG_BACKEND : undefined;
  const forcedName = options.backend ?? (envName ? envName : undefined);
  const forced = forcedName ? parseForced(forcedName, options.backend ? 'options.backend' : 'NSEG_BACKEND') : null;
  const order: NnBackendCandidate[] = forced ? [forced] : [...NN_BACKEND_CANDIDATES];
  const tried: BackendAttempt[] = [];
  for (const c of order) {
    try {
      const why = await tries[c]();
      tried.push({ name: c, ok: true, why });
      const skipped = tried.filter((t) => !t.ok).map((t) => `${t.name}: ${t.why}`);
      info = {
        name: tf.getBackend(),
        reason: `${forced ? `forced by ${options.backend ? 'option' : 'NSEG_BACKEND'}: ` : ''}${why}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}`,
        tried,
      };
      if (options.verbose) for (const t of tried) console.log(`${t.ok ? '✓' : '✗'} ${t.name}: ${t.why}`);
      return info.name;
    } catch (e) {
      tried.push({ name: c, ok: false, why: message(e) });
    }
  }
  info = { name: tf.getBackend() ?? '', reason: `no backend worked: ${tried.map((t) => `${t.name}: ${t.why}`).join('; ')}`, tried };
  if (options.verbose) for (const t of tried) console.log(`✗ ${t.name}: ${t.why}`);
  throw new Error(`selectBackend: ${info.reason}`);
}

/**
 * What {@link selectBackend} chose, why, and every candidate it tried.
 *
 * @returns `{name, reason, tried: [{name, ok, why}]}`; `name` is '' before selection.
 * @example
 * await selectBackend();
 * const { name, reason } = backendInfo();
 */
export function backendInfo(): BackendInfo {
  return { name: info.name, reason: info.reason, tried: info.tried.map((t) => ({ ...t })) };
}
