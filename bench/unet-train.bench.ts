/**
 * U-Net training speed: the lecture's spot U-Net (buildSpotUNet(24)), binary cross-entropy,
 * Adam 1e-3, one step per epoch on a batch of 3 × 128 × 800 × 1 — s/epoch on the active
 * backend (selectBackend) and on wasm explicitly, side by side with PyTorch (the same model,
 * shapes, loss and optimiser; bench/unet_torch.py on /usr/bin/python3, or $PYTHON) in the
 * same run, with the ratio. Wall time is what a user waits; CPU time (process.cpuUsage) is
 * printed too because it barely moves when other processes share the 2 cores.
 *
 * Args: --backend=NAME (force: wasm, cpu, webgpu, ...), --shape=3,128,800, --epochs=3 (timed,
 * after one warm-up epoch), --no-torch, --no-wasm (skip the explicit wasm row).
 * GPU machine: `../shared/gpu/pack.sh bench/unet-train.bench.ts`, then there
 * `bash .gpu/run.sh --backend=webgpu` (PyTorch runs on CUDA there).
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, backendInfo } from '../lib/nn/backend.js';
import { buildSpotUNet } from '../lib/nn/unet.js';
import { printTable } from './util.js';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const [n, h, w] = arg('shape', '3,128,800').split(',').map(Number);
const epochs = Number(arg('epochs', '3'));

interface Timing { wall: number; cpu: number }

async function trainSpeed(): Promise<Timing> {
  const model = buildSpotUNet(24);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  const x = tf.randomNormal([n, h, w, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.randomUniform([n, h, w, 1], 0, 1, 'float32', 2).greater(0.99).cast('float32'));
  const walls: number[] = [], cpus: number[] = [];
  let t0 = 0, c0 = process.cpuUsage();
  await model.fit(x, y, {
    epochs: epochs + 1, batchSize: n, verbose: 0, shuffle: false,
    callbacks: {
      onEpochBegin: async () => { t0 = performance.now(); c0 = process.cpuUsage(); },
      onEpochEnd: async (epoch) => {
        const c = process.cpuUsage(c0);
        if (epoch > 0) { walls.push((performance.now() - t0) / 1000); cpus.push((c.user + c.system) / 1e6); }
      },
    },
  });
  tf.dispose([x, y]);
  model.dispose();
  const med = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  return { wall: med(walls), cpu: med(cpus) };
}

function torchSpeed(): { s: number; label: string } | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const script = [join(here, 'unet_torch.py'), join(process.cwd(), 'bench', 'unet_torch.py')].find((p) => existsSync(p));
  const py = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  if (!script) return null;
  try {
    const out = execFileSync(py, [script, `${n},${h},${w}`, String(epochs)], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { s_per_epoch: number; device: string; threads: number; torch: string };
    return { s: r.s_per_epoch, label: `PyTorch ${r.torch} ${r.device}${r.device === 'cpu' ? `, ${r.threads} thread(s)` : ''}` };
  } catch (e) {
    console.error(`PyTorch peer not run: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

async function main(): Promise<void> {
  const forced = arg('backend', '');
  const active = await selectBackend(forced ? { backend: forced } : {});
  console.log(`backend: ${backendInfo().reason}`);
  const rows: { name: string; t: Timing }[] = [{ name: active, t: await trainSpeed() }];
  if (active !== 'wasm' && !process.argv.includes('--no-wasm')) {
    await selectBackend({ backend: 'wasm' });
    rows.push({ name: 'wasm', t: await trainSpeed() });
  }
  const torch = process.argv.includes('--no-torch') ? null : torchSpeed();
  console.log(`\nU-Net (buildSpotUNet(24)) training, batch ${n}×${h}×${w}×1, BCE + Adam 1e-3, one step per epoch, median of ${epochs} epochs after a warm-up`);
  printTable(
    ['backend', 's/epoch (wall)', 'CPU s/epoch', 'peer', 'peer s/epoch', 'ratio (wall)'],
    rows.map((r) => [`tfjs ${r.name}`, r.t.wall, r.t.cpu, torch?.label ?? 'PyTorch not available', torch ? torch.s : '—', torch ? `${(r.t.wall / torch.s).toFixed(1)}×` : '—']),
  );
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
