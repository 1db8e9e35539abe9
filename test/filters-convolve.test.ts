import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { gaussianFilter, sobelH, sobelV } from '../lib/filters/index.js';
import { gaussianKernel1d } from '../lib/filters/convolve.js';
import { readNpy, writeNpy } from '../lib/io/index.js';
import { runPython } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'filters-convolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function image(R: number, C: number, seed: number, dtype: 'float32' | 'float64' | 'uint16' | 'uint8' = 'float32'): NDArray {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const a = NDArray.zeros([R, C], dtype);
  for (let i = 0; i < R * C; i++) {
    const v = 500 + 300 * Math.sin(i / 17) + 200 * rnd() + (rnd() < 0.03 ? 3000 : 0);
    a.data[i] = dtype === 'uint8' ? Math.round(v / 16) : dtype === 'uint16' ? Math.round(v) : v;
  }
  return a;
}

/** Largest |got − ref| / max(|ref|, floor), so values near 0 are judged on the image's scale. */
function maxRelErr(got: NDArray, ref: NDArray): number {
  let scale = 0;
  for (let i = 0; i < ref.size; i++) scale = Math.max(scale, Math.abs(ref.data[i]!));
  let worst = 0;
  for (let i = 0; i < ref.size; i++) {
    const r = ref.data[i]!;
    const e = Math.abs(got.data[i]! - r) / Math.max(Math.abs(r), 1e-3 * scale);
    if (e > worst) worst = e;
  }
  return worst;
}

interface Case {
  name: string;
  img: NDArray;
  py: string; // expression of `a` in Python
  run: (a: NDArray) => NDArray;
  mask?: NDArray;
}

const mask = NDArray.zeros([30, 40], 'bool');
for (let r = 3; r < 25; r++) for (let c = 5; c < 38; c++) mask.data[r * 40 + c] = r === 12 && c === 20 ? 0 : 1;

const cases: Case[] = [
  { name: 'gaussian sigma 1 float32', img: image(40, 50, 1), py: 'gaussian(a, 1)', run: (a) => gaussianFilter(a, 1) },
  { name: 'gaussian sigma 5 float32 (kernel wider than the image)', img: image(30, 35, 2), py: 'gaussian(a, 5)', run: (a) => gaussianFilter(a, 5) },
  { name: 'gaussian sigma 0.4 float64', img: image(20, 21, 3, 'float64'), py: 'gaussian(a, 0.4)', run: (a) => gaussianFilter(a, 0.4) },
  { name: 'gaussian sigma (2, 0.5)', img: image(25, 26, 4), py: 'gaussian(a, (2, 0.5))', run: (a) => gaussianFilter(a, [2, 0.5]) },
  { name: 'gaussian truncate 2', img: image(25, 26, 5), py: 'gaussian(a, 3, truncate=2)', run: (a) => gaussianFilter(a, 3, { truncate: 2 }) },
  { name: 'gaussian uint16 (img_as_float)', img: image(22, 23, 6, 'uint16'), py: 'gaussian(a, 2)', run: (a) => gaussianFilter(a, 2) },
  { name: 'gaussian uint16 preserve_range', img: image(22, 23, 7, 'uint16'), py: 'gaussian(a, 2, preserve_range=True)', run: (a) => gaussianFilter(a, 2, { preserveRange: true }) },
  { name: 'gaussian 1-row image', img: image(1, 30, 8), py: 'gaussian(a, 2)', run: (a) => gaussianFilter(a, 2) },
  { name: 'sobel_h float32', img: image(30, 40, 9), py: 'sobel_h(a)', run: (a) => sobelH(a) },
  { name: 'sobel_v float32', img: image(30, 40, 10), py: 'sobel_v(a)', run: (a) => sobelV(a) },
  { name: 'sobel_h uint16 (img_as_float)', img: image(30, 40, 11, 'uint16'), py: 'sobel_h(a)', run: (a) => sobelH(a) },
  { name: 'sobel_v uint8 float64 result', img: image(30, 40, 12, 'uint8'), py: 'sobel_v(a)', run: (a) => sobelV(a) },
  { name: 'sobel_h float64 with mask', img: image(30, 40, 13, 'float64'), py: 'sobel_h(a, mask=m)', run: (a) => sobelH(a, { mask }), mask },
  { name: 'sobel_v float32 with mask', img: image(30, 40, 14), py: 'sobel_v(a, mask=m)', run: (a) => sobelV(a, { mask }), mask },
];

describe('gaussianFilter and sobelH/V match scikit-image 0.19 within 1e-5 relative', () => {
  const jobs = cases.map((c, i) => {
    const file = join(dir, `in${i}.npy`);
    writeNpy(file, c.img);
    if (c.mask) writeNpy(join(dir, `mask${i}.npy`), c.mask);
    return { file, mask: c.mask ? join(dir, `mask${i}.npy`) : null, expr: c.py, out: join(dir, `out${i}.npy`) };
  });
  runPython(
    `
import sys, json, numpy as np
from skimage.filters import gaussian, sobel_h, sobel_v
for j in json.loads(sys.argv[1]):
    a = np.load(j['file'])
    m = np.load(j['mask']) if j['mask'] else None
    np.save(j['out'], eval(j['expr']))
`,
    [JSON.stringify(jobs)],
  );
  cases.forEach((c, i) => {
    it(c.name, () => {
      const ref = readNpy(jobs[i]!.out);
      const got = c.run(c.img);
      expect(got.dtype).toBe(ref.dtype);
      expect(got.shape).toEqual(ref.shape);
      expect(maxRelErr(got, ref)).toBeLessThan(1e-5);
    });
  });

  it('uses scipy.ndimage kernel weights', () => {
    const ref = JSON.parse(
      runPython(`
import json
from scipy.ndimage._filters import _gaussian_kernel1d
print(json.dumps([_gaussian_kernel1d(s, 0, int(4 * s + 0.5)).tolist() for s in (0.4, 1, 2.5)]))
`),
    ) as number[][];
    [0.4, 1, 2.5].forEach((s, i) => {
      const w = Array.from(gaussianKernel1d(s));
      expect(w.length).toBe(ref[i]!.length);
      w.forEach((v, j) => expect(v).toBeCloseTo(ref[i]![j]!, 15));
    });
  });

  it('rejects bad arguments', () => {
    expect(() => gaussianFilter(image(5, 5, 1), -1)).toThrow(/sigma/);
    expect(() => sobelH(NDArray.zeros([2, 2, 2]))).toThrow(/2-D/);
    expect(() => sobelV(image(5, 5, 1), { mask: NDArray.zeros([4, 5], 'bool') })).toThrow(/mask shape/);
  });
});
