import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { readPng, readTiff, writePng } from '../lib/io/index.js';
import { encodePng } from '../lib/io/png.js';
import { pythonJson } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'io-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A minimal, independent PNG codec in Python (zlib + the five row filters): PIL cannot do 16-bit RGB. */
const PYPNG = `
import zlib, struct, numpy as np
def decode_png(path):
    b = open(path, 'rb').read()
    assert b[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
    pos, idat = 8, b''
    while pos < len(b):
        n, t = struct.unpack('>I4s', b[pos:pos + 8]); body = b[pos + 8:pos + 8 + n]; pos += 12 + n
        if t == b'IHDR': w, h, depth, ct, _, _, il = struct.unpack('>IIBBBBB', body)
        elif t == b'IDAT': idat += body
    assert il == 0
    ch = {0: 1, 2: 3, 4: 2, 6: 4}[ct]; bpp = ch * depth // 8; stride = w * bpp
    raw = zlib.decompress(idat); out = bytearray(); prev = bytearray(stride)
    for r in range(h):
        f = raw[r * (stride + 1)]; line = bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0; up = prev[i]; c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + up) & 255
            elif f == 3: line[i] = (line[i] + (a + up) // 2) & 255
            elif f == 4:
                p = a + up - c; pa, pb, pc = abs(p - a), abs(p - up), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
        out += line; prev = line
    arr = np.frombuffer(bytes(out), '>u2' if depth == 16 else 'u1').reshape(h, w, ch)
    return (arr[:, :, 0] if ch == 1 else arr), depth, ct
def encode_png(path, arr, depth):
    a = arr if arr.ndim == 3 else arr[:, :, None]
    h, w, ch = a.shape; ct = {1: 0, 2: 4, 3: 2, 4: 6}[ch]
    data = a.astype('>u2' if depth == 16 else 'u1').tobytes(); stride = w * ch * depth // 8
    raw = b''.join(b'\\x00' + data[r * stride:(r + 1) * stride] for r in range(h))
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    open(path, 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, ct, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
`;

describe('readPng reads what PIL (and a reference encoder) write', () => {
  const ref = pythonJson<Record<string, { shape: number[]; values: number[]; dtype: string }>>(
    `${PYPNG}
import sys, json
from PIL import Image
d = sys.argv[1]; rng = np.random.default_rng(2); out = {}
def put(k, a): out[k] = {'shape': list(a.shape), 'values': a.astype(np.float64).ravel().tolist(), 'dtype': 'bool' if a.dtype == bool else a.dtype.name}
g8 = rng.integers(0, 256, (5, 7), dtype=np.uint8); Image.fromarray(g8).save(f'{d}/g8.png'); put('g8', np.asarray(Image.open(f'{d}/g8.png')))
g16 = rng.integers(0, 65536, (4, 6)).astype(np.uint16); Image.fromarray(g16).save(f'{d}/g16.png'); put('g16', np.asarray(Image.open(f'{d}/g16.png')).astype(np.uint16))
rgb = rng.integers(0, 256, (3, 4, 3), dtype=np.uint8); Image.fromarray(rgb).save(f'{d}/rgb.png'); put('rgb', np.asarray(Image.open(f'{d}/rgb.png')))
rgba = rng.integers(0, 256, (3, 4, 4), dtype=np.uint8); Image.fromarray(rgba).save(f'{d}/rgba.png'); put('rgba', np.asarray(Image.open(f'{d}/rgba.png')))
la = rng.integers(0, 256, (2, 5, 2), dtype=np.uint8); Image.fromarray(la, 'LA').save(f'{d}/la.png'); put('la', np.asarray(Image.open(f'{d}/la.png')))
p = Image.fromarray(rgb).convert('P', palette=Image.ADAPTIVE, colors=5); p.save(f'{d}/pal.png'); put('pal', np.asarray(Image.open(f'{d}/pal.png').convert('RGB')))
b1 = rng.random((6, 10)) > 0.5; Image.fromarray(b1).save(f'{d}/b1.png'); put('b1', np.asarray(Image.open(f'{d}/b1.png')).astype(np.uint8))
rgb16 = rng.integers(0, 65536, (3, 2, 3)).astype(np.uint16); encode_png(f'{d}/rgb16.png', rgb16, 16); put('rgb16', rgb16)
rgba16 = rng.integers(0, 65536, (2, 3, 4)).astype(np.uint16); encode_png(f'{d}/rgba16.png', rgba16, 16); put('rgba16', rgba16)
print(json.dumps(out))
`,
    [dir],
  );
  const want: Record<string, string> = {
    g8: 'uint8', g16: 'uint16', rgb: 'uint8', rgba: 'uint8', la: 'uint8', pal: 'uint8', b1: 'uint8', rgb16: 'uint16', rgba16: 'uint16',
  };
  for (const [k, dtype] of Object.entries(want)) {
    it(`${k}: ${ref[k]!.shape.join('×')} ${dtype}`, () => {
      const a = readPng(join(dir, `${k}.png`));
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual(ref[k]!.shape);
      expect(Array.from(a.data, Number)).toEqual(ref[k]!.values);
    });
  }
  it("channel access for annotation masks: png[:, :, 1] == 0", () => {
    const png = readPng(join(dir, 'rgb.png'));
    const mask = png.channel(1).eq(0);
    expect(mask.shape).toEqual([3, 4]);
    expect(mask.dtype).toBe('bool');
  });
});

