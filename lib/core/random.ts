/**
 * A small seeded uniform generator for reproducible weights, shuffles and test inputs.
 * (The data generators use the longer-period xoshiro128** of lib/data/random.ts; this one
 * is the 32-bit mulberry32, enough for shuffling a batch or seeding initial weights.)
 */

/**
 * mulberry32: a seeded generator of uniform numbers in [0, 1).
 *
 * @param seed any number; its 32-bit unsigned integer part is the state
 * @returns a function giving the next number on each call
 * @example
 *   const rand = mulberry32(42);
 *   rand(); // 0.6011037519201636, the same on every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
