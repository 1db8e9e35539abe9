/**
 * randomSplit and randomCrops: parts of the asked sizes that cover every sample exactly once,
 * the same for the same seed; crops that are real windows of the images (checked against
 * numpy slicing of the same windows) with the mask's window beside them.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { mulberry32 } from '../lib/core/random.js';
import { randomCrops, randomSplit } from '../lib/nn/datasets.js';
import { pythonJson } from './helpers/python.js';

describe('randomSplit', () => {
  it('cuts a seeded shuffle into parts of the given fractions', () => {
    const [a, b, c] = randomSplit(1024, [0.7, 0.15, 0.15], { seed: 2018 });
    expect([a!.length, b!.length, c!.length]).toEqual([718, 153, 153]);
    expect([...a!, ...b!, ...c!].sort((p, q) => p - q)).toEqual(Array.from({ length: 1024 }, (_, i) => i));
    expect(randomSplit(1024, [0.7, 0.15, 0.15], { seed: 2018 })).toEqual([a, b, c]);
    expect(randomSplit(1024, [0.7, 0.15, 0.15], { seed: 1 })[0]).not.toEqual(a);
    // shuffled, not in order
    expect(a!.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('refuses fractions that are not a partition', () => {
    expect(() => randomSplit(10, [0.7, 0.2])).toThrow(/randomSplit: fractions must sum to 1, got 0.9/);
    expect(() => randomSplit(10, [1.2, -0.2])).toThrow(/randomSplit: fractions must be positive numbers/);
    expect(() => randomSplit(2.5, [1])).toThrow(/randomSplit: n must be a whole number/);
  });
});

describe('randomCrops', () => {
  const images = new NDArray(Float32Array.from({ length: 3 * 12 * 10 }, (_, i) => i), [3, 12, 10]);
  const masks = images.map((v) => (v % 7 === 0 ? 1 : 0));

  it('cuts the same window out of image and mask, mirrored when drawn so', () => {
    // replay the generator to know the windows, then cut them with numpy
    const draws = mulberry32(5);
    const windows = Array.from({ length: 6 }, (_, j) => ({
      k: Math.floor(j / 2), r: Math.floor(draws() * 5), c: Math.floor(draws() * 3), flip: draws() < 0.5,
    }));
    const { x, y } = randomCrops(images, masks, 8, { perImage: 2, random: mulberry32(5) });
    expect(x.shape).toEqual([6, 8, 8]);
    const ref = pythonJson<number[][][]>(`
import json, numpy as np
a = np.arange(3 * 12 * 10, dtype=np.float32).reshape(3, 12, 10)
w = json.loads('${JSON.stringify(windows)}')
out = [a[d['k'], d['r']:d['r'] + 8, d['c']:d['c'] + 8] for d in w]
print(json.dumps([(o[:, ::-1] if d['flip'] else o).tolist() for o, d in zip(out, w)]))
`);
    expect(x.toNested()).toEqual(ref);
    expect(y.toNested()).toEqual(ref.map((c) => c.map((row) => row.map((v) => (v % 7 === 0 ? 1 : 0)))));
    expect(windows.some((w) => w.flip)).toBe(true);
  });

  it('refuses a crop larger than the images and mismatched masks', () => {
    expect(() => randomCrops(images, masks, 11)).toThrow(/randomCrops: size must be a whole number from 1 to 10 \(the images are 12 × 10\), got 11/);
    expect(() => randomCrops(images, masks.slice([0, 2]), 4)).toThrow(/randomCrops: masks must have the images' shape/);
  });
});
