/**
 * The reader fuzz test: many mutated versions of real files (truncations, flipped bytes,
 * lying headers, directory loops) go through readNpy, readFits, readPng and readTiff, each
 * read in a child process under a time and memory budget (./harness.ts). Every read must
 * either return the image the reference decoder (numpy, astropy, Pillow, tifffile) returns
 * for the same bytes, or throw one of the readers' documented errors (`readPng x.png: …`).
 * It must never crash, hang or exceed the budget.
 *
 *   npm run fuzz                                    # the larger run: 2000 files per reader
 *   npm run fuzz -- --cases 500 --seed 7 --time 30000 --memory 512 --no-data
 *
 * The seeds are files written by the real producers: numpy, astropy, Pillow and tifffile
 * (when the reference Python is there), the library's own writers, a hand-made TIFF encoder,
 * and with `--data` the lecture's data files. The same seed gives the same files every run.
 * test/io-fuzz.test.ts runs a short version in the test suite.
 *
 * Test infrastructure only: nothing in lib/ imports it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NDArray } from '../../lib/core/ndarray.js';
import { mulberry32 } from '../../lib/core/random.js';
import { encodeFits } from '../../lib/io/fits.js';
import { encodeNpy } from '../../lib/io/npy.js';
import { encodePng } from '../../lib/io/png.js';
import { encodeTiff } from './bytes.js';
import type { FuzzRequest } from './child.js';
import { type Budget, ReaderPool, type Verdict, isDocumentedError } from './harness.js';
import { type Format, mutate } from './mutate.js';
import { projectPython } from '../install/record.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The interpreter with numpy, astropy, Pillow and tifffile: the project's Python (NSEG_PYTHON, or the set-up's choice). */
export const REFERENCE_PYTHON = projectPython();

const READER: Readonly<Record<Format, FuzzRequest['reader']>> = { npy: 'readNpy', fits: 'readFits', png: 'readPng', tiff: 'readTiff' };
const EXT: Readonly<Record<Format, string>> = { npy: 'npy', fits: 'fits', png: 'png', tiff: 'tif' };

/** A real file to mutate. */
export interface Seed {
  format: Format;
  name: string;
  bytes: Uint8Array;
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** Mutated files per reader. */
  cases: number;
  /** Seed of the mutations. */
  seed: number;
  /** Per-file budget. */
  budget: Budget;
  /** Compare returned images with the reference decoders (needs the reference Python). */
  reference: boolean;
  /** Also mutate the lecture's data files (data/), when present. */
  data: boolean;
  /** Progress messages. */
  log?: (line: string) => void;
}

/** One read that broke the rules. */
export interface FuzzFailure {
  reader: string;
  seed: string;
  how: string;
  problem: string;
  /** Where the file was kept (the failures' files are kept for a look). */
  file: string;
}

/** What a fuzz run found. */
export interface FuzzReport {
  /** Per reader: files read, images returned, documented errors. */
  counts: Record<string, { files: number; ok: number; errors: number; checked: number }>;
  failures: FuzzFailure[];
  /** Returned images the reference decoder refused (listed, not failures: we may be more lenient). */
  referenceRefused: { reader: string; seed: string; how: string; reference: string }[];
  /** Slowest read and largest memory use seen, with what they were. */
  slowest: { ms: number; what: string };
  largest: { memoryMb: number; what: string };
  seeds: number;
  seconds: number;
  /** Child processes started (restarts after timeouts, crashes or high memory). */
  childStarts: number;
  tmp: string;
}

