/**
 * Starts tfjs-backend-wasm's threaded-SIMD build in Node.
 *
 * tfjs-backend-wasm 4.22 turns threads off in Node (its feature test returns false there) and
 * hands Emscripten blob: URLs for the pthread worker and main script, which Node's
 * worker_threads cannot load. Here the Emscripten glue shipped in the package (`wasm-out/`) is
 * started directly with real file paths, and the 'wasm' backend factory is replaced by one that
 * wraps this module in the package's own `BackendWasm` class, so every wasm kernel works
 * unchanged.
 *
 * Design, without global side effects:
 * - The pthread worker script must be a file. It is written once per installation inside this
 *   package (`dist/tfjs-wasm-worker-<tfjs version>.cjs`, atomically, rewritten only when its
 *   content differs), so runs neither litter the temp folder nor race. Where the package folder
 *   cannot be written (a read-only install, a bundle without it), a temp file is used and
 *   removed when the process exits.
 * - XNNPACK sizes its thread pool from Emscripten's `emscripten_num_logical_cores()` divided by
 *   two (it assumes hyper-threads), which is 1 on a 2-core machine. Instead of replacing
 *   `os.cpus` while the module starts (as an earlier version did), the module is instantiated
 *   here (Emscripten's `instantiateWasm` hook) with that one import answering `2 × threads`:
 *   the change is confined to this WebAssembly instance.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { writeFileAtomic } from '../../io/atomic.js';

const req = createRequire(import.meta.url);

interface NodeWorker { ref(): unknown; unref(): unknown }

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  tfjs?: Record<string, (...a: number[]) => number>;
}

type Fs = typeof import('node:fs');
type Path = typeof import('node:path');

/** The folder of this package (the one whose package.json is named 'neutron-seg'), or null. */
function packageDir(fs: Fs, path: Path): string | null {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'neutron-seg') return dir;
    } catch {
      /* no package.json here */
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * The pthread worker script as a file: inside this package once per installation, else a temp
 * file removed at exit.
 */
function workerScript(contents: string, version: string): string {
  const fs = req('node:fs') as Fs;
  const path = req('node:path') as Path;
  const pkg = packageDir(fs, path);
  if (pkg) {
    const file = path.join(pkg, 'dist', `tfjs-wasm-worker-${version}.cjs`);
    try {
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === contents) return file;
      return writeFileAtomic(file, contents);
    } catch {
      /* not writable: fall through to a temp file */
    }
  }
  const os = req('node:os') as typeof import('node:os');
  const file = path.join(os.tmpdir(), `nseg-tfjs-wasm-worker-${process.pid}.cjs`);
  fs.writeFileSync(file, contents);
  process.once('exit', () => {
    try {
      fs.unlinkSync(file);
    } catch {
      /* already gone */
    }
  });
  return file;
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
    const path = req('node:path') as Path;
    const fs = req('node:fs') as Fs;
    const pkgDir = path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    const { version } = req('@tensorflow/tfjs-backend-wasm/package.json') as { version: string };
    const glue = path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
    const wasmFile = path.join(pkgDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
    const { wasmWorkerContents } = req(path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
    const workerFile = workerScript(wasmWorkerContents.replace(/\n/g, '\\n'), version);
    const wasmPkg = req('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const factory = req(glue) as (cfg: object) => Promise<EmscriptenModule>;
    const logicalCores = 2 * threads;
    const start = async () => {
      const module = await factory({
        locateFile: (p: string) => (p.endsWith('.worker.js') ? workerFile : p.endsWith('.wasm') ? wasmFile : p),
        mainScriptUrlOrBlob: glue,
        // Instantiate here, synchronously, so one import can say how many cores XNNPACK may use.
        instantiateWasm: (imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) => {
          const env = { ...(imports.env as WebAssembly.ModuleImports), emscripten_num_logical_cores: () => logicalCores };
          const compiled = new WebAssembly.Module(fs.readFileSync(wasmFile));
          const instance = new WebAssembly.Instance(compiled, { ...imports, env, wasi_snapshot_preview1: env });
          receive(instance, compiled);
          return instance.exports;
        },
      });
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
