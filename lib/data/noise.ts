/**
 * Counting noise for the lecture's demonstrations: an image of expected counts turned into
 * one measurement, each pixel a Poisson draw (what a neutron detector records).
 *
 * Design: the draws come from the seeded generator the data sets use (`Rng.poisson`: exact
 * inversion for small means, PTRS above), so a notebook shows the same noisy image on every
 * run unless it asks for another seed.
 */
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D } from '../core/types.js';
import { Rng, deriveSeed } from './random.js';

/**
 * One noisy measurement of an image of expected counts: every pixel a Poisson draw with the
 * pixel's value as its mean (variance = mean, so SNR = √mean).
 *
 * @param expected expected counts per pixel (≥ 0), any shape
 * @param opts `seed` (default 2018)
 * @returns float32 counts, the shape of `expected`
 * @throws Error naming the first pixel that is negative or not a number
 * @example
 *   const counts = poissonNoise(NDArray.zeros([64, 64]).map(() => 100));   // mean 100, sd ≈ 10
 */
export function poissonNoise(expected: ArrayLike2D, opts: { seed?: number } = {}): NDArray<Float32Array> {
  if (!expected || !('data' in expected) || !('shape' in expected)) throw new Error('poissonNoise: expected must be an array with .data and .shape');
  const rng = new Rng(deriveSeed(opts.seed ?? 2018, 'poisson-noise'));
  const out = new Float32Array(expected.data.length);
  for (let i = 0; i < out.length; i++) {
    const mean = expected.data[i]!;
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new Error(`poissonNoise: expected counts must be finite and ≥ 0, got ${mean} at element ${i}`);
    out[i] = rng.poisson(mean);
  }
  return new NDArray(out, expected.shape);
}
