/**
 * The hostile-input probes of issue 13, one per finding, each run in its own child process
 * with a wall-clock limit and a memory watch, so a probe that hangs or eats memory is measured
 * and stopped instead of taking the machine down. Prints a markdown table:
 * probe | outcome | seconds | peak RSS.
 *
 *   npx tsx scripts/fuzz/probes.ts               # every probe
 *   npx tsx scripts/fuzz/probes.ts tiff-loop     # only probes whose names contain a word
 *
 * The same file is the child (`--child NAME DIR`). Probes import the library by relative
 * path, so running a copy of this file inside an older checkout measures that checkout (how
 * the report's "before" column was taken).
 *
 * Test infrastructure only: nothing in lib/ imports it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTiff, handPng, pngChunks, pngWithSize, setTiffTag, tiffIfds } from './bytes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lib = (p: string): string => join(ROOT, 'lib', p);

interface Probe {
  name: string;
  /** What the finding was, in a few words. */
  what: string;
  run: (dir: string) => Promise<string>;
}

/** Runs `fn`; returns 'returned …' or 'threw: message'. */
async function outcome(fn: () => unknown | Promise<unknown>, describe: (v: unknown) => string = shapeOf): Promise<string> {
  try {
    return `returned ${describe(await fn())}`;
  } catch (err) {
    return `threw: ${String((err as Error).message ?? err).replace(/\s+/g, ' ').slice(0, 260)}`;
  }
}

function shapeOf(v: unknown): string {
  const a = v as { shape?: number[]; dtype?: string; data?: ArrayLike<number> };
  if (!a || !a.shape) return String(v);
  let zeros = 0;
  const d = a.data ?? [];
  for (let i = 0; i < d.length; i++) if (d[i] === 0) zeros++;
  return `${a.dtype} [${a.shape.join(', ')}], ${((100 * zeros) / Math.max(1, d.length)).toFixed(0)} % zeros`;
}

function u16Image(rows: number, cols: number): Uint8Array {
  const data = new Uint8Array(rows * cols * 2);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < rows * cols; i++) dv.setUint16(2 * i, 1000 + (i % 5000), true);
  return data;
}

const io = async (): Promise<typeof import('../../lib/io/index.js')> => import(lib('io/index.ts')) as Promise<typeof import('../../lib/io/index.js')>;
const png = async (): Promise<typeof import('../../lib/io/png.js')> => import(lib('io/png.ts')) as Promise<typeof import('../../lib/io/png.js')>;

async function tinyUnet(): Promise<{ tf: typeof import('@tensorflow/tfjs'); train: typeof import('../../lib/nn/train.js'); prep: typeof import('../../lib/nn/prep.js'); model: import('@tensorflow/tfjs').LayersModel }> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const { buildUNet } = (await import(lib('nn/unet.ts'))) as typeof import('../../lib/nn/unet.js');
  const train = (await import(lib('nn/train.ts'))) as typeof import('../../lib/nn/train.js');
  const prep = (await import(lib('nn/prep.ts'))) as typeof import('../../lib/nn/prep.js');
  const model = buildUNet({ depth: 1, baseFilters: 4, name: 'probe' });
  return { tf, train, prep, model };
}

function images(n: number, side: number, f: (i: number) => number): { data: Float32Array; shape: number[] } {
  return { data: Float32Array.from({ length: n * side * side }, (_, i) => f(i)), shape: [n, side, side, 1] };
}

/** Weights as one flat array, and how many are NaN. */
function weightState(model: import('@tensorflow/tfjs').LayersModel): { flat: Float32Array; nanTensors: number } {
  const parts = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const flat = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  let nanTensors = 0;
  for (const p of parts) {
    flat.set(p, o);
    o += p.length;
    if (p.some((v) => Number.isNaN(v))) nanTensors++;
  }
  return { flat, nanTensors };
}