/** True when the reference Python has numpy, astropy, Pillow and tifffile. */
export function referenceAvailable(): boolean {
  if (!existsSync(REFERENCE_PYTHON)) return false;
  try {
    execFileSync(REFERENCE_PYTHON, ['-c', 'import numpy, astropy, PIL, tifffile'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

function ramp(n: number, f: (i: number) => number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => f(i));
}

/** Seeds written by the library's own writers and the hand-made TIFF encoder (no Python needed). */
export function librarySeeds(): Seed[] {
  const r = mulberry32(11);
  const u16 = new NDArray(Uint16Array.from(ramp(24 * 20, () => Math.floor(r() * 65536))), [24, 20]);
  const f32 = new NDArray(Float32Array.from(ramp(10 * 12, (i) => Math.sin(i) * 100)), [10, 12]);
  const u8rgb = new NDArray(Uint8Array.from(ramp(9 * 7 * 3, () => Math.floor(r() * 256))), [9, 7, 3]);
  const cube = new NDArray(Float32Array.from(ramp(6 * 5 * 4, (i) => i / 7)), [6, 5, 4]);
  const mask = new NDArray(Uint8Array.from(ramp(16 * 16, (i) => (i % 5 === 0 ? 1 : 0))), [16, 16], 'bool');
  const le16 = (a: NDArray): Uint8Array => new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  return [
    { format: 'npy', name: 'lib-u16.npy', bytes: encodeNpy(u16) },
    { format: 'npy', name: 'lib-cube.npy', bytes: encodeNpy(cube) },
    { format: 'npy', name: 'lib-bool.npy', bytes: encodeNpy(mask) },
    { format: 'fits', name: 'lib-u16.fits', bytes: encodeFits(u16, { header: { OBJECT: 'fuzz seed' } }) },
    { format: 'fits', name: 'lib-f32.fits', bytes: encodeFits(f32) },
    { format: 'fits', name: 'lib-cube.fits', bytes: encodeFits(new NDArray(cube.data, [4, 6, 5])) },
    { format: 'png', name: 'lib-g16.png', bytes: encodePng(u16) },
    { format: 'png', name: 'lib-rgb.png', bytes: encodePng(u8rgb) },
    { format: 'png', name: 'lib-mask.png', bytes: encodePng(mask) },
    { format: 'tiff', name: 'enc-u16.tif', bytes: encodeTiff([{ width: 20, height: 24, bits: 16, data: le16(u16) }]) },
    { format: 'tiff', name: 'enc-u16-strips-be.tif', bytes: encodeTiff([{ width: 20, height: 24, bits: 16, data: le16(u16), rowsPerStrip: 5 }], true) },
    { format: 'tiff', name: 'enc-f32-deflate.tif', bytes: encodeTiff([{ width: 12, height: 10, bits: 32, format: 3, data: le16(f32), compression: 8, rowsPerStrip: 4 }]) },
    { format: 'tiff', name: 'enc-rgb-packbits.tif', bytes: encodeTiff([{ width: 7, height: 9, bits: 8, samples: 3, data: le16(u8rgb), compression: 32773 }]) },
    {
      format: 'tiff',
      name: 'enc-pages.tif',
      bytes: encodeTiff([
        { width: 20, height: 24, bits: 16, data: le16(u16) },
        { width: 12, height: 10, bits: 32, format: 3, data: le16(f32) },
        { width: 7, height: 9, bits: 8, samples: 3, data: le16(u8rgb) },
      ]),
    },
  ];
}

/** Seeds written by numpy, astropy, Pillow and tifffile. */
export function pythonSeeds(dir: string): Seed[] {
  const script = `
import sys, numpy as np, tifffile
from astropy.io import fits
from PIL import Image
d = sys.argv[1]; rng = np.random.default_rng(5)
u16 = rng.integers(0, 65536, (21, 17)).astype(np.uint16)
g8 = rng.integers(0, 256, (19, 23), dtype=np.uint8)
rgb = rng.integers(0, 256, (11, 13, 3), dtype=np.uint8)
np.save(f'{d}/np-f8-fortran.npy', np.asfortranarray(rng.normal(size=(7, 9))))
np.save(f'{d}/np-i8.npy', rng.integers(-1000, 1000, (5, 6)))
np.save(f'{d}/np-be-u2.npy', u16.astype('>u2'))
fits.PrimaryHDU(u16).writeto(f'{d}/ap-u16.fits')
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(rng.normal(size=(6, 8)).astype(np.float32))]).writeto(f'{d}/ap-ext.fits')
h = fits.PrimaryHDU((g8.astype(np.float32) * 0.5 + 3).astype(np.float32)); h.scale('int16', bscale=0.5, bzero=3); h.writeto(f'{d}/ap-scaled.fits')
Image.fromarray(g8).save(f'{d}/pil-g8.png')
Image.fromarray(rgb).convert('P', palette=Image.ADAPTIVE, colors=7).save(f'{d}/pil-pal.png')
Image.fromarray(np.dstack([rgb, rgb[:, :, :1]])).save(f'{d}/pil-rgba.png')
Image.fromarray(u16).save(f'{d}/pil-u16-lzw.tif', compression='tiff_lzw')
tifffile.imwrite(f'{d}/tf-u16-tiles.tif', rng.integers(0, 65536, (40, 36)).astype(np.uint16), tile=(16, 16), compression='zlib')
tifffile.imwrite(f'{d}/tf-i16-pred.tif', rng.integers(-3000, 3000, (13, 15)).astype(np.int16), compression='zlib', predictor=True)
tifffile.imwrite(f'{d}/tf-f64-be.tif', rng.normal(size=(5, 6)), byteorder='>')
Image.fromarray(g8).save(f'{d}/pil-lzw.tif', compression='tiff_lzw')
print('ok')
`;
  execFileSync(REFERENCE_PYTHON, ['-c', script, dir], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const format = (n: string): Format => (n.endsWith('.npy') ? 'npy' : n.endsWith('.fits') ? 'fits' : n.endsWith('.png') ? 'png' : 'tiff');
  const names = ['np-f8-fortran.npy', 'np-i8.npy', 'np-be-u2.npy', 'ap-u16.fits', 'ap-ext.fits', 'ap-scaled.fits', 'pil-g8.png', 'pil-pal.png', 'pil-rgba.png', 'pil-u16-lzw.tif', 'tf-u16-tiles.tif', 'tf-i16-pred.tif', 'tf-f64-be.tif', 'pil-lzw.tif'];
  return names.map((n) => ({ format: format(n), name: n, bytes: new Uint8Array(readFileSync(join(dir, n))) }));
}

/** The lecture's data files (the small ones; the large ones only when `large`). */
export function dataSeeds(large: boolean): Seed[] {
  const files: [Format, string][] = [
    ['npy', 'data/roots/val-masks.npy'],
    ['fits', 'data/spots/dark_00001.fits'],
    ['png', 'data/spots/mixture12_00001.png'],
  ];
  if (large) files.push(['npy', 'data/roots/val-images.npy'], ['fits', 'data/spots/mixture12_00001.fits']);
  return files.filter(([, p]) => existsSync(join(ROOT, p))).map(([format, p]) => ({ format, name: p.replace(/\//g, '_'), bytes: new Uint8Array(readFileSync(join(ROOT, p))) }));
}

/** The reference decoders: canonical hash (as ./child.ts computes it) or the error, per file. */
const REFERENCE_SCRIPT = `
import sys, json, hashlib, warnings
import numpy as np
warnings.simplefilter('ignore')
def canon(a):
    a = np.ascontiguousarray(np.asarray(a)).astype('<f8')
    a[np.isnan(a)] = np.nan
    return hashlib.sha256(json.dumps(list(a.shape), separators=(',', ':')).encode() + a.tobytes()).hexdigest()
def read_npy(p):
    return np.load(p, allow_pickle=False)
def read_fits(p):
    from astropy.io import fits
    with fits.open(p, memmap=False) as h:
        hdu = h[0] if h[0].data is not None and h[0].header.get('NAXIS', 0) > 0 else next(x for x in h[1:] if isinstance(x, fits.ImageHDU))
        return np.array(hdu.data)
def read_png(p):
    from PIL import Image
    im = Image.open(p); im.load()
    raw = open(p, 'rb').read(); depth, ctype = raw[24], raw[25]
    if depth < 8 or (depth == 16 and ctype in (2, 4, 6)) or b'tRNS' in raw:
        return None  # Pillow rescales or drops these; no reference
    if im.mode == 'P': im = im.convert('RGB')
    a = np.asarray(im)
    return a.astype(np.uint16) if im.mode.startswith('I') else a
def read_tiff(p):
    import tifffile
    with tifffile.TiffFile(p) as t:
        page = t.pages[0]
        if page.compression != 5:
            return page.asarray()
        if page.photometric == 0:
            return None  # Pillow inverts WhiteIsZero; the readers return samples as stored, like tifffile
    from PIL import Image  # tifffile needs imagecodecs for LZW; Pillow has it built in
    im = Image.open(p); im.load()
    return np.asarray(im)
R = {'readNpy': read_npy, 'readFits': read_fits, 'readPng': read_png, 'readTiff': read_tiff}
out = {}
for item in json.load(open(sys.argv[1])):
    try:
        a = R[item['reader']](item['path'])
        out[item['path']] = {'hash': canon(a)} if a is not None else {'skip': True}
    except BaseException as e:
        out[item['path']] = {'error': (type(e).__name__ + ': ' + str(e))[:200]}
print(json.dumps(out))
`;

/**
 * Runs the fuzz test.
 *
 * @param opts see {@link FuzzOptions}
 * @returns the counts, the failures (kept files) and the extremes seen
 */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = performance.now();
  const log = opts.log ?? ((): void => undefined);
  const tmp = mkdtempSync(join(tmpdir(), 'fuzz-'));
  const seeds = [...librarySeeds(), ...(opts.reference ? pythonSeeds(tmp) : []), ...(opts.data ? dataSeeds(opts.cases >= 1000) : [])];
  const r = mulberry32(opts.seed);
  const pool = new ReaderPool(opts.budget);
  const report: FuzzReport = {
    counts: {},
    failures: [],
    referenceRefused: [],
    slowest: { ms: 0, what: '' },
    largest: { memoryMb: 0, what: '' },
    seeds: seeds.length,
    seconds: 0,
    childStarts: 0,
    tmp,
  };
  const toCheck: { reader: string; path: string; seed: string; how: string; hash: string }[] = [];
  try {
    // The unmutated seeds first: each must read back (and match the reference below).
    const jobs: { seed: Seed; bytes: Uint8Array; how: string }[] = seeds.map((s) => ({ seed: s, bytes: s.bytes, how: 'unmutated' }));
    for (const format of ['npy', 'fits', 'png', 'tiff'] as const) {
      const mine = seeds.filter((s) => s.format === format);
      for (let made = 0; made < opts.cases && mine.length > 0; ) {
        const seed = mine[Math.floor(r() * mine.length)]!;
        // Large data files: only a few mutations each (each read takes much longer).
        if (seed.bytes.length > 1_000_000 && r() > 0.1) continue;
        made++;
        const m = mutate(seed.bytes, format, r);
        jobs.push({ seed, bytes: m.bytes, how: m.how });
      }
    }
    let n = 0;
    for (const job of jobs) {
      const reader = READER[job.seed.format];
      const path = join(tmp, `case-${n++}.${EXT[job.seed.format]}`);
      writeFileSync(path, job.bytes);
      const c = (report.counts[reader] ??= { files: 0, ok: 0, errors: 0, checked: 0 });
      c.files++;
      const v: Verdict = await pool.read({ reader, path });
      const what = `${reader} ${job.seed.name} (${job.how})`;
      if ((v.kind === 'ok' || v.kind === 'error') && v.ms > report.slowest.ms) report.slowest = { ms: v.ms, what };
      if ((v.kind === 'ok' || v.kind === 'error') && v.raisedPeak && v.memoryMb > report.largest.memoryMb) report.largest = { memoryMb: v.memoryMb, what };
      let problem = '';
      if (v.kind === 'ok') {
        c.ok++;
        toCheck.push({ reader, path, seed: job.seed.name, how: job.how, hash: v.hash });
        continue;
      }
      if (v.kind === 'error' && isDocumentedError(reader, path, v)) {
        c.errors++;
        if (job.how === 'unmutated') problem = `the unmutated seed did not read: ${v.message}`;
      } else if (v.kind === 'error') problem = `undocumented error ${v.name}: ${v.message.slice(0, 300)}`;
      else if (v.kind === 'timeout') problem = `over the time budget (${opts.budget.timeMs} ms): killed after ${v.ms.toFixed(0)} ms`;
      else if (v.kind === 'memory') problem = `over the memory budget (${opts.budget.memoryMb} MB): ${v.memoryMb.toFixed(0)} MB; ${v.detail.slice(0, 200)}`;
      else problem = `crashed the reader process: ${v.detail.slice(0, 300)}`;
      if (problem) report.failures.push({ reader, seed: job.seed.name, how: job.how, problem, file: path });
      else rmSync(path, { force: true });
      if (n % 200 === 0) log(`  ${n} of ${jobs.length} files read`);
    }
  } finally {
    pool.close();
    report.childStarts = pool.starts;
  }
  if (opts.reference && toCheck.length > 0) {
    const list = join(tmp, 'check.json');
    writeFileSync(list, JSON.stringify(toCheck.map(({ reader, path }) => ({ reader, path }))));
    const out = execFileSync(REFERENCE_PYTHON, ['-c', REFERENCE_SCRIPT, list], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const ref = JSON.parse(out.trim().split('\n').pop()!) as Record<string, { hash?: string; error?: string; skip?: boolean }>;
    for (const c of toCheck) {
      const rf = ref[c.path];
      if (!rf || rf.skip) continue;
      report.counts[c.reader]!.checked++;
      if (rf.error !== undefined) {
        report.referenceRefused.push({ reader: c.reader, seed: c.seed, how: c.how, reference: rf.error });
        if (c.how === 'unmutated') report.failures.push({ ...c, problem: `the reference cannot read the unmutated seed: ${rf.error}`, file: c.path });
      } else if (rf.hash !== c.hash) {
        report.failures.push({ reader: c.reader, seed: c.seed, how: c.how, problem: 'returned an image that differs from the reference decoder’s (garbage)', file: c.path });
      }
    }
  }
  const keep = new Set(report.failures.map((f) => f.file));
  for (const c of toCheck) if (!keep.has(c.path)) rmSync(c.path, { force: true });
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

/** The report as text lines. */
export function formatReport(rep: FuzzReport): string[] {
  const lines = [`fuzz: ${rep.seeds} seed files, ${rep.seconds.toFixed(1)} s, ${rep.childStarts} reader process(es) started`];
  for (const [reader, c] of Object.entries(rep.counts)) {
    lines.push(`  ${reader}: ${c.files} files, ${c.ok} images returned (${c.checked} compared with the reference), ${c.errors} documented errors`);
  }
  lines.push(`  slowest read: ${rep.slowest.ms.toFixed(0)} ms, ${rep.slowest.what}`);
  lines.push(`  most memory: ${rep.largest.memoryMb.toFixed(0)} MB, ${rep.largest.what}`);
  if (rep.referenceRefused.length) {
    lines.push(`  ${rep.referenceRefused.length} returned image(s) the reference decoder refuses (more lenient than the reference):`);
    for (const x of rep.referenceRefused.slice(0, Number(process.env.FUZZ_SHOW ?? 10))) lines.push(`    ${x.reader} ${x.seed} (${x.how}): ${x.reference}`);
  }
  lines.push(rep.failures.length ? `  ${rep.failures.length} FAILURE(S):` : '  no failures');
  for (const f of rep.failures.slice(0, 30)) lines.push(`    ${f.reader} ${f.seed} (${f.how}): ${f.problem} [${f.file}]`);
  return lines;
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`${name} needs a number, got ${args[i + 1]}`);
  return v;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const reference = !args.includes('--no-reference') && referenceAvailable();
  if (!reference) console.log('fuzz: the reference Python (numpy, astropy, Pillow, tifffile) is not available: returned images are not compared');
  const rep = await runFuzz({
    cases: arg(args, '--cases', 2000),
    seed: arg(args, '--seed', 1),
    budget: { timeMs: arg(args, '--time', 30_000), memoryMb: arg(args, '--memory', 512) },
    reference,
    data: args.includes('--data') || !args.includes('--no-data'),
    log: (l) => console.log(l),
  });
  for (const l of formatReport(rep)) console.log(l);
  if (rep.failures.length === 0) rmSync(rep.tmp, { recursive: true, force: true });
  else console.log(`failing files kept in ${rep.tmp}`);
  process.exit(rep.failures.length ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
