/**
 * U-Net training speed: the lecture's spot U-Net (buildSpotUNet(24)), binary cross-entropy,
 * Adam 1e-3, one step per epoch on a batch of 3 × 128 × 800 × 1 — s/epoch on the active
 * backend (selectBackend) and on wasm explicitly, side by side with PyTorch (the same model,
 * shapes, loss and optimiser; bench/unet_torch.py on the project's Python, or NSEG_PYTHON) in the
 * same run, with the ratio. Wall time is what a user waits; CPU time (process.cpuUsage, all
 * threads) is printed too because it barely moves when other processes share the 2 cores, and
 * so is the main thread's CPU time (Linux /proc): with the threaded wasm build the work is
 * split over threads, and on an otherwise idle machine the wall time is close to it.
 * PyTorch runs with 1 thread and with 2 (torch.set_num_threads); the ratio compares with the
 * PyTorch run that uses as many threads as the wasm backend (`wasm.getThreadsCount()`).
 *
 * Args: --backend=NAME (force: wasm, cpu, webgpu, ...), --shape=3,128,800, --epochs=3 (timed,
 * after one warm-up epoch), --no-torch, --no-wasm (skip the explicit wasm row), --profile (after
 * the timing, one more epoch with every wasm kernel wrapped: main-thread CPU ms, wall ms and
 * calls per kernel; nested kernels are counted in both, e.g. Conv2D inside
 * Conv2DBackpropInput). Env
 * NSEG_WASM_THREADS=1|2 picks the wasm thread count (see lib/nn/backend.ts).
 * GPU machine: `../shared/gpu/pack.sh bench/unet-train.bench.ts`, then there
 * `bash .gpu/run.sh --backend=webgpu` (PyTorch runs on CUDA there).
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, backendInfo } from '../lib/nn/backend.js';
import { buildSpotUNet } from '../lib/nn/unet.js';
import { printTable } from './util.js';
import { projectPython } from '../scripts/install/record.js';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const [n, h, w] = arg('shape', '3,128,800').split(',').map(Number);
const epochs = Number(arg('epochs', '3'));

interface Timing { wall: number; cpu: number; mainCpu: number }

/** CPU seconds of this process's main thread (Linux /proc schedstat), NaN elsewhere. */
function mainThreadCpu(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return NaN;
  }
}

function threadCount(): number {
  try {
    return readdirSync('/proc/self/task').length;
  } catch {
    return 0;
  }
}

async function trainSpeed(): Promise<Timing> {
  return trainSpeedEpochs(epochs);
}

