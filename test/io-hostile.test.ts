/**
 * Hostile files and arguments for the readers and writers (issue 13's findings, one test
 * each): lying headers, directory loops, decompression bombs, truncation, corruption, a
 * directory or a device instead of a file; shapes and values a writer could not read back;
 * temporary files of killed writers. Reads of hostile files run in a child process under a
 * time and memory budget (scripts/fuzz/harness.ts), so a reader that hangs or eats memory fails
 * its test instead of taking the test run down.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { DTYPES } from '../lib/core/types.js';
import type { DType } from '../lib/core/types.js';
import { DEFAULT_MAX_PIXELS } from '../lib/io/_file.js';
import { readFits, readNpy, readPng, readTiff, writeFits, writeNpy, writePng } from '../lib/io/index.js';
import { removeStaleTempFiles } from '../lib/io/atomic.js';
import { encodeFits } from '../lib/io/fits.js';
import { encodeNpy } from '../lib/io/npy.js';
import { encodePng } from '../lib/io/png.js';
import { encodeTiff, handPng, pngChunks, pngWithSize, setTiffTag, tiffIfds } from '../scripts/fuzz/bytes.js';
import { ReaderPool, type Verdict } from '../scripts/fuzz/harness.js';
import { needs } from './helpers/needs.js';
import { pythonHas, pythonJson } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'io-hostile-'));
const pool = new ReaderPool({ timeMs: 30_000, memoryMb: 256 });
afterAll(() => {
  pool.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, bytes: Uint8Array | string): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

/** Reads in the budgeted child; expects a documented error matching `re`. */
async function expectRefused(reader: 'readNpy' | 'readFits' | 'readPng' | 'readTiff', path: string, re: RegExp, opts?: Record<string, unknown>): Promise<Verdict> {
  const v = await pool.read({ reader, path, opts });
  expect(v.kind, JSON.stringify(v)).toBe('error');
  if (v.kind === 'error') {
    expect(v.name).toBe('Error');
    expect(v.message.startsWith(`${reader} ${path}: `), v.message).toBe(true);
    expect(v.message).toMatch(re);
    expect(v.memoryMb).toBeLessThan(64);
  }
  return v;
}

function u16Bytes(rows: number, cols: number): Uint8Array {
  const data = new Uint16Array(rows * cols).map((_, i) => (i * 37) % 65536);
  return new Uint8Array(data.buffer);
}

