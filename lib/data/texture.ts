/**
 * Procedural textures for the simulated radiographs: fractal (multi-scale) value noise in
 * one and two dimensions and a separable Gaussian blur.
 *
 * Design: value noise on lattices of halving cell size, interpolated with a smoothstep
 * (C¹) weight, summed with weights ∝ cell^hurst. It needs only the seeded Rng (no FFT, no
 * package), costs one bilinear lookup per pixel and octave, and gives the cloudy,
 * scale-free look of soil and rock in a radiograph. These helpers are internal to
 * lib/data (not re-exported by the library) so their names cannot clash with lib/filters.
 */
import type { Rng } from './random.js';

/** Options of fractal noise. */
export interface FractalOptions {
  /** Largest lattice cell in pixels. */
  maxCell: number;
  /** Smallest lattice cell in pixels (≥ 1). */
  minCell: number;
  /** Weight exponent: octave weight ∝ cell^hurst (0.5–1.2 looks natural). */
  hurst?: number;
}

const smooth = (t: number): number => t * t * (3 - 2 * t);

/**
 * 2-D fractal value noise, normalised to mean 0 and standard deviation 1.
 *
 * @param rows image rows
 * @param cols image columns
 * @param rng seeded generator (consumed)
 * @param opts lattice cells and weight exponent
 * @returns Float32Array of rows·cols, row-major
 */
export function fractalNoise2D(rows: number, cols: number, rng: Rng, opts: FractalOptions): Float32Array {
  const out = new Float32Array(rows * cols);
  const hurst = opts.hurst ?? 0.8;
  const xw = new Float32Array(cols);
  const xi = new Int32Array(cols);
  for (let cell = opts.maxCell; cell >= Math.max(1, opts.minCell); cell /= 2) {
    const w = cell ** hurst;
    const lr = Math.ceil(rows / cell) + 2;
    const lc = Math.ceil(cols / cell) + 2;
    const lat = new Float32Array(lr * lc);
    for (let i = 0; i < lat.length; i++) lat[i] = rng.uniform() * 2 - 1;
    // Random sub-cell offset so the lattices of the octaves do not line up.
    const oy = rng.uniform() * cell;
    const ox = rng.uniform() * cell;
    for (let c = 0; c < cols; c++) {
      const fx = (c + ox) / cell;
      const ix = Math.floor(fx);
      xi[c] = ix;
      xw[c] = smooth(fx - ix);
    }
    for (let r = 0; r < rows; r++) {
      const fy = (r + oy) / cell;
      const iy = Math.floor(fy);
      const wy = smooth(fy - iy);
      const row0 = iy * lc;
      const row1 = row0 + lc;
      const o = r * cols;
      for (let c = 0; c < cols; c++) {
        const ix = xi[c]!;
        const wx = xw[c]!;
        const a = lat[row0 + ix]! + (lat[row0 + ix + 1]! - lat[row0 + ix]!) * wx;
        const b = lat[row1 + ix]! + (lat[row1 + ix + 1]! - lat[row1 + ix]!) * wx;
        out[o + c] = out[o + c]! + w * (a + (b - a) * wy);
      }
    }
  }
  normalise(out);
  return out;
}

/**
 * 1-D fractal value noise (for ragged outlines), mean 0 and standard deviation 1.
 *
 * @param n samples
 * @param rng seeded generator (consumed)
 * @param opts lattice cells and weight exponent
 */
export function fractalNoise1D(n: number, rng: Rng, opts: FractalOptions): Float32Array {
  const out = new Float32Array(n);
  const hurst = opts.hurst ?? 0.8;
  for (let cell = opts.maxCell; cell >= Math.max(1, opts.minCell); cell /= 2) {
    const w = cell ** hurst;
    const lat = new Float32Array(Math.ceil(n / cell) + 2);
    for (let i = 0; i < lat.length; i++) lat[i] = rng.uniform() * 2 - 1;
    const off = rng.uniform() * cell;
    for (let i = 0; i < n; i++) {
      const f = (i + off) / cell;
      const k = Math.floor(f);
      const t = smooth(f - k);
      out[i] = out[i]! + w * (lat[k]! + (lat[k + 1]! - lat[k]!) * t);
    }
  }
  normalise(out);
  return out;
}

function normalise(a: Float32Array): void {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]!;
    s2 += a[i]! * a[i]!;
  }
  const m = s / a.length;
  const sd = Math.sqrt(Math.max(1e-12, s2 / a.length - m * m));
  for (let i = 0; i < a.length; i++) a[i] = (a[i]! - m) / sd;
}

/**
 * Separable Gaussian blur with reflected borders (in place on a copy; returns the copy).
 *
 * @param src image, row-major
 * @param rows image rows
 * @param cols image columns
 * @param sigma standard deviation in pixels (≤ 0 returns a copy)
 */
export function blur2D(src: Float32Array, rows: number, cols: number, sigma: number): Float32Array {
  const out = Float32Array.from(src);
  if (!(sigma > 0)) return out;
  const rad = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * rad + 1);
  let ks = 0;
  for (let i = -rad; i <= rad; i++) {
    k[i + rad] = Math.exp(-(i * i) / (2 * sigma * sigma));
    ks += k[i + rad]!;
  }
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / ks;
  const refl = (i: number, n: number): number => {
    while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1;
    return i;
  };
  const line = new Float32Array(Math.max(rows, cols));
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) line[c] = out[o + c]!;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let j = -rad; j <= rad; j++) s += k[j + rad]! * line[refl(c + j, cols)]!;
      out[o + c] = s;
    }
  }
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) line[r] = out[r * cols + c]!;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = -rad; j <= rad; j++) s += k[j + rad]! * line[refl(r + j, rows)]!;
      out[r * cols + c] = s;
    }
  }
  return out;
}