describe('writePng: PIL and a reference decoder read back identically', () => {
  const arrays: Record<string, NDArray> = {
    g8: new NDArray(Uint8Array.from({ length: 35 }, (_, i) => (i * 37) % 256), [5, 7]),
    g16: new NDArray(Uint16Array.from({ length: 24 }, (_, i) => (i * 2731) % 65536), [4, 6]),
    g16c: new NDArray(Uint16Array.from({ length: 6 }, (_, i) => i * 13107), [2, 3, 1]),
    la: new NDArray(Uint8Array.from({ length: 20 }, (_, i) => i * 12), [2, 5, 2]),
    rgb: new NDArray(Uint8Array.from({ length: 36 }, (_, i) => (i * 53) % 256), [3, 4, 3]),
    rgba: new NDArray(Uint8Array.from({ length: 48 }, (_, i) => (i * 71) % 256), [3, 4, 4]),
    rgb16: new NDArray(Uint16Array.from({ length: 18 }, (_, i) => (i * 4099) % 65536), [3, 2, 3]),
    rgba16: new NDArray(Uint16Array.from({ length: 24 }, (_, i) => (i * 5003) % 65536), [2, 3, 4]),
  };
  it('every layout and bit depth', () => {
    for (const [k, a] of Object.entries(arrays)) writePng(join(dir, 'w', `${k}.png`), a);
    const res = pythonJson<Record<string, { shape: number[]; values: number[]; depth: number; pil?: number[] }>>(
      `${PYPNG}
import sys, json, glob, os
from PIL import Image
out = {}
for f in sorted(glob.glob(sys.argv[1] + '/w/*.png')):
    a, depth, ct = decode_png(f)
    r = {'shape': list(a.shape), 'values': a.astype(np.float64).ravel().tolist(), 'depth': depth}
    if depth == 8 or a.ndim == 2: r['pil'] = np.asarray(Image.open(f)).astype(np.float64).ravel().tolist()
    out[os.path.basename(f)[:-4]] = r
print(json.dumps(out))
`,
      [dir],
    );
    for (const [k, a] of Object.entries(arrays)) {
      const r = res[k]!;
      const shape = a.shape.length === 3 && a.shape[2] === 1 ? a.shape.slice(0, 2) : a.shape;
      expect(r.shape, k).toEqual(shape);
      expect(r.depth, k).toBe(a.dtype === 'uint16' ? 16 : 8);
      expect(r.values, k).toEqual(Array.from(a.data));
      if (r.pil) expect(r.pil, k).toEqual(Array.from(a.data));
      expect(Array.from(readPng(join(dir, 'w', `${k}.png`)).data), k).toEqual(Array.from(a.data));
    }
  });

  it('bool masks become 0/255 grey (like skimage.io.imsave); floats are rejected', () => {
    const mask = new NDArray(Uint8Array.from([0, 1, 1, 0]), [2, 2], 'bool');
    writePng(join(dir, 'mask.png'), mask);
    expect(Array.from(readPng(join(dir, 'mask.png')).data)).toEqual([0, 255, 255, 0]);
    expect(() => encodePng(NDArray.zeros([2, 2]))).toThrow(/dtype float32 not supported; convert to uint8 or uint16/);
    expect(() => encodePng(NDArray.zeros([2, 2, 5], 'uint8'))).toThrow(/5 channels/);
    expect(() => encodePng(NDArray.zeros([0, 2], 'uint8'))).toThrow(/empty/);
  });
});

describe('readPng and readTiff reject bad files with the file name and the problem', () => {
  const bad = (name: string, bytes: Uint8Array | string) => {
    mkdirSync(join(dir, 'bad'), { recursive: true });
    const p = join(dir, 'bad', name);
    writeFileSync(p, bytes);
    return p;
  };
  it('PNG: bad magic, truncated, corrupt', () => {
    expect(() => readPng(bad('fits.png', 'SIMPLE  =                    T'))).toThrow(/fits\.png: bad magic \(not a PNG file\)/);
    const g = readFileSync(join(dir, 'g16.png'));
    expect(() => readPng(bad('trunc.png', g.subarray(0, g.length - 30)))).toThrow(/trunc\.png: file truncated after \d+ of \d+ bytes \(inside chunk IDAT/);
    const c = Buffer.from(g);
    c[40] ^= 0xff; // inside the IDAT payload → CRC mismatch
    expect(() => readPng(bad('crc.png', c))).toThrow(/crc\.png: PNG is corrupt \(CRC error in chunk /);
    expect(() => readPng(join(dir, 'none.png'))).toThrow(/none\.png: cannot open file: no such file or directory/);
  });
  it('TIFF: bad magic, truncated strips', () => {
    expect(() => readTiff(bad('x.tif', 'not a tiff at all'))).toThrow(/x\.tif: bad magic/);
    pythonJson(`import sys, json, numpy as np, tifffile; tifffile.imwrite(sys.argv[1], np.arange(2000, dtype=np.uint16).reshape(40, 50)); print(1)`, [join(dir, 'ok.tif')]);
    const t = readFileSync(join(dir, 'ok.tif'));
    expect(() => readTiff(bad('trunc.tif', t.subarray(0, t.length - 100)))).toThrow(/trunc\.tif: file truncated after \d+ of \d+ bytes/);
    expect(() => readTiff(join(dir, 'ok.tif'), { page: 2 })).toThrow(/ok\.tif: page 2 not found/);
  });
});
