/**
 * A Mersenne Twister that reproduces numpy's legacy `np.random.RandomState(seed)` stream
 * (the generator scikit-learn's `random_state=int` uses): `random()` is numpy's
 * `random_sample()` / `uniform()`, `randint(n)` is `randint(n)`, `permutation(n)` is
 * `permutation(n)`.
 *
 * Why reproduce numpy: with the same seed, `kmeans(X, k, {seed})` draws the same
 * k-means++ candidates as `KMeans(k, random_state=seed)` and so, up to rounding, finds
 * the same clustering, which the tests check against scikit-learn directly.
 */

const N = 624;
const M = 397;

/** numpy's `RandomState(seed)` bit stream (MT19937 seeded with `init_genrand`). */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /**
   * @param seed integer in [0, 2^32 − 1], like `np.random.RandomState(seed)`
   * @example
   *   const rs = new NumpyRandomState(0);
   *   rs.random(); // 0.5488135039273248, as np.random.RandomState(0).random_sample()
   */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`NumpyRandomState: seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to doubles
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      let v = mt[(i + M) % N]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (numpy's `random_sample`). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** An integer in [0, max] by masked rejection (numpy's legacy bounded draw), max < 2^32. */
  private interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /** An integer in [0, n), as `RandomState.randint(n)`. */
  randint(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) throw new Error(`randint: n must be an integer in [1, 2^32], got ${n}`);
    if (n - 1 === 0xffffffff) return this.nextUint32();
    return this.interval(n - 1);
  }

  /** A permutation of 0..n-1, as `RandomState.permutation(n)`. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}