async function trainProbe(x: { data: Float32Array; shape: number[] }, y: { data: Float32Array; shape: number[] }): Promise<string> {
  const { train, model } = await tinyUnet();
  const before = weightState(model).flat;
  let res = '';
  let loss: number | undefined;
  try {
    const r = await train.trainModel(model, x, y, { epochs: 1, verbose: false });
    loss = r.history.loss?.[0];
    res = `no error, loss ${loss}`;
  } catch (err) {
    res = `threw: ${(err as Error).message.slice(0, 200)}`;
  }
  const after = weightState(model);
  let changed = 0;
  for (let i = 0; i < before.length; i++) if (!Object.is(before[i], after.flat[i])) changed++;
  return `${res}; ${model.getWeights().length} weight tensors, ${after.nanTensors} NaN, ${changed} of ${before.length} weights changed`;
}

/** A notebook of `cells` (sources, optional tags) run through scripts/nbexec.py. */
function runNotebook(dir: string, cells: { src: string; tags?: string[] }[], extra: string[] = []): { outputs: string[]; counts: (number | null)[]; status: number | null; report: string } {
  const nb = {
    cells: cells.map((c) => ({ cell_type: 'code', execution_count: null, metadata: c.tags ? { tags: c.tags } : {}, outputs: [], source: c.src })),
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const src = join(dir, 'probe.ipynb');
  const dst = join(dir, 'out', 'probe.ipynb');
  writeFileSync(src, JSON.stringify(nb));
  const kernels = join(ROOT, '.kernel', 'share', 'jupyter');
  const r = spawnSync('/usr/bin/python3', [join(ROOT, 'scripts', 'nbexec.py'), src, dst, '--timeout', '60', ...extra], {
    encoding: 'utf8',
    env: { ...process.env, JUPYTER_PATH: kernels },
    timeout: 120_000,
  });
  if (!existsSync(dst)) return { outputs: [], counts: [], status: r.status, report: `${r.stdout}${r.stderr}`.slice(-400) };
  const out = JSON.parse(readFileSync(dst, 'utf8')) as { cells: { execution_count: number | null; outputs: { text?: string | string[]; ename?: string; evalue?: string; name?: string }[] }[] };
  return {
    outputs: out.cells.map((c) => c.outputs.map((o) => (o.ename ? `${o.ename}: ${o.evalue}` : `${o.name}: ${Array.isArray(o.text) ? o.text.join('') : o.text ?? ''}`)).join(' | ').replace(/\s+/g, ' ').slice(0, 160)),
    counts: out.cells.map((c) => c.execution_count),
    status: r.status,
    report: r.stdout.trim().split('\n').pop() ?? '',
  };
}

export const PROBES: Probe[] = [
  {
    name: 'tiff-loop',
    what: 'readTiff: IFD chain points back to itself',
    run: async (dir) => {
      const t = encodeTiff([{ width: 64, height: 64, bits: 16, data: u16Image(64, 64) }, { width: 64, height: 64, bits: 16, data: u16Image(64, 64) }]);
      const ifds = tiffIfds(t);
      new DataView(t.buffer).setUint32(ifds[1]!.nextField, ifds[1]!.ifd, true);
      writeFileSync(join(dir, 'loop.tif'), t);
      const { readTiff } = await io();
      return outcome(() => readTiff(join(dir, 'loop.tif'), { page: 5 }));
    },
  },
  {
    name: 'tiff-width-2x',
    what: 'readTiff: ImageWidth doubled, strip stays 512×512',
    run: async (dir) => {
      const t = encodeTiff([{ width: 512, height: 512, bits: 16, data: u16Image(512, 512) }]);
      setTiffTag(t, tiffIfds(t)[0]!.ifd, 256, 1024);
      writeFileSync(join(dir, 'w2.tif'), t);
      const { readTiff } = await io();
      return outcome(() => readTiff(join(dir, 'w2.tif')));
    },
  },
  {
    name: 'tiff-width-1e6',
    what: 'readTiff: ImageWidth 10^6, strip stays 512×512',
    run: async (dir) => {
      const t = encodeTiff([{ width: 512, height: 512, bits: 16, data: u16Image(512, 512) }]);
      setTiffTag(t, tiffIfds(t)[0]!.ifd, 256, 1_000_000);
      writeFileSync(join(dir, 'w6.tif'), t);
      const { readTiff } = await io();
      return outcome(() => readTiff(join(dir, 'w6.tif')));
    },
  },
  ...(
    [
      ['png-60000', 60000],
      ['png-30000', 30000],
      ['png-3000', 3000],
    ] as const
  ).map(([name, side]) => ({
    name,
    what: `readPng: small file whose IHDR claims ${side}²`,
    run: async (dir: string) => {
      const p = pngWithSize(handPng(side === 3000 ? 4 : 8, side === 3000 ? 4 : 8, (r, c) => (r * 8 + c) & 255), side, side);
      writeFileSync(join(dir, `${name}.png`), p);
      const { readPng } = await io();
      return `${p.length} bytes: ${await outcome(() => readPng(join(dir, `${name}.png`)))}`;
    },
  })),
  {
    name: 'png-truncated',
    what: 'readPng: truncated file',
    run: async (dir) => {
      const { encodePng, readPng } = await png();
      const { NDArray } = (await import(lib('core/ndarray.ts'))) as typeof import('../../lib/core/ndarray.js');
      const g = encodePng(new NDArray(Uint8Array.from({ length: 64 * 64 }, (_, i) => (i * 7) & 255), [64, 64]));
      writeFileSync(join(dir, 'trunc.png'), g.subarray(0, g.length - 30));
      return outcome(() => readPng(join(dir, 'trunc.png')));
    },
  },
  {
    name: 'png-bad-crc',
    what: 'readPng: one byte of IDAT flipped (CRC error)',
    run: async (dir) => {
      const { encodePng, readPng } = await png();
      const { NDArray } = (await import(lib('core/ndarray.ts'))) as typeof import('../../lib/core/ndarray.js');
      const g = Uint8Array.from(encodePng(new NDArray(Uint8Array.from({ length: 64 * 64 }, (_, i) => (i * 7) & 255), [64, 64])));
      const idat = pngChunks(g).find((c) => c.type === 'IDAT')!;
      g[idat.at + 8 + 5]! ^= 0xff;
      writeFileSync(join(dir, 'crc.png'), g);
      return outcome(() => readPng(join(dir, 'crc.png')));
    },
  },
  {
    name: 'fits-directory',
    what: 'readFits on a directory',
    run: async (dir) => {
      mkdirSync(join(dir, 'folder.fits'));
      const { readFits } = await io();
      return outcome(() => readFits(join(dir, 'folder.fits')));
    },
  },
  {
    name: 'fits-random',
    what: 'readFits on 1 KB of random bytes',
    run: async (dir) => {
      const b = new Uint8Array(1024);
      let s = 12345;
      for (let i = 0; i < b.length; i++) b[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
      writeFileSync(join(dir, 'random.fits'), b);
      const { readFits } = await io();
      return outcome(() => readFits(join(dir, 'random.fits')));
    },
  },
  {
    name: 'npy-shape-2.5',
    what: 'writeNpy shape [2.5, 2], then readNpy',
    run: async (dir) => {
      const { writeNpy, readNpy } = await io();
      const w = await outcome(() => writeNpy(join(dir, 'frac.npy'), { data: new Float32Array(5), shape: [2.5, 2] }), () => 'a path');
      const r = existsSync(join(dir, 'frac.npy')) ? await outcome(() => readNpy(join(dir, 'frac.npy'))) : 'no file';
      return `write ${w}; read ${r}`;
    },
  },
  {
    name: 'npy-shape-neg',
    what: 'writeNpy shape [-2, -2], then readNpy',
    run: async (dir) => {
      const { writeNpy, readNpy } = await io();
      const w = await outcome(() => writeNpy(join(dir, 'neg.npy'), { data: new Float32Array(4), shape: [-2, -2] }), () => 'a path');
      const r = existsSync(join(dir, 'neg.npy')) ? await outcome(() => readNpy(join(dir, 'neg.npy'))) : 'no file';
      return `write ${w}; read ${r}`;
    },
  },
  {
    name: 'fits-float-as-uint16',
    what: 'writeFits [NaN, 70000, -5] (float) declared uint16',
    run: async (dir) => {
      const { writeFits, readFits } = await io();
      const a = { data: Float32Array.from([NaN, 70000, -5]), shape: [3], dtype: 'uint16' };
      const w = await outcome(() => writeFits(join(dir, 'f.fits'), a), () => 'a path');
      const r = existsSync(join(dir, 'f.fits')) ? await outcome(() => readFits(join(dir, 'f.fits')), (v) => `[${Array.from((v as { data: ArrayLike<number> }).data).join(', ')}]`) : 'no file';
      return `write ${w}; read ${r}`;
    },
  },
  {
    name: 'npy-float-as-uint16',
    what: 'writeNpy [NaN, 70000, -5] (float) declared uint16',
    run: async (dir) => {
      const { writeNpy, readNpy } = await io();
      const a = { data: Float32Array.from([NaN, 70000, -5]), shape: [3], dtype: 'uint16' };
      const w = await outcome(() => writeNpy(join(dir, 'f.npy'), a), () => 'a path');
      const r = existsSync(join(dir, 'f.npy')) ? await outcome(() => readNpy(join(dir, 'f.npy'))) : 'no file';
      return `write ${w}; read ${r}`;
    },
  },
  {
    name: 'stale-temp',
    what: 'temp file of a killed writer (dead pid) before the next write',
    run: async (dir) => {
      const { writeNpy } = await io();
      // A process that has exited: its pid is free (or reused; then the file's age decides).
      const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
      const stale = join(dir, `.big.npy.${dead}.${Date.now()}.0.tmp`);
      writeFileSync(stale, new Uint8Array(1 << 20));
      writeNpy(join(dir, 'big.npy'), { data: new Float32Array(4), shape: [4] });
      const left = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
      const ignored = spawnSync('git', ['check-ignore', '-q', '--no-index', `data/roots/.test-images.npy.${dead}.1.0.tmp`], { cwd: ROOT }).status === 0;
      return `after the next write: ${left.length} temp file(s) left; git ignores the name: ${ignored}`;
    },
  },
  {
    name: 'nan-images',
    what: 'trainModel with one NaN in the images',
    run: async () => {
      const x = images(2, 16, (i) => Math.sin(i));
      x.data[5] = NaN;
      return trainProbe(x, images(2, 16, (i) => (i % 7 === 0 ? 1 : 0)));
    },
  },
  {
    name: 'nan-masks',
    what: 'trainModel with one NaN in the masks',
    run: async () => {
      const y = images(2, 16, (i) => (i % 7 === 0 ? 1 : 0));
      y.data[3] = NaN;
      return trainProbe(images(2, 16, (i) => Math.sin(i)), y);
    },
  },
  {
    name: 'masks-255',
    what: 'trainModel with 0/255 masks',
    run: async () => trainProbe(images(2, 16, (i) => Math.sin(i)), images(2, 16, (i) => (i % 7 === 0 ? 255 : 0))),
  },
  {
    name: 'mask-2ch',
    what: 'trainModel with a two-channel mask, one-channel model',
    run: async () => {
      const y = { data: Float32Array.from({ length: 2 * 16 * 16 * 2 }, (_, i) => (i % 7 === 0 ? 1 : 0)), shape: [2, 16, 16, 2] };
      return trainProbe(images(2, 16, (i) => Math.sin(i)), y);
    },
  },
  {
    name: 'predict-nan',
    what: 'predictImage on an image with one NaN pixel',
    run: async () => {
      const { prep, model } = await tinyUnet();
      const img = { data: Float32Array.from({ length: 32 * 32 }, (_, i) => Math.sin(i)), shape: [32, 32] };
      img.data[500] = NaN;
      return outcome(
        () => prep.predictImage(model, img),
        (v) => `${Array.from((v as { data: Float32Array }).data).filter((p) => Number.isNaN(p)).length} NaN pixels of 1024`,
      );
    },
  },
  {
    name: 'kernel-allow-errors',
    what: 'notebook run: a cell that raises on purpose (tag raises-exception), then 3 cells',
    run: async (dir) => {
      const r = runNotebook(dir, [
        { src: 'const a = 1;' },
        { src: "throw new Error('on purpose');", tags: ['raises-exception'] },
        { src: "console.log('after 1');" },
        { src: "console.log('after 2');" },
        { src: "console.log('after 3');" },
      ]);
      return `exit ${r.status}; execution counts [${r.counts.join(', ')}]; later outputs: ${r.outputs.slice(2).map((o) => o || '(none)').join(' / ')}`;
    },
  },
  {
    name: 'kernel-unawaited',
    what: 'notebook run: a cell with an unawaited rejected Promise',
    run: async (dir) => {
      const r = runNotebook(dir, [
        { src: "Promise.reject(new Error('lost rejection')); console.log('cell ran');" },
        { src: "await new Promise((r) => setTimeout(r, 300)); console.log('next cell');" },
      ]);
      return `exit ${r.status}; outputs: ${r.outputs.map((o) => o || '(none)').join(' / ')}`;
    },
  },
];

/** Current and peak resident memory of a process, in MB (Linux /proc), or null. */
function rssOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024;
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024;
    return { rss, hwm };
  } catch {
    return null;
  }
}

