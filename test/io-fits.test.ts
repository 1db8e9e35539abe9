import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import type { DType } from '../lib/core/types.js';
import { readFits, readFitsHeader, writeFits } from '../lib/io/index.js';
import { fitsjsParseHeader } from '../lib/io/fitsjs.js';
import { pythonJson } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'io-fits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readFits reads what astropy writes', () => {
  const ref = pythonJson<Record<string, { dtype: string; shape: number[]; values: number[] }>>(
    `
import sys, json, numpy as np
from astropy.io import fits
d = sys.argv[1]
rng = np.random.default_rng(1)
arrays = {
  'u16': rng.integers(0, 65536, size=(6, 7)).astype(np.uint16),
  'i16': rng.integers(-32768, 32768, size=(5, 4)).astype(np.int16),
  'u8': rng.integers(0, 256, size=(3, 9)).astype(np.uint8),
  'i8': np.array([[-128, -1, 0, 127]], np.int8),
  'i32': rng.integers(-2**31, 2**31, size=(4, 4)).astype(np.int32),
  'u32': np.array([[0, 1, 2**31, 2**32 - 1]], np.uint32),
  'f32': rng.normal(size=(8, 5)).astype(np.float32),
  'f64': rng.normal(size=(5, 8)),
  'cube': rng.integers(0, 65536, size=(3, 4, 5)).astype(np.uint16),
  'line': np.linspace(0, 1, 11).astype(np.float32),
}
out = {}
for k, a in arrays.items():
    fits.PrimaryHDU(a).writeto(f'{d}/{k}.fits', overwrite=True)
# linear scaling (BSCALE 0.5, BZERO 10) on int16 → astropy gives float32
h = fits.PrimaryHDU(np.arange(12, dtype=np.int16).reshape(3, 4))
h.scale('int16', bscale=0.5, bzero=10)
h.writeto(f'{d}/scaled.fits', overwrite=True)
# image in the first extension, empty primary
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(arrays['f32'])]).writeto(f'{d}/ext.fits', overwrite=True)
for k in list(arrays) + ['scaled', 'ext']:
    a = fits.getdata(f'{d}/{k}.fits')
    out[k] = {'dtype': a.dtype.name, 'shape': list(a.shape), 'values': a.astype(np.float64).ravel().tolist()}
print(json.dumps(out))
`,
    [dir],
  );
  const dtypes: Record<string, DType> = {
    u16: 'uint16', i16: 'int16', u8: 'uint8', i8: 'int8', i32: 'int32', u32: 'uint32', f32: 'float32', f64: 'float64',
    cube: 'uint16', line: 'float32', scaled: 'float32', ext: 'float32',
  };
  for (const [k, dtype] of Object.entries(dtypes)) {
    it(`${k} → ${dtype}, same values and shape as astropy`, () => {
      const a = readFits(join(dir, `${k}.fits`));
      expect(a.dtype).toBe(dtype);
      expect(ref[k]!.dtype).toBe(dtype);
      expect(a.shape).toEqual(ref[k]!.shape);
      expect(Array.from(a.data, Number)).toEqual(ref[k]!.values);
    });
  }
  it('hdu option reads a given HDU and reports a missing one', () => {
    expect(readFits(join(dir, 'ext.fits'), { hdu: 1 }).shape).toEqual([8, 5]);
    expect(() => readFits(join(dir, 'u16.fits'), { hdu: 3 })).toThrow(/u16\.fits: HDU 3 not found/);
  });
});

