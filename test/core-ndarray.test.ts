import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { pythonJson } from './helpers/python.js';

describe('NDArray', () => {
  const a = new NDArray(Float32Array.from({ length: 4 * 6 * 3 }, (_, i) => i), [4, 6, 3]);

  it('slices like numpy (crops, steps, single index)', () => {
    const ref = pythonJson(`
import numpy as np, json
a = np.arange(72, dtype=np.float32).reshape(4, 6, 3)
print(json.dumps({"crop": a[1:3, 2:5].tolist(), "step": a[::2, ::4].tolist(), "ch": a[:, :, 1].tolist(), "neg": a[-2:, -3:-1, 0].tolist()}))
`) as Record<string, unknown>;
    expect(a.slice([1, 3], [2, 5]).toNested()).toEqual(ref.crop);
    expect(a.slice([0, 4, 2], [0, 6, 4]).toNested()).toEqual(ref.step);
    expect(a.channel(1).toNested()).toEqual(ref.ch);
    expect(a.slice([-2, 4], [-3, -1], 0).toNested()).toEqual(ref.neg);
  });

  it('row crops and reshapes share memory', () => {
    const rows = a.slice([1, 3]);
    expect(rows.data.buffer).toBe(a.data.buffer);
    expect(rows.shape).toEqual([2, 6, 3]);
    const flat = a.reshape([-1, 3]);
    expect(flat.shape).toEqual([24, 3]);
    expect(flat.get(7, 2)).toBe(a.get(1, 1, 2));
    expect(() => a.reshape([5, -1])).toThrow(/cannot reshape/);
  });

  it('reduces like numpy', () => {
    const ref = pythonJson(`
import numpy as np, json
a = np.arange(72, dtype=np.float32).reshape(4, 6, 3)
print(json.dumps({"m": float(a.mean()), "s": float(a.std()), "m2": a.mean(axis=2).tolist(), "m0": a.mean(axis=0).tolist()}))
`) as { m: number; s: number; m2: number[][]; m0: number[][] };
    expect(a.mean()).toBeCloseTo(ref.m, 10);
    expect(a.std()).toBeCloseTo(ref.s, 5);
    expect(a.mean(2).toNested()).toEqual(ref.m2);
    expect(a.mean(0).toNested()).toEqual(ref.m0);
    expect(a.min()).toBe(0);
    expect(a.max()).toBe(71);
  });

  it('rejects data that does not match the shape', () => {
    expect(() => new NDArray(new Float32Array(5), [2, 3])).toThrow(/5 elements but shape \[2, 3\] needs 6/);
    expect(() => a.get(4, 0, 0)).toThrow(/out of range/);
  });
});