/** Runs one probe in a child; stops it after `limitS` seconds or above `limitMb` resident. */
function runChild(name: string, limitS: number, limitMb: number): Promise<{ outcome: string; seconds: number; peakMb: number }> {
  return new Promise((done) => {
    const dir = mkdtempSync(join(tmpdir(), `probe-${name}-`));
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', name, dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let peak = 0;
    let stopped = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setInterval(() => {
      const m = child.pid ? rssOf(child.pid) : null;
      if (m) peak = Math.max(peak, m.hwm);
      if ((performance.now() - t0) / 1000 > limitS) stopped = `stopped after ${limitS} s (still running)`;
      else if (m && m.rss > limitMb) stopped = `stopped at ${Math.round(m.rss)} MB resident (limit ${limitMb} MB)`;
      if (stopped) child.kill('SIGKILL');
    }, 100);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
      const seconds = (performance.now() - t0) / 1000;
      const line = out.trim().split('\n').pop() ?? '';
      let result = '';
      try {
        result = (JSON.parse(line) as { outcome: string }).outcome;
      } catch {
        const tail = err.trim().split('\n').filter((l) => l.trim()).slice(-2).join(' ').slice(0, 200);
        result = stopped || `process died (exit ${code}${signal ? `, ${signal}` : ''}): ${tail}`;
      }
      done({ outcome: result, seconds, peakMb: peak });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const probe = PROBES.find((p) => p.name === args[1]);
    if (!probe) throw new Error(`no probe ${args[1]}`);
    const res = await probe.run(args[2]!);
    console.log(JSON.stringify({ outcome: res }));
    process.exit(0);
  }
  const limitS = Number(process.env.PROBE_LIMIT_S ?? 150);
  const limitMb = Number(process.env.PROBE_LIMIT_MB ?? 6000);
  const pick = PROBES.filter((p) => args.length === 0 || args.some((a) => p.name.includes(a)));
  console.log('| probe | what | outcome | s | peak RSS MB |');
  console.log('|---|---|---|---|---|');
  for (const p of pick) {
    const r = await runChild(p.name, limitS, limitMb);
    console.log(`| ${p.name} | ${p.what} | ${r.outcome.replace(/\|/g, '\\|')} | ${r.seconds.toFixed(1)} | ${Math.round(r.peakMb)} |`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