describe('readTiff: directory chains, lying sizes, decompression bombs', () => {
  const page = (): Parameters<typeof encodeTiff>[0][number] => ({ width: 64, height: 48, bits: 16, data: u16Bytes(48, 64) });

  it('a chain that points back to itself is refused (it once grew to 4.3 GB and killed the process)', async () => {
    const t = encodeTiff([page(), page()]);
    const ifds = tiffIfds(t);
    new DataView(t.buffer).setUint32(ifds[1]!.nextField, ifds[1]!.ifd, true);
    const p = file('loop.tif', t);
    await expectRefused('readTiff', p, /corrupt TIFF: the directory chain loops back to byte \d+ after 2 directories \(page 5 not found/, { page: 5 });
    // Pages before the loop still read, like libtiff.
    const v = await pool.read({ reader: 'readTiff', path: p, opts: { page: 1 } });
    expect(v.kind, JSON.stringify(v)).toBe('ok');
    if (v.kind === 'ok') expect(v.shape).toEqual([48, 64]);
  });

  it('a loop back to the first directory and a chain longer than maxPages are refused', async () => {
    const t = encodeTiff([page(), page(), page()]);
    const ifds = tiffIfds(t);
    new DataView(t.buffer).setUint32(ifds[2]!.nextField, ifds[0]!.ifd, true);
    await expectRefused('readTiff', file('loop0.tif', t), /loops back to byte 8\b|loops back to byte \d+/, { page: 3 });
    const many = encodeTiff(Array.from({ length: 6 }, page));
    await expectRefused('readTiff', file('many.tif', many), /more than 4 directories \(maxPages/, { page: 5, maxPages: 4 });
    const v = await pool.read({ reader: 'readTiff', path: join(dir, 'many.tif'), opts: { page: 5, maxPages: 6 } });
    expect(v.kind === 'ok' && v.shape).toEqual([48, 64]);
  });

  it('ImageWidth doubled while the strip stays 512×512: refused, not half zeros', async () => {
    const t = encodeTiff([{ width: 512, height: 512, bits: 16, data: u16Bytes(512, 512) }]);
    setTiffTag(t, tiffIfds(t)[0]!.ifd, 256, 1024);
    await expectRefused('readTiff', file('w2.tif', t), /strip 0 holds 524288 bytes, its 512 row\(s\) of 1024 × 1 uint16 samples need 1048576/);
  });

  it('ImageWidth 10^6: refused by the pixel limit, and with the limit raised by the strip size, before allocating', async () => {
    const t = encodeTiff([{ width: 512, height: 512, bits: 16, data: u16Bytes(512, 512) }]);
    setTiffTag(t, tiffIfds(t)[0]!.ifd, 256, 1_000_000);
    const p = file('w6.tif', t);
    await expectRefused('readTiff', p, new RegExp(`1000000×512 = 512000000 pixels is larger than the limit of ${DEFAULT_MAX_PIXELS} pixels \\(maxPixels`));
    await expectRefused('readTiff', p, /strip 0 holds 524288 bytes/, { maxPixels: 1e9 });
  });

  it('a strip that inflates to more than its rows need (a Deflate bomb) stops at the limit', async () => {
    // 64×64 uint8 declared, but the strip holds 64 MB of zeros (about 64 KB compressed).
    const big = new Uint8Array(64 << 20);
    const t = encodeTiff([{ width: 8192, height: 8192, bits: 8, data: big, compression: 8 }]);
    const ifd = tiffIfds(t)[0]!.ifd;
    setTiffTag(t, ifd, 256, 64);
    setTiffTag(t, ifd, 257, 64);
    setTiffTag(t, ifd, 278, 64);
    await expectRefused('readTiff', file('bomb.tif', t), /strip 0 inflates to more than the 4096 bytes its rows need/);
  });

  it('LZW and PackBits strips without enough data are refused, never zero-filled or looped on', async () => {
    // PackBits literal runs for a 16×16 uint8 image, then cut to half.
    const img = new Uint8Array(256).map((_, i) => i);
    const pb = encodeTiff([{ width: 16, height: 16, bits: 8, data: img, compression: 32773 }]);
    const ifd = tiffIfds(pb)[0]!.ifd;
    const field = new DataView(pb.buffer);
    const countAt = (tag: number): number => {
      for (let k = 0; k < field.getUint16(ifd, true); k++) if (field.getUint16(ifd + 2 + 12 * k, true) === tag) return ifd + 2 + 12 * k + 8;
      return -1;
    };
    field.setUint32(countAt(279), 100, true);
    await expectRefused('readTiff', file('pb-short.tif', pb), /strip 0 decodes to \d+ bytes, its 16 row\(s\) of 16 × 1 uint8 samples need 256/);
    // An LZW strip of random bytes: either a corrupt code or too little data, quickly.
    const lzw = encodeTiff([{ width: 16, height: 16, bits: 8, data: img }]);
    const ifd2 = tiffIfds(lzw)[0]!.ifd;
    setTiffTag(lzw, ifd2, 259, 5);
    await expectRefused('readTiff', file('lzw-garbage.tif', lzw), /strip 0: corrupt LZW data|strip 0 decodes to|decodes to more than/);
  });

  it('BitsPerSample for 3 samples with SamplesPerPixel 1 is refused as corrupt', async () => {
    const rgb = new Uint8Array(9 * 7 * 3).map((_, i) => i);
    const t = encodeTiff([{ width: 7, height: 9, bits: 8, samples: 3, data: rgb, compression: 32773 }]);
    setTiffTag(t, tiffIfds(t)[0]!.ifd, 277, 1);
    await expectRefused('readTiff', file('spp.tif', t), /BitsPerSample has 3 values but SamplesPerPixel is 1/);
    // Found by npm run fuzz: SamplesPerPixel missing (the spec's default is 1) with 3 BitsPerSample.
    const n = encodeTiff([{ width: 7, height: 9, bits: 8, samples: 3, data: rgb }]);
    const nifd = tiffIfds(n)[0]!.ifd;
    const ndv = new DataView(n.buffer);
    for (let k = 0; k < ndv.getUint16(nifd, true); k++) if (ndv.getUint16(nifd + 2 + 12 * k, true) === 277) ndv.setUint16(nifd + 2 + 12 * k, 65000, true);
    await expectRefused('readTiff', file('nospp.tif', n), /BitsPerSample has 3 values but SamplesPerPixel is 1/);
    // Found by npm run fuzz: an RGB photometric on one sample (tifffile then reads [h, w, 1]).
    const g = encodeTiff([{ width: 7, height: 9, bits: 8, data: rgb.subarray(0, 63) }]);
    setTiffTag(g, tiffIfds(g)[0]!.ifd, 262, 2);
    await expectRefused('readTiff', file('rgb1.tif', g), /PhotometricInterpretation 2 \(RGB\) does not fit SamplesPerPixel 1/);
  });

  it('reads what the hand-made encoder writes: strips, Deflate, PackBits, big-endian, pages', () => {
    const img = new Uint16Array(48 * 64).map((_, i) => (i * 37) % 65536);
    const bytes = new Uint8Array(img.buffer);
    for (const [name, t] of [
      ['plain', encodeTiff([{ width: 64, height: 48, bits: 16, data: bytes }])],
      ['strips-be', encodeTiff([{ width: 64, height: 48, bits: 16, data: bytes, rowsPerStrip: 5 }], true)],
      ['deflate', encodeTiff([{ width: 64, height: 48, bits: 16, data: bytes, compression: 8, rowsPerStrip: 7 }])],
      ['packbits', encodeTiff([{ width: 64, height: 48, bits: 16, data: bytes, compression: 32773 }])],
    ] as const) {
      const a = readTiff(file(`ok-${name}.tif`, t));
      expect(a.dtype, name).toBe('uint16');
      expect(a.shape).toEqual([48, 64]);
      expect(Array.from(a.data)).toEqual(Array.from(img));
    }
  });
});

describe('readPng: lying IHDR, truncation, CRC errors', () => {
  const small = handPng(8, 8, (r, c) => r * 8 + c);

  it.each([
    [60000, 'claims 60000² (once 7 GB, then a raw "out of range")'],
    [30000, 'claims 30000² (once a 30000² image after 54 s and 5.9 GB)'],
  ])('a small file whose IHDR %d² is refused by the pixel limit, naming it', async (side) => {
    const p = file(`ihdr-${side}.png`, pngWithSize(small, side, side));
    await expectRefused('readPng', p, new RegExp(`${side}×${side} = ${side * side} pixels is larger than the limit of ${DEFAULT_MAX_PIXELS} pixels \\(maxPixels.*pass \\{ maxPixels: ${side * side} \\}`));
    // With the limit raised, the data is checked against the header: refused, within the budget.
    await expectRefused('readPng', p, new RegExp(`PNG is corrupt \\(the image data inflates to \\d+ bytes, a ${side}×${side} image needs \\d+`), { maxPixels: 4e9 });
  });

  it('a small file whose IHDR claims 3000² is refused (once 3000² of mostly zeros)', async () => {
    const p = file('ihdr-3000.png', pngWithSize(handPng(4, 4, (r, c) => r + c), 3000, 3000));
    await expectRefused('readPng', p, /PNG is corrupt \(the image data inflates to 20 bytes, a 3000×3000 image needs 9003000: truncated data or a lying header\)/);
  });

  it('maxPixels can be lowered and raised', () => {
    const p = file('small.png', small);
    expect(readPng(p).shape).toEqual([8, 8]);
    expect(() => readPng(p, { maxPixels: 63 })).toThrow(/8×8 = 64 pixels is larger than the limit of 63 pixels \(maxPixels/);
    expect(readPng(p, { maxPixels: 64 }).shape).toEqual([8, 8]);
  });

  it('truncated: "file truncated after N of M bytes" (once "read requests waitng on finished stream")', async () => {
    const g = encodePng(new NDArray(new Uint8Array(64 * 64).map((_, i) => (i * 7) & 255), [64, 64]));
    await expectRefused('readPng', file('trunc.png', g.subarray(0, g.length - 30)), new RegExp(`file truncated after ${g.length - 30} of ${g.length - 12} bytes \\(inside chunk IDAT`));
    await expectRefused('readPng', file('trunc-iend.png', g.subarray(0, g.length - 12)), new RegExp(`file truncated after ${g.length - 12} bytes \\(no IEND chunk`));
  });

  it('a bad CRC: "PNG is corrupt (CRC error in chunk IDAT)" (once "unrecognised content at end of stream")', async () => {
    const g = Uint8Array.from(encodePng(new NDArray(new Uint8Array(64 * 64).map((_, i) => (i * 7) & 255), [64, 64])));
    const idat = pngChunks(g).find((c) => c.type === 'IDAT')!;
    g[idat.at + 8 + 5]! ^= 0xff;
    await expectRefused('readPng', file('crc.png', g), /PNG is corrupt \(CRC error in chunk IDAT at byte 33\)/);
  });
});

describe('one file reader: a directory, a device, a missing file', () => {
  it.each([
    ['readFits', readFits],
    ['readNpy', readNpy],
    ['readPng', readPng],
    ['readTiff', readTiff],
  ] as const)('%s on a directory says so (readFits once threw a bare EISDIR)', (name, read) => {
    const d = join(dir, `folder-${name}.x`);
    mkdirSync(d, { recursive: true });
    expect(() => read(d)).toThrow(`${name} ${d}: cannot open file: it is a directory, not a file`);
    expect(() => read(join(dir, 'missing.x'))).toThrow(`${name} ${join(dir, 'missing.x')}: cannot open file: no such file or directory`);
  });

  it('a device is refused instead of read forever', async (ctx) => {
    needs(ctx, '/dev/zero (a character device)', existsSync('/dev/zero'), 'Linux and macOS have it');
    await expectRefused('readNpy', '/dev/zero', /^readNpy \/dev\/zero: cannot open file: it is not a regular file \(a device, pipe or socket\)$/);
  });

  it('readFits on 1 KB of random bytes: "not a FITS file" (once "truncated inside the header")', async () => {
    const b = new Uint8Array(1024);
    let s = 12345;
    for (let i = 0; i < b.length; i++) b[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    await expectRefused('readFits', file('random.fits', b), /bad magic: file does not start with 'SIMPLE  =' \(not a FITS file: no SIMPLE card\)/);
  });

  it('readFits: a truncated header block, SIMPLE = F, and an empty primary without extension are refused', () => {
    const good = encodeFits(new NDArray(new Uint16Array(12), [3, 4]));
    expect(() => readFits(file('cut.fits', good.subarray(0, 2000)))).toThrow(/cut\.fits: file truncated inside the header, after 2000 of 2880 bytes/);
    const f = Uint8Array.from(good);
    f[29] = 'F'.charCodeAt(0);
    expect(() => readFits(file('simple-f.fits', f))).toThrow(/simple-f\.fits: not a FITS file: SIMPLE = false/);
    const empty = Uint8Array.from(good.subarray(0, 2880));
    expect(() => readFits(file('noimage.fits', empty))).toThrow(/noimage\.fits: (no image in the file|file truncated)/);
  });
});

describe('writers refuse what they could not read back', () => {
  it.each([
    [[2.5, 2], 5],
    [[-2, -2], 4],
  ])('writeNpy, writeFits and writePng refuse the shape %j', (shape, n) => {
    for (const [name, write] of [
      ['writeNpy', writeNpy],
      ['writeFits', writeFits],
      ['writePng', writePng],
    ] as const) {
      const p = join(dir, `shape-${n}-${name}.x`);
      expect(() => write(p, { data: new Uint8Array(n), shape })).toThrow(`${name}: shape must be whole numbers >= 0, got [${shape.join(', ')}]`);
      expect(existsSync(p)).toBe(false);
    }
  });

  it('float data declared uint16: [NaN, 70000, -5] is refused, or clipped on request', () => {
    const a = { data: Float32Array.from([NaN, 70000, -5]), shape: [3], dtype: 'uint16' as DType };
    const re = /dtype uint16 holds whole numbers from 0 to 65535, but the data has 3 value\(s\) it cannot hold \(the first, NaN, at flat index 0\).*\{ clip: true \}/;
    expect(() => writeFits(join(dir, 'f.fits'), a)).toThrow(re);
    expect(() => writeNpy(join(dir, 'f.npy'), a)).toThrow(re);
    expect(() => writePng(join(dir, 'f.png'), { ...a, shape: [1, 3] })).toThrow(re);
    expect(existsSync(join(dir, 'f.fits')) || existsSync(join(dir, 'f.npy')) || existsSync(join(dir, 'f.png'))).toBe(false);
    writeFits(join(dir, 'f.fits'), a, { clip: true });
    writeNpy(join(dir, 'f.npy'), a, { clip: true });
    writePng(join(dir, 'f.png'), { ...a, shape: [1, 3] }, { clip: true });
    for (const b of [readFits(join(dir, 'f.fits')), readNpy(join(dir, 'f.npy')), readPng(join(dir, 'f.png'))]) {
      expect(b.dtype).toBe('uint16');
      expect(Array.from(b.data)).toEqual([0, 65535, 0]);
    }
  });

  it('fractions into an integer dtype are refused; whole numbers of another typed array are converted', () => {
    expect(() => encodeNpy({ data: Float64Array.from([1.5]), shape: [1], dtype: 'int16' } as NDArray)).toThrow(/dtype int16 holds whole numbers from -32768 to 32767.*the first, 1.5/);
    const a = readNpy(file('conv.npy', encodeNpy({ data: Float64Array.from([-3, 0, 32767]), shape: [3], dtype: 'int16' } as NDArray)));
    expect(a.dtype).toBe('int16');
    expect(Array.from(a.data)).toEqual([-3, 0, 32767]);
    expect(() => encodeNpy({ data: new Float32Array(1), shape: [1], dtype: 'int64' } as unknown as NDArray)).toThrow(/writeNpy: unknown dtype 'int64'/);
  });

  it('every dtype written by writeNpy / writeFits reads back identically here and in numpy / astropy', (ctx) => {
    needs(ctx, 'numpy and astropy in the reference Python', pythonHas('numpy', 'astropy'));
    const arrays: NDArray[] = [];
    for (const dtype of Object.keys(DTYPES) as DType[]) {
      const info = DTYPES[dtype];
      const vals = [info.min, info.max, 0, 1, dtype === 'bool' ? 1 : info.kind === 'float' ? -0.5 : 7].map((v) => (info.kind === 'float' ? v : Math.max(info.min, Math.min(info.max, v))));
      arrays.push(new NDArray(new info.array(vals.length * 2).map((_, i) => vals[i % vals.length]!), [2, vals.length], dtype));
    }
    const paths: string[] = [];
    for (const a of arrays) {
      const np = join(dir, `rt-${a.dtype}.npy`);
      const fi = join(dir, `rt-${a.dtype}.fits`);
      writeNpy(np, a);
      writeFits(fi, a);
      for (const b of [readNpy(np), readFits(fi)]) {
        expect(b.shape).toEqual(a.shape);
        expect(Array.from(b.data), a.dtype).toEqual(Array.from(a.data));
      }
      expect(readNpy(np).dtype).toBe(a.dtype);
      expect(readFits(fi).dtype).toBe(a.dtype === 'bool' ? 'uint8' : a.dtype);
      paths.push(np, fi);
    }
    const ref = pythonJson<Record<string, { dtype: string; values: number[] }>>(
      `
import sys, json, numpy as np
from astropy.io import fits
out = {}
for p in sys.argv[1:]:
    a = np.load(p) if p.endswith('.npy') else fits.getdata(p)
    out[p] = {'dtype': a.dtype.name, 'values': a.astype(np.float64).ravel().tolist()}
print(json.dumps(out))
`,
      paths,
    );
    for (const a of arrays) {
      const np = ref[join(dir, `rt-${a.dtype}.npy`)]!;
      const fi = ref[join(dir, `rt-${a.dtype}.fits`)]!;
      expect(np.dtype).toBe(a.dtype);
      expect(fi.dtype).toBe(a.dtype === 'bool' ? 'uint8' : a.dtype);
      expect(np.values, a.dtype).toEqual(Array.from(a.data, Number));
      expect(fi.values, a.dtype).toEqual(Array.from(a.data, Number));
    }
  });

  it('every PNG writePng makes reads back identically here and in Pillow', (ctx) => {
    needs(ctx, 'numpy and Pillow in the reference Python', pythonHas('numpy', 'PIL'));
    const r = (n: number, max: number): number[] => Array.from({ length: n }, (_, i) => (i * 7919) % (max + 1));
    const images = {
      g8: new NDArray(Uint8Array.from(r(35, 255)), [5, 7]),
      g16: new NDArray(Uint16Array.from(r(35, 65535)), [5, 7]),
      la: new NDArray(Uint8Array.from(r(70, 255)), [5, 7, 2]),
      rgb: new NDArray(Uint8Array.from(r(105, 255)), [5, 7, 3]),
      rgba: new NDArray(Uint8Array.from(r(140, 255)), [5, 7, 4]),
      mask: new NDArray(Uint8Array.from(r(35, 1)), [5, 7], 'bool'),
      declared: { data: Float64Array.from(r(35, 255)), shape: [5, 7], dtype: 'uint8' as DType },
    };
    const paths: string[] = [];
    for (const [k, a] of Object.entries(images)) {
      const p = join(dir, `rt-${k}.png`);
      writePng(p, a);
      const b = readPng(p);
      const want = k === 'mask' ? Array.from(a.data, (v) => (v ? 255 : 0)) : Array.from(a.data, Number);
      expect(Array.from(b.data), k).toEqual(want);
      paths.push(p);
    }
    const ref = pythonJson<Record<string, number[]>>(
      `
import sys, json, numpy as np
from PIL import Image
print(json.dumps({p: np.asarray(Image.open(p)).astype(np.float64).ravel().tolist() for p in sys.argv[1:]}))
`,
      paths,
    );
    for (const [k, a] of Object.entries(images)) {
      const want = k === 'mask' ? Array.from(a.data, (v) => (v ? 255 : 0)) : Array.from(a.data, Number);
      expect(ref[join(dir, `rt-${k}.png`)], k).toEqual(want);
    }
  });
});

describe('temporary files of killed writers do not outlive the next write', () => {
  const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());

  it('the next write of a target removes its stale temporary files; live ones stay', () => {
    const d = join(dir, 'tmpfiles');
    mkdirSync(d, { recursive: true });
    const dead = deadPid();
    const stale = join(d, `.big.fits.${dead}.${Date.now()}.0.tmp`);
    const other = join(d, `.other.npy.${dead}.${Date.now()}.0.tmp`);
    const live = join(d, `.big.fits.${process.ppid}.${Date.now()}.0.tmp`);
    for (const p of [stale, other, live]) writeFileSync(p, new Uint8Array(1024));
    writeFits(join(d, 'big.fits'), new NDArray(new Uint16Array(4), [2, 2]));
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true); // another target's: left for its own next write or removeStaleTempFiles
    // Older than a day counts as stale even when the pid is alive (pids are reused).
    const old = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
    utimesSync(live, old, old);
    expect(removeStaleTempFiles(d).sort()).toEqual([live, other].sort());
    expect(readdirSync(d)).toEqual(['big.fits']);
  });

  it('a writer killed mid-write leaves a temporary file that the next write removes', async () => {
    const d = join(dir, 'killed');
    mkdirSync(d, { recursive: true });
    const script = `import { writeFileAtomic } from ${JSON.stringify(join(process.cwd(), 'lib', 'io', 'atomic.ts'))};
      writeFileAtomic(${JSON.stringify(join(d, 'big.bin'))}, new Uint8Array(200 << 20));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const t0 = Date.now();
    while (!readdirSync(d).some((f) => f.endsWith('.tmp') && statSync(join(d, f)).size > 0) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const left = readdirSync(d).filter((f) => f.endsWith('.tmp'));
    expect(left.length).toBe(1);
    expect(left[0]).toMatch(new RegExp(`^\\.big\\.bin\\.${child.pid}\\.\\d+\\.\\d+\\.tmp$`));
    writeNpy(join(d, 'big.bin'), new NDArray(new Float32Array(2), [2]));
    expect(readdirSync(d)).toEqual(['big.bin']);
  });

  it('.gitignore matches the temporary files of writeFileAtomic', (ctx) => {
    let git = true;
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
    } catch {
      git = false;
    }
    needs(ctx, 'git', git, 'the test command installs it on Debian and Ubuntu');
    // in a scratch repository holding only the project's .gitignore: the tree may be a copy
    // without .git (an archive), and the patterns are what is under test
    const repo = mkdtempSync(join(tmpdir(), 'gitignore-'));
    try {
      expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
      copyFileSync(join(process.cwd(), '.gitignore'), join(repo, '.gitignore'));
      for (const p of ['data/roots/.test-images.npy.41213.1764499200000.0.tmp', '.big.fits.7.1.2.tmp']) {
        expect(spawnSync('git', ['check-ignore', '-q', '--no-index', p], { cwd: repo }).status, p).toBe(0);
      }
      // and a file that must stay tracked is not ignored
      expect(spawnSync('git', ['check-ignore', '-q', '--no-index', 'data/README.md'], { cwd: repo }).status).toBe(1);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