async function trainSpeedEpochs(epochs: number, onTimedEpochBegin?: () => void): Promise<Timing> {
  const model = buildSpotUNet(24);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  const x = tf.randomNormal([n, h, w, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.randomUniform([n, h, w, 1], 0, 1, 'float32', 2).greater(0.99).cast('float32'));
  const walls: number[] = [], cpus: number[] = [], mains: number[] = [];
  let t0 = 0, c0 = process.cpuUsage(), m0 = 0;
  await model.fit(x, y, {
    epochs: epochs + 1, batchSize: n, verbose: 0, shuffle: false,
    callbacks: {
      onEpochBegin: async (epoch) => { if (epoch > 0) onTimedEpochBegin?.(); t0 = performance.now(); c0 = process.cpuUsage(); m0 = mainThreadCpu(); },
      onEpochEnd: async (epoch) => {
        const c = process.cpuUsage(c0);
        if (epoch > 0) { walls.push((performance.now() - t0) / 1000); cpus.push((c.user + c.system) / 1e6); mains.push(mainThreadCpu() - m0); }
      },
    },
  });
  tf.dispose([x, y]);
  model.dispose();
  const med = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  return { wall: med(walls), cpu: med(cpus), mainCpu: med(mains) };
}

function torchSpeed(threads: number): { s: number; cpu: number; label: string; threads: number } | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const script = [join(here, 'unet_torch.py'), join(process.cwd(), 'bench', 'unet_torch.py')].find((p) => existsSync(p));
  const py = projectPython();
  if (!script) return null;
  try {
    const out = execFileSync(py, [script, `${n},${h},${w}`, String(epochs)], {
      encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TORCH_THREADS: String(threads) },
    });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { s_per_epoch: number; cpu_s_per_epoch?: number; device: string; threads: number; torch: string };
    return { s: r.s_per_epoch, cpu: r.cpu_s_per_epoch ?? NaN, threads: r.threads, label: `PyTorch ${r.torch} ${r.device}${r.device === 'cpu' ? `, ${r.threads} thread(s)` : ''}` };
  } catch (e) {
    console.error(`PyTorch peer not run: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

/** One epoch with every wasm kernel timed (main-thread CPU from /proc, and wall). */
async function profileEpoch(): Promise<void> {
  const acc = new Map<string, { cpu: number; wall: number; calls: number }>();
  const originals = tf.getKernelsForBackend('wasm');
  for (const k of originals) {
    const f = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (a) => {
        const c0 = mainThreadCpu(), t0 = performance.now();
        const r = f(a);
        const e = acc.get(k.kernelName) ?? { cpu: 0, wall: 0, calls: 0 };
        e.cpu += (mainThreadCpu() - c0) * 1000; e.wall += performance.now() - t0; e.calls++;
        acc.set(k.kernelName, e);
        return r;
      },
    });
  }
  const t = await trainSpeedEpochs(1, () => acc.clear()); // the warm-up epoch is not counted
  for (const k of originals) { tf.unregisterKernel(k.kernelName, 'wasm'); tf.registerKernel(k); }
  console.log(`\nprofile of one epoch (wasm): wall ${t.wall.toFixed(2)} s, CPU ${t.cpu.toFixed(2)} s, main thread ${t.mainCpu.toFixed(2)} s`);
  printTable(['kernel', 'main-thread CPU ms', 'wall ms', 'calls'],
    [...acc].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 15).map(([k, e]) => [k, Math.round(e.cpu), Math.round(e.wall), e.calls]));
}

async function wasmThreads(): Promise<number> {
  if (tf.getBackend() !== 'wasm') return 1;
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}

async function main(): Promise<void> {
  const forced = arg('backend', '');
  const active = await selectBackend(forced ? { backend: forced } : {});
  console.log(`backend: ${backendInfo().reason}`);
  const label = async (name: string) => (name === 'wasm' ? `tfjs wasm, ${await wasmThreads()} thread(s)` : `tfjs ${name}`);
  const rows: { name: string; threads: number; t: Timing }[] = [{ name: await label(active), threads: await wasmThreads(), t: await trainSpeed() }];
  if (active !== 'wasm' && !process.argv.includes('--no-wasm')) {
    await selectBackend({ backend: 'wasm' });
    rows.push({ name: await label('wasm'), threads: await wasmThreads(), t: await trainSpeed() });
  }
  const osThreads = threadCount();
  const torch = process.argv.includes('--no-torch') ? [] : [1, 2].map((t) => torchSpeed(t)).filter((r): r is NonNullable<typeof r> => r !== null);
  console.log(`\nU-Net (buildSpotUNet(24)) training, batch ${n}×${h}×${w}×1, BCE + Adam 1e-3, one step per epoch, median of ${epochs} epochs after a warm-up (process threads: ${osThreads})`);
  const peerFor = (threads: number) => torch.find((p) => p.threads === threads) ?? torch[0];
  printTable(
    ['backend', 's/epoch (wall)', 'CPU s/epoch (all threads)', 'main-thread CPU s', 'peer', 'peer s/epoch', 'peer CPU s', 'ratio (wall)', 'ratio (CPU)'],
    [
      ...rows.map((r) => {
        const p = peerFor(r.threads);
        return [r.name, r.t.wall, r.t.cpu, Number.isNaN(r.t.mainCpu) ? '—' : r.t.mainCpu, p?.label ?? 'PyTorch not available', p ? p.s : '—', p && !Number.isNaN(p.cpu) ? p.cpu : '—',
          p ? `${(r.t.wall / p.s).toFixed(1)}×` : '—', p && !Number.isNaN(p.cpu) ? `${(r.t.cpu / p.cpu).toFixed(1)}×` : '—'];
      }),
      ...torch.filter((p) => !rows.some((r) => peerFor(r.threads) === p)).map((p) => [`(peer only)`, '—', '—', '—', p.label, p.s, Number.isNaN(p.cpu) ? '—' : p.cpu, '—', '—']),
    ],
  );
  if (process.argv.includes('--profile') && tf.getBackend() === 'wasm') await profileEpoch();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
