import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { absDiff, normalizeImage, spotCleaner, splitTiles, thresholdImage } from '../lib/filters/index.js';
import { readNpy, writeNpy } from '../lib/io/index.js';
import { pythonJson, runPython } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'filters-basic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function counts(R: number, C: number, seed: number): NDArray {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const a = NDArray.zeros([R, C], 'uint16');
  for (let i = 0; i < R * C; i++) a.data[i] = Math.round(1500 + 400 * rnd() + (rnd() < 0.04 ? 2000 + 20000 * rnd() : 0));
  return a;
}

describe('spotCleaner', () => {
  it("matches the lecture's Python spotCleaner (skimage median, threshold on |f − median|)", () => {
    const img = counts(60, 70, 3);
    writeNpy(join(dir, 'spots.npy'), img);
    runPython(
      `
import sys, numpy as np
from skimage.filters import median
def spotCleaner(img, threshold=0.95, selem=np.ones([3, 3])):
    fimg = img.astype('float32')
    mimg = median(fimg, selem)
    timg = threshold < np.abs(fimg - mimg)
    cleaned = mimg * timg + fimg * (1 - timg)
    return (cleaned, timg)
a = np.load(sys.argv[1])
for size in (3, 5):
    c, d = spotCleaner(a, 1000, np.ones([size, size]))
    np.save(sys.argv[2] + f'_c{size}.npy', c.astype(np.float32)); np.save(sys.argv[2] + f'_d{size}.npy', d)
`,
      [join(dir, 'spots.npy'), join(dir, 'ref')],
    );
    for (const size of [3, 5]) {
      const { cleaned, detection } = spotCleaner(img, 1000, size);
      const refC = readNpy(join(dir, `ref_c${size}.npy`));
      const refD = readNpy(join(dir, `ref_d${size}.npy`));
      expect(detection.dtype).toBe('bool');
      expect(refD.dtype).toBe('bool');
      expect(Array.from(detection.data)).toEqual(Array.from(refD.data));
      expect(Array.from(cleaned.data)).toEqual(Array.from(refC.data));
      expect(detection.sum()).toBeGreaterThan(10); // the test image has spots to find
    }
  });

  it('rejects a non-2-D image and a bad threshold', () => {
    expect(() => spotCleaner(NDArray.zeros([2, 2, 2]), 10)).toThrow(/2-D/);
    expect(() => spotCleaner(NDArray.zeros([4, 4]), Number.NaN)).toThrow(/threshold/);
  });
});

describe('point operations', () => {
  it('absDiff, thresholdImage, normalizeImage agree with numpy float32', () => {
    const a = new NDArray(Float32Array.from([1.5, -2.25, 3e7, 0.1, 7, 1e-8]), [2, 3]);
    const b = new NDArray(Float32Array.from([0.25, 4, -3e-7, 0.3, 7, 2e-8]), [2, 3]);
    const ref = pythonJson<{ d: number[]; t: boolean[]; n: number[]; n2: number[] }>(`
import json, numpy as np
a = np.array([1.5, -2.25, 3e7, 0.1, 7, 1e-8], np.float32); b = np.array([0.25, 4, -3e-7, 0.3, 7, 2e-8], np.float32)
n = (a.astype(np.float64) - a.astype(np.float64).mean()) / a.astype(np.float64).std()
print(json.dumps({"d": np.abs(a - b).tolist(), "t": (a > 0.1).tolist(), "n": n.astype(np.float32).tolist(),
  "n2": ((a.astype(np.float64) - 2) / 4).astype(np.float32).tolist()}))
`);
    expect(Array.from(absDiff(a, b).data)).toEqual(ref.d);
    expect(Array.from(thresholdImage(a, 0.1).data)).toEqual(ref.t.map(Number));
    expect(thresholdImage(a, 0.1).dtype).toBe('bool');
    const n = normalizeImage(a);
    n.data.forEach((v, i) => expect(v).toBeCloseTo(ref.n[i]!, 6));
    expect(Array.from(normalizeImage(a, 2, 4).data)).toEqual(ref.n2);
  });

  it('absDiff on uint16 gives the true difference (no wrap-around)', () => {
    const a = new NDArray(Uint16Array.from([3, 60000]), [2]);
    const b = new NDArray(Uint16Array.from([5, 10]), [2]);
    expect(Array.from(absDiff(a, b).data)).toEqual([2, 59990]);
  });

  it('rejects mismatched shapes and constant images', () => {
    expect(() => absDiff(NDArray.zeros([2, 3]), NDArray.zeros([3, 2]))).toThrow(/shapes differ/);
    expect(() => normalizeImage(NDArray.zeros([4, 4]))).toThrow(/std/);
  });
});

describe('splitTiles', () => {
  const img = new NDArray(Float32Array.from({ length: 7 * 10 }, (_, i) => i), [7, 10]);

  it('uses rows and columns each with their own size (not the row count twice)', () => {
    const t = splitTiles(img, [3, 4]);
    expect(t.length).toBe(2 * 2); // whole tiles only: rows 0-5, cols 0-7
    expect(t.every((x) => x.shape[0] === 3 && x.shape[1] === 4)).toBe(true);
    const ref = pythonJson<number[][][]>(`
import json, numpy as np
a = np.arange(70, dtype=np.float32).reshape(7, 10)
print(json.dumps([a[r:r+3, c:c+4].tolist() for r in range(0, 6, 3) for c in range(0, 8, 4)]))
`);
    expect(t.map((x) => x.toNested())).toEqual(ref);
  });

  it('returns partial edge tiles on request, and handles stacks', () => {
    const t = splitTiles(img, [3, 4], { partial: true });
    expect(t.length).toBe(3 * 3);
    expect(t[8]!.shape).toEqual([1, 2]);
    expect(t[8]!.toNested()).toEqual([[68, 69]]);
    const stack = NDArray.zeros([4, 4, 3]);
    expect(splitTiles(stack, 2).map((x) => x.shape)).toEqual([[2, 2, 3], [2, 2, 3], [2, 2, 3], [2, 2, 3]]);
    expect(() => splitTiles(img, [0, 2])).toThrow(/splitTiles: tile rows must be a positive integer, got 0/);
    expect(splitTiles(NDArray.zeros([130, 200])).map((x) => x.shape)).toEqual(Array(6).fill([64, 64]));
  });
});