describe('writeFits: astropy reads back identically', () => {
  const arrays: Record<string, NDArray> = {
    uint16: new NDArray(Uint16Array.from({ length: 20 }, (_, i) => (i * 3407) % 65536), [4, 5]),
    int16: new NDArray(Int16Array.from([-32768, -1, 0, 32767]), [2, 2]),
    uint8: new NDArray(Uint8Array.from([0, 255, 7]), [1, 3]),
    int8: new NDArray(Int8Array.from([-128, 127]), [2]),
    int32: new NDArray(Int32Array.from([-2147483648, 2147483647]), [2, 1]),
    uint32: new NDArray(Uint32Array.from([0, 4294967295, 2147483648]), [3]),
    float32: new NDArray(Float32Array.from([1.5, -0, Number.NaN, Infinity, 1e-45, 3.4e38]), [2, 3]),
    float64: new NDArray(Float64Array.from([Math.PI, -1e300, 5e-324, Number.NaN]), [2, 2]),
    cube: new NDArray(Float32Array.from({ length: 24 }, (_, i) => i / 3), [2, 3, 4]),
  };
  it('every dtype: values (bit for bit), dtype, shape, header cards; astropy verify passes', () => {
    for (const [k, a] of Object.entries(arrays)) {
      writeFits(join(dir, 'w', `${k}.fits`), a, {
        header: { OBJECT: "spot's frame", EXPTIME: 30.5, NFRAMES: 12, FLAG: true, TINY: 1.25e-12, COMMENT: ['written by neutron-seg', 'second line'] },
      });
    }
    const res = pythonJson<Record<string, { dtype: string; shape: number[]; hex: string; hdr: Record<string, unknown>; comments: string[] }>>(
      `
import sys, json, glob, os, numpy as np
from astropy.io import fits
out = {}
for f in sorted(glob.glob(sys.argv[1] + '/w/*.fits')):
    with fits.open(f) as h:
        h.verify('exception')
        a = h[0].data
        hd = h[0].header
        out[os.path.basename(f)[:-5]] = {'dtype': a.dtype.name, 'shape': list(a.shape), 'hex': a.astype(a.dtype.newbyteorder('<')).tobytes().hex(),
          'hdr': {k: hd[k] for k in ('OBJECT', 'EXPTIME', 'NFRAMES', 'FLAG', 'TINY')}, 'comments': list(hd['COMMENT'])}
print(json.dumps(out))
`,
      [dir],
    );
    for (const [k, a] of Object.entries(arrays)) {
      const r = res[k]!;
      expect(r.dtype, k).toBe(a.dtype);
      expect(r.shape, k).toEqual(a.shape);
      expect(r.hex, k).toBe(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('hex'));
      expect(r.hdr).toEqual({ OBJECT: "spot's frame", EXPTIME: 30.5, NFRAMES: 12, FLAG: true, TINY: 1.25e-12 });
      expect(r.comments).toEqual(['written by neutron-seg', 'second line']);
      const back = readFits(join(dir, 'w', `${k}.fits`));
      expect(back.dtype).toBe(a.dtype);
      expect(Buffer.from(back.data.buffer).equals(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength))).toBe(true);
    }
  });

  it('readFitsHeader gives the cards; file sizes are multiples of 2880', () => {
    const h = readFitsHeader(join(dir, 'w', 'uint16.fits'));
    expect(h.get('BITPIX')).toBe(16);
    expect(h.get('BZERO')).toBe(32768);
    expect(h.get('naxis1')).toBe(5);
    expect(h.get('OBJECT')).toBe("spot's frame");
    expect(h.get('FLAG')).toBe(true);
    expect(h.has('MISSING')).toBe(false);
    expect(h.cards.filter((c) => c.key === 'COMMENT').map((c) => c.comment)).toEqual(['written by neutron-seg', 'second line']);
    expect(readFileSync(join(dir, 'w', 'cube.fits')).length % 2880).toBe(0);
  });

  it('rejects bad header keywords and dtypes', () => {
    const img = NDArray.zeros([2, 2]);
    expect(() => writeFits(join(dir, 'x.fits'), img, { header: { BITPIX: 8 } })).toThrow(/BITPIX.*set by the writer/);
    expect(() => writeFits(join(dir, 'x.fits'), img, { header: { 'TOO-LONG-KEY': 1 } })).toThrow(/keyword/);
    expect(() => writeFits(join(dir, 'x.fits'), img, { header: { NOTE: 'é' } })).toThrow(/ASCII/);
    expect(() => writeFits(join(dir, 'x.fits'), NDArray.zeros([1, 1, 1, 1]))).toThrow(/1 to 3 axes/);
  });
});

describe('fitsjs', () => {
  it('parses and verifies headers (cross-checked with our parser)', () => {
    const bytes = readFileSync(join(dir, 'u16.fits'));
    const text = bytes.subarray(0, 2880).toString('latin1');
    const h = fitsjsParseHeader(text, 'u16.fits');
    expect(h.get('BITPIX')).toBe(16);
    expect(h.get('NAXIS1')).toBe(7);
    expect(h.get('NAXIS2')).toBe(6);
    expect(h.get('BZERO')).toBe(32768);
    expect(h.isPrimary()).toBe(true);
    expect(() => fitsjsParseHeader(text.replace('BITPIX  =                   16', 'BITPIX  =                   12'), 'x.fits')).toThrow(
      /x\.fits: invalid header \(fitsjs\): BITPIX value 12 is not permitted/,
    );
  });

  it("readFits decodes what fitsjs' own decoder gets wrong: uint16 counts ≥ 32768 and BITPIX −64 (astropy)", () => {
    // fitsjs 0.6.6 scales BZERO 32768 inside an Int16Array (41743 reads as −23793) and decodes
    // BITPIX −64 as float32 pairs; lib/io/fits.ts reads the data unit itself (see fitsjs.ts)
    const ref = pythonJson<{ u16: number[]; f64: number[] }>(
      `import sys, json, numpy as np
from astropy.io import fits
d = sys.argv[1]
fits.PrimaryHDU(np.array([[41743, 1000], [65535, 32768]], np.uint16)).writeto(f'{d}/fitsjs-u16.fits', overwrite=True)
fits.PrimaryHDU(np.array([np.pi, np.e, -1e300], np.float64)).writeto(f'{d}/fitsjs-f64.fits', overwrite=True)
print(json.dumps({k: fits.getdata(f'{d}/fitsjs-{k}.fits').astype(np.float64).ravel().tolist() for k in ['u16', 'f64']}))`,
      [dir],
    );
    expect(ref.u16).toEqual([41743, 1000, 65535, 32768]);
    expect(Array.from(readFits(join(dir, 'fitsjs-u16.fits')).data, Number)).toEqual(ref.u16);
    expect(Array.from(readFits(join(dir, 'fitsjs-f64.fits')).data, Number)).toEqual([Math.PI, Math.E, -1e300]);
    expect(Array.from(readFits(join(dir, 'fitsjs-f64.fits')).data, Number)).toEqual(ref.f64);
  });
});

