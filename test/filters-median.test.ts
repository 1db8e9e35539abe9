import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { medianFilter } from '../lib/filters/index.js';
import { readNpy, writeNpy } from '../lib/io/index.js';
import { runPython } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'filters-median-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic test image with ties, outliers and a smooth part. */
function testImage(R: number, C: number, seed: number, dtype: 'float32' | 'uint16' | 'uint8' = 'float32'): NDArray {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const a = NDArray.zeros([R, C], dtype);
  for (let i = 0; i < R * C; i++) {
    const r = Math.floor(i / C);
    const c = i % C;
    let v = 100 + 50 * Math.sin(r / 5) * Math.cos(c / 7) + 20 * rnd();
    if (rnd() < 0.05) v += 3000 * rnd(); // spots
    if (rnd() < 0.1) v = 120; // ties
    a.data[i] = dtype === 'uint8' ? Math.min(255, Math.round(v / 16)) : dtype === 'uint16' ? Math.round(v) : Math.fround(v);
  }
  return a;
}

/** skimage.filters.median on each image file with footprint ones((k, k)). */
function skimageMedian(cases: { file: string; size: number; out: string }[]): void {
  runPython(
    `
import sys, json, numpy as np
from skimage.filters import median
for c in json.loads(sys.argv[1]):
    a = np.load(c['file'])
    np.save(c['out'], median(a, np.ones((c['size'], c['size']), dtype=bool)))
`,
    [JSON.stringify(cases)],
  );
}

describe('medianFilter matches skimage.filters.median exactly', () => {
  const shapes: [number, number][] = [
    [37, 53],
    [1, 9],
    [9, 1],
    [2, 2],
    [64, 48],
  ];
  const cases: { name: string; img: NDArray; size: number }[] = [];
  shapes.forEach(([R, C], i) => {
    for (const size of [3, 5, 7]) cases.push({ name: `float32 ${R}x${C} size ${size}`, img: testImage(R, C, 11 + i), size });
  });
  cases.push({ name: 'float32 40x40 size 11', img: testImage(40, 40, 5), size: 11 });
  cases.push({ name: 'float32 20x30 size 1', img: testImage(20, 30, 6), size: 1 });
  const neg = testImage(31, 27, 12);
  for (let i = 0; i < neg.size; i += 3) neg.data[i] = -neg.data[i]!;
  cases.push({ name: 'float32 with negative values 31x27 size 3', img: neg, size: 3 });
  cases.push({ name: 'float64 31x27 size 3', img: neg.astype('float64'), size: 3 });
  cases.push({ name: 'int16 31x27 size 3', img: neg.astype('int16'), size: 3 });
  cases.push({ name: 'uint16 33x29 size 3', img: testImage(33, 29, 7, 'uint16'), size: 3 });
  cases.push({ name: 'uint16 33x29 size 5', img: testImage(33, 29, 8, 'uint16'), size: 5 });
  cases.push({ name: 'uint8 25x31 size 3', img: testImage(25, 31, 9, 'uint8'), size: 3 });
  cases.push({ name: 'uint8 25x31 size 9', img: testImage(25, 31, 10, 'uint8'), size: 9 });
  const files = cases.map((c, i) => {
    const file = join(dir, `in${i}.npy`);
    writeNpy(file, c.img);
    return { file, size: c.size, out: join(dir, `out${i}.npy`) };
  });
  skimageMedian(files);

  cases.forEach((c, i) => {
    it(c.name, () => {
      const ref = readNpy(files[i]!.out);
      const got = medianFilter(c.img, c.size);
      expect(got.dtype).toBe(ref.dtype);
      expect(got.shape).toEqual(ref.shape);
      let bad = 0;
      for (let j = 0; j < ref.size; j++) if (got.data[j] !== ref.data[j]) bad++;
      expect(bad).toBe(0);
    });
  });

  it('filters a [rows, cols, bands] stack band by band', () => {
    const a = testImage(12, 10, 3);
    const b = testImage(12, 10, 4);
    const stack = NDArray.zeros([12, 10, 2]);
    for (let i = 0; i < 120; i++) {
      stack.data[2 * i] = a.data[i]!;
      stack.data[2 * i + 1] = b.data[i]!;
    }
    const m = medianFilter(stack, 3);
    expect(m.shape).toEqual([12, 10, 2]);
    expect(m.channel(1).toNested()).toEqual(medianFilter(b, 3).toNested());
  });

  it('rejects even or invalid sizes and non-2-D input', () => {
    expect(() => medianFilter(testImage(5, 5, 1), 4)).toThrow(/odd/);
    expect(() => medianFilter(testImage(5, 5, 1), 0)).toThrow(/odd/);
    expect(() => medianFilter(new NDArray(new Float32Array(8), [2, 2, 2, 1]), 3)).toThrow(/2-D/);
  });
});
