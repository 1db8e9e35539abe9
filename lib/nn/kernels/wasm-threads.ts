/**
 * Starts tfjs-backend-wasm's threaded-SIMD build in Node.
 *
 * tfjs-backend-wasm 4.22 turns threads off in Node (its feature test returns false there) and
 * hands Emscripten blob: URLs for the pthread worker and main script, which Node's
 * worker_threads cannot load. Here the Emscripten glue shipped in the package (`wasm-out/`) is
 * started directly with real file paths: the worker script is written once to the temp
 * folder, the main script is the glue file itself. Emscripten sizes its thread pool from
 * `os.cpus().length / 2` (it assumes hyper-threads), which is 1 on a 2-core machine, so the
 * CPU count is doubled while the module starts. The 'wasm' backend factory is then replaced
 * by one that wraps this module in the package's own `BackendWasm` class, so every wasm
 * kernel works unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);

interface NodeWorker { ref(): unknown; unref(): unknown }

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  tfjs?: Record<string, (...a: number[]) => number>;
}

/**
 * Replaces the 'wasm' backend factory by one that runs XNNPACK on `threads` threads.
 * Call before the wasm backend is first used.
 *
 * @param threads - number of threads (2 on a 2-core machine)
 * @returns a note for backendInfo (empty when it worked, else why not)
 * @example
 * await initThreadedWasm(2);
 * await tf.setBackend('wasm');
 */
export async function initThreadedWasm(threads: number): Promise<string> {
  try {
    const path = req('node:path') as typeof import('node:path');
    const fs = req('node:fs') as typeof import('node:fs');
    const os = req('node:os') as typeof import('node:os');
    const pkgDir = path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    const glue = path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
    const wasmFile = path.join(pkgDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
    const { wasmWorkerContents } = req(path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
    const workerFile = path.join(os.tmpdir(), `nseg-tfjs-wasm-worker-${process.pid}.cjs`);
    fs.writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
    const wasmPkg = req('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const factory = req(glue) as (cfg: object) => Promise<EmscriptenModule>;
    const start = async () => {
      const origCpus = os.cpus;
      os.cpus = () => { const c = origCpus(); return Array.from({ length: 2 * Math.max(threads, c.length) }, (_, i) => c[i % c.length]); };
      let module: EmscriptenModule;
      try {
        module = await factory({
          locateFile: (p: string) => (p.endsWith('.worker.js') ? workerFile : p.endsWith('.wasm') ? wasmFile : p),
          mainScriptUrlOrBlob: glue,
        });
      } finally {
        os.cpus = origCpus;
      }
      module.tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
      };
      wasmPkg.setThreadsCount(threads);
      // Emscripten ref()s each pthread worker when it starts running; XNNPACK's pool threads
      // never exit, so the process would never end. Unref them (now and when they start).
      const unrefAll = () => {
        const pt = (module as unknown as { PThread?: { unusedWorkers?: NodeWorker[]; runningWorkers?: NodeWorker[] } }).PThread;
        for (const w of [...(pt?.unusedWorkers ?? []), ...(pt?.runningWorkers ?? [])]) {
          if (typeof w.unref !== 'function') continue;
          w.ref = () => w;
          w.unref();
        }
      };
      unrefAll();
      const backend = new wasmPkg.BackendWasm(module as unknown as ConstructorParameters<typeof wasmPkg.BackendWasm>[0]);
      unrefAll();
      return backend;
    };
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', start, 2);
    return '';
  } catch (e) {
    return ` (threads requested but unavailable: ${e instanceof Error ? e.message : String(e)})`;
  }
}
