/**
 * Training data for the networks: a seeded random split of samples into training, validation
 * and test sets (scikit-learn's `train_test_split` for any number of parts), and random
 * crops of an image stack with their masks (the data augmentation the roots notebook uses:
 * a new window of every image each epoch, mirrored at random).
 *
 * Design: both are plain functions of a seed, so a notebook gives the same sets and crops on
 * every run; they return indices and NDArrays, not tensors, so they work before a backend is
 * chosen and the caller decides when to move data to the GPU.
 */
import { NDArray } from '../core/ndarray.js';
import { mulberry32 } from '../core/random.js';
import type { ArrayLike2D } from '../core/types.js';

/**
 * Shuffles the indices 0 … n−1 with a seed and cuts them into parts of the given fractions.
 * Part sizes are rounded down, and what rounding leaves over goes to the first part.
 *
 * @param n - number of samples
 * @param fractions - positive fractions that sum to 1, e.g. `[0.7, 0.15, 0.15]`
 * @param options - `seed` of the shuffle (default 0)
 * @returns one array of indices per part, each in shuffled order
 * @example
 *   const [train, valid, test] = randomSplit(1024, [0.7, 0.15, 0.15], { seed: 2018 });
 *   [train.length, valid.length, test.length];   // [718, 153, 153]
 */
export function randomSplit(n: number, fractions: readonly number[], options: { seed?: number } = {}): number[][] {
  const fn = 'randomSplit';
  if (!Number.isInteger(n) || n < 0) throw new Error(`${fn}: n must be a whole number >= 0, got ${String(n)}`);
  if (!Array.isArray(fractions) || fractions.length < 1 || !fractions.every((f) => Number.isFinite(f) && f > 0)) {
    throw new Error(`${fn}: fractions must be positive numbers, got [${String(fractions)}]`);
  }
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`${fn}: fractions must sum to 1, got ${Number(sum.toFixed(6))}`);
  const order = Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(options.seed ?? 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const sizes = fractions.map((f) => Math.floor(f * n));
  sizes[0]! += n - sizes.reduce((a, b) => a + b, 0);
  const parts: number[][] = [];
  let at = 0;
  for (const s of sizes) {
    parts.push(order.slice(at, at + s));
    at += s;
  }
  return parts;
}

/** Options of {@link randomCrops}. */
export interface RandomCropsOptions {
  /** Crops per image. Default 1. */
  perImage?: number;
  /** Mirror each crop left–right with probability 1/2. Default true. */
  mirror?: boolean;
  /** A generator of uniform numbers in [0, 1) to draw positions from (keep one across epochs for new crops each epoch); default a new one seeded with 0. */
  random?: () => number;
}

/**
 * Cuts a random `size × size` window out of every image of a stack and the same window of its
 * mask, optionally mirrored.
 *
 * @param images - stack `[n, rows, cols]`
 * @param masks - stack of the same shape
 * @param size - side of the square crop (at most rows and cols)
 * @param options - `perImage`, `mirror`, `random`
 * @returns `{ x, y }`, float32 stacks `[n · perImage, size, size]`
 * @example
 *   const random = mulberry32(1);                       // one generator for the whole training
 *   const { x, y } = randomCrops(images, masks, 128, { random });
 */
export function randomCrops(
  images: ArrayLike2D,
  masks: ArrayLike2D,
  size: number,
  options: RandomCropsOptions = {},
): { x: NDArray<Float32Array>; y: NDArray<Float32Array> } {
  const fn = 'randomCrops';
  if (images.shape.length !== 3) throw new Error(`${fn}: images must be a stack [n, rows, cols], got shape [${images.shape.join(', ')}]`);
  if (masks.shape.length !== 3 || masks.shape.some((s, i) => s !== images.shape[i])) {
    throw new Error(`${fn}: masks must have the images' shape [${images.shape.join(', ')}], got [${masks.shape.join(', ')}]`);
  }
  const [n, rows, cols] = images.shape as [number, number, number];
  if (!Number.isInteger(size) || size < 1 || size > rows || size > cols) {
    throw new Error(`${fn}: size must be a whole number from 1 to ${Math.min(rows, cols)} (the images are ${rows} × ${cols}), got ${String(size)}`);
  }
  const per = options.perImage ?? 1;
  if (!Number.isInteger(per) || per < 1) throw new Error(`${fn}: perImage must be a whole number >= 1, got ${String(per)}`);
  const mirror = options.mirror ?? true;
  const random = options.random ?? mulberry32(0);
  const m = n * per;
  const x = new Float32Array(m * size * size);
  const y = new Float32Array(m * size * size);
  const src = images.data, lab = masks.data;
  for (let j = 0; j < m; j++) {
    const k = Math.floor(j / per);
    const r0 = Math.floor(random() * (rows - size + 1));
    const c0 = Math.floor(random() * (cols - size + 1));
    const flip = mirror && random() < 0.5;
    for (let r = 0; r < size; r++) {
      const row = (k * rows + r0 + r) * cols + c0;
      const out = (j * size + r) * size;
      for (let c = 0; c < size; c++) {
        const from = row + (flip ? size - 1 - c : c);
        x[out + c] = Number(src[from]);
        y[out + c] = Number(lab[from]);
      }
    }
  }
  return { x: new NDArray(x, [m, size, size]), y: new NDArray(y, [m, size, size]) };
}
