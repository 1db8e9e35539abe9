/**
 * Small numeric helpers the kernel and loss tests share: a relative error and seeded inputs.
 */

/** max |a − b| / max |b|: the relative error in the max norm (the absolute one when b is all zero). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return den === 0 ? num : num / den;
}

/**
 * Seeded values in [−0.5, 0.5) for a tensor of `shape` (a 32-bit linear congruential
 * generator: the same seed gives the same data in every test file).
 */
export function rand(shape: number[], seed: number): { data: Float32Array; shape: number[] } {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return { data, shape };
}
