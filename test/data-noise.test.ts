/**
 * lib/data/noise.ts: Poisson counts have the mean and variance of their expected value (so
 * SNR ≈ √N), are reproducible with a seed, and bad expected counts are refused.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { poissonNoise } from '../lib/data/noise.js';

describe('poissonNoise', () => {
  it.each([4, 100, 1000])('mean and variance equal the expected count %i', (N) => {
    const counts = poissonNoise(NDArray.zeros([100, 100]).map(() => N), { seed: 1 });
    const mean = counts.mean();
    const variance = counts.std() ** 2;
    expect(Math.abs(mean - N)).toBeLessThan(4 * Math.sqrt(N / counts.size));
    expect(variance / N).toBeGreaterThan(0.94);
    expect(variance / N).toBeLessThan(1.06);
    expect(counts.data.every(Number.isInteger)).toBe(true);
  });

  it('keeps the shape, repeats with the same seed, changes with another', () => {
    const expected = NDArray.zeros([3, 4, 2]).map((_, i) => i);
    const a = poissonNoise(expected, { seed: 5 });
    expect(a.shape).toEqual([3, 4, 2]);
    expect(poissonNoise(expected, { seed: 5 }).data).toEqual(a.data);
    expect(poissonNoise(expected, { seed: 6 }).data).not.toEqual(a.data);
    expect(a.data[0]).toBe(0);
  });

  it('refuses negative or non-finite expected counts', () => {
    expect(() => poissonNoise(NDArray.fromNested([1, -2]))).toThrow(/poissonNoise: expected counts must be finite and ≥ 0, got -2 at element 1/);
    expect(() => poissonNoise(NDArray.fromNested([NaN]))).toThrow(/poissonNoise: .* got NaN/);
  });
});
