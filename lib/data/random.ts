/**
 * Seeded random numbers for the stand-in data: a small, fast, deterministic generator
 * with uniform, Gaussian and Poisson sampling.
 *
 * Design choices:
 * - xoshiro128** (Blackman & Vigna) on 32-bit integer arithmetic (`Math.imul`, `>>>`):
 *   exact in every JavaScript engine, fast in V8, period 2^128 − 1. The 128-bit state is
 *   filled from the seed by splitmix32, so nearby seeds (2018, 2019) give unrelated streams.
 *   `Math.random` cannot be seeded, and the data must be the same bytes on every machine.
 * - Uniforms carry 53 random bits (two draws), so `uniform()` never returns exactly 1.
 * - Gaussians: Marsaglia's polar method (only `log` and `sqrt`; V8's fdlibm port gives the
 *   same bits on every platform).
 * - Poisson: inversion by sequential search for small means (< 10), PTRS (Hörmann 1993,
 *   "The transformed rejection method for generating Poisson random variables", the
 *   method numpy uses) for larger means: exact, and about 1.1 uniform pairs per sample at
 *   any mean, so a 2048×2048 frame of counts in the thousands costs ~0.2 s.
 */

/** Mixes a 32-bit seed (splitmix32 step); used to seed xoshiro and to derive sub-seeds. */
export function mixSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Derives an independent sub-seed from a seed and a stream name, so that, e.g., the
 * sample texture and the noise of a frame can be drawn from separate, reproducible streams.
 *
 * @param seed base seed (any finite number; fractional parts are dropped)
 * @param stream a label such as 'noise' or 'spots:2'
 * @returns a 32-bit unsigned seed
 * @example
 *   const noiseSeed = deriveSeed(2018, 'noise');
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = mixSeed(Math.trunc(seed) >>> 0);
  for (let i = 0; i < stream.length; i++) h = mixSeed(h ^ Math.imul(stream.charCodeAt(i), 0x27d4eb2d));
  return h;
}

// log(k!) for small k, exact enough from a running sum; Stirling series beyond.
const LOG_FACT: number[] = [0];
for (let k = 1; k < 64; k++) LOG_FACT.push(LOG_FACT[k - 1]! + Math.log(k));

/**
 * log(k!) for integer k ≥ 0 (table below 64, Stirling series with three correction
 * terms above; relative error < 1e-15).
 */
export function logFactorial(k: number): number {
  if (k < 64) return LOG_FACT[k]!;
  const x = k + 1;
  const ix = 1 / x;
  const ix2 = ix * ix;
  return (x - 0.5) * Math.log(x) - x + 0.918938533204672742 + ix * (1 / 12 - ix2 * (1 / 360 - ix2 / 1260));
}

/**
 * A seeded pseudo-random generator (xoshiro128**).
 *
 * @example
 *   const rng = new Rng(2018);
 *   rng.uniform();        // [0, 1)
 *   rng.normal(0, 1);     // standard Gaussian
 *   rng.poisson(250.5);   // integer count
 *   rng.int(10);          // 0..9
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  /** @param seed any finite number (truncated to 32 bits); the same seed gives the same stream */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    let z = Math.trunc(seed) >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
      return (t ^ (t >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** A uniform integer in [0, n) (n ≥ 1). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A Gaussian sample with the given mean and standard deviation (polar method). */
  normal(mean = 0, std = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + std * this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return mean + std * u * f;
  }

  /**
   * A Poisson sample (exact: inversion below mean 10, PTRS above).
   *
   * @param mean expected count ≥ 0 (0 gives 0; NaN or negative is an error)
   */
  poisson(mean: number): number {
    if (!(mean >= 0)) throw new Error(`Rng.poisson: mean must be ≥ 0, got ${mean}`);
    if (mean === 0) return 0;
    if (mean < 10) {
      // Inversion: walk the cumulative distribution.
      let p = Math.exp(-mean);
      let cdf = p;
      const u = this.uniform();
      let k = 0;
      while (u > cdf) {
        k++;
        p *= mean / k;
        cdf += p;
        if (p < 1e-300 && k > mean) break;
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.uniform() - 0.5;
      const V = this.uniform();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) return k;
    }
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}