describe('readFits rejects bad files with the file name and the problem', () => {
  const good = () => readFileSync(join(dir, 'u16.fits'));
  const bad = (name: string, bytes: Uint8Array | string) => {
    mkdirSync(join(dir, 'bad'), { recursive: true });
    const p = join(dir, 'bad', name);
    writeFileSync(p, bytes);
    return p;
  };
  it('truncated data unit', () => {
    const g = good();
    const p = bad('trunc.fits', g.subarray(0, 2880 + 50));
    expect(() => readFits(p)).toThrow(/trunc\.fits: file truncated: NAXIS \[7, 6\] of BITPIX 16 needs 84 data bytes, found 50/);
  });
  it('header without END (and a truncated header)', () => {
    const g = Buffer.from(good().subarray(0, 2880));
    const at = g.indexOf('END     ');
    g.write('        ', at, 'latin1');
    expect(() => readFits(bad('noend.fits', g))).toThrow(/noend\.fits: header has no END card/);
    expect(() => readFits(bad('short.fits', good().subarray(0, 400)))).toThrow(/short\.fits: file truncated inside the header/);
    expect(() => readFitsHeader(bad('empty.fits', ''))).toThrow(/empty\.fits: header has no END card/);
  });
  it('unsupported BITPIX', () => {
    for (const v of ['12', '64']) {
      const g = Buffer.from(good());
      g.write(`BITPIX  = ${v.padStart(20)}`, g.indexOf('BITPIX  ='), 'latin1');
      expect(() => readFits(bad(`bitpix${v}.fits`, g))).toThrow(new RegExp(`bitpix${v}\\.fits: unsupported BITPIX ${v}`));
    }
  });
  it('bad magic', () => {
    const p = bad('png.fits', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(3000, 32)]));
    expect(() => readFits(p)).toThrow(/png\.fits: bad magic: file does not start with 'SIMPLE  ='/);
  });
  it('size that does not match the shape (NAXIS too large for the data)', () => {
    const g = Buffer.from(good());
    g.write(`NAXIS2  = ${'60000'.padStart(20)}`, g.indexOf('NAXIS2  ='), 'latin1');
    expect(() => readFits(bad('naxis.fits', g))).toThrow(/naxis\.fits: file truncated: NAXIS \[7, 60000\].*needs 840000 data bytes, found 2880/);
  });
  it('NAXIS out of range (our own check, before fitsjs sees the header)', () => {
    const g = Buffer.from(good());
    g.write(`NAXIS   = ${'1000'.padStart(20)}`, g.indexOf('NAXIS   ='), 'latin1');
    expect(() => readFits(bad('naxis1000.fits', g))).toThrow(/naxis1000\.fits: header has no valid NAXIS/);
  });
  it('structural errors only fitsjs verification finds (EXTEND in an extension header)', () => {
    // ext.fits: an empty primary HDU, then an IMAGE extension whose header we give an EXTEND card
    const g = Buffer.from(readFileSync(join(dir, 'ext.fits')));
    const ext = g.indexOf('XTENSION=');
    const end = g.indexOf('END     ', ext);
    g.write(`EXTEND  = ${'T'.padStart(20)}`.padEnd(80) + 'END'.padEnd(80), end, 'latin1');
    expect(() => readFits(bad('extend.fits', g))).toThrow(/extend\.fits: invalid header \(fitsjs\): EXTEND must only appear in the primary header/);
  });
  it('missing file', () => {
    expect(() => readFits(join(dir, 'none.fits'))).toThrow(/none\.fits: cannot open file/);
  });
});
