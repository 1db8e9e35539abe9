import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTiff } from '../lib/io/index.js';
import { pythonJson } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'io-tiff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTiff reads what tifffile writes', () => {
  const ref = pythonJson<Record<string, { shape: number[]; values: number[]; dtype: string }>>(
    `
import sys, json, numpy as np, tifffile
d = sys.argv[1]; rng = np.random.default_rng(3); out = {}
u16 = rng.integers(0, 65536, (9, 11)).astype(np.uint16)
cases = {
  'u16': (u16, {}),
  'u16_be': (u16, {'byteorder': '>'}),
  'u16_zlib': (u16, {'compression': 'zlib'}),
  'u16_zlib_pred': (u16, {'compression': 'zlib', 'predictor': True}),
  'u16_strips': (u16, {'rowsperstrip': 2}),
  'u16_tiles': (rng.integers(0, 65536, (40, 40)).astype(np.uint16), {'tile': (16, 16)}),
  'u8_rgb': (rng.integers(0, 256, (5, 6, 3), dtype=np.uint8), {'photometric': 'rgb'}),
  'i16': (rng.integers(-32768, 32768, (4, 5)).astype(np.int16), {}),
  'i32_be': (rng.integers(-2**31, 2**31, (3, 4)).astype(np.int32), {'byteorder': '>'}),
  'u32': (np.array([[0, 2**32 - 1]], np.uint32), {}),
  'f32': (rng.normal(size=(6, 5)).astype(np.float32), {}),
  'f32_be': (rng.normal(size=(6, 5)).astype(np.float32), {'byteorder': '>'}),
  'f64_be': (rng.normal(size=(4, 3)), {'byteorder': '>'}),
}
for k, (a, kw) in cases.items():
    tifffile.imwrite(f'{d}/{k}.tif', a, **kw)
    b = tifffile.imread(f'{d}/{k}.tif')
    out[k] = {'shape': list(b.shape), 'values': b.astype(np.float64).ravel().tolist(), 'dtype': b.dtype.name}
from PIL import Image
g8 = rng.integers(0, 256, (7, 9), dtype=np.uint8)
for comp in ('tiff_lzw', 'packbits'):
    Image.fromarray(g8).save(f'{d}/pil_{comp}.tif', compression=comp)
    b = np.asarray(Image.open(f'{d}/pil_{comp}.tif'))
    out[f'pil_{comp}'] = {'shape': list(b.shape), 'values': b.astype(np.float64).ravel().tolist(), 'dtype': b.dtype.name}
stack = rng.integers(0, 65536, (3, 4, 5)).astype(np.uint16)
with tifffile.TiffWriter(f'{d}/pages.tif') as tw:
    for page in stack: tw.write(page)
tifffile.imwrite(f'{d}/planar.tif', stack)
out['page2'] = {'shape': [4, 5], 'values': stack[2].astype(np.float64).ravel().tolist(), 'dtype': 'uint16'}
print(json.dumps(out))
`,
    [dir],
  );
  for (const k of Object.keys(ref)) {
    it(`${k}: ${ref[k]!.dtype} ${ref[k]!.shape.join('×')}`, () => {
      const a = k === 'page2' ? readTiff(join(dir, 'pages.tif'), { page: 2 }) : readTiff(join(dir, `${k}.tif`));
      expect(a.dtype).toBe(ref[k]!.dtype);
      expect(a.shape).toEqual(ref[k]!.shape);
      expect(Array.from(a.data, Number)).toEqual(ref[k]!.values);
    });
  }
  it('rejects planar configuration 2 clearly', () => {
    expect(() => readTiff(join(dir, 'planar.tif'))).toThrow(/planar\.tif: planar configuration 2 not supported/);
  });
});
