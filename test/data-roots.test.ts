/**
 * Root and vessel images, blobs and the cross image: shapes, determinism, that masks match
 * what was drawn (roots darker, distractors outside the mask), make_blobs semantics.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeBlobs, makeCrossImage } from '../lib/data/blobs.js';
import { makeRootImage, makeRootSet, makeVesselImage, makeVesselSet } from '../lib/data/roots.js';

const hash = (a: ArrayBufferView): string => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

describe('rhizobox roots', () => {
  it('stacks of float32 images and uint8 masks, deterministic, splits differ', () => {
    const a = makeRootSet({ n: 3, split: 'train' });
    const b = makeRootSet({ n: 3, split: 'train' });
    const t = makeRootSet({ n: 3, split: 'test' });
    expect(a.images.shape).toEqual([3, 256, 256]);
    expect(a.images.dtype).toBe('float32');
    expect(a.masks.dtype).toBe('uint8');
    expect(hash(a.images.data)).toBe(hash(b.images.data));
    expect(hash(a.images.data)).not.toBe(hash(t.images.data));
    let notBinary = 0;
    for (const v of a.masks.data) if (v !== 0 && v !== 1) notBinary++;
    expect(notBinary).toBe(0);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of a.images.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
  });

  it('roots are darker than soil; the mask is exactly the roots (distractors are not in it)', () => {
    for (const seed of [1, 2, 3]) {
      const withD = makeRootImage({ seed });
      const without = makeRootImage({ seed, distractors: false });
      // the roots do not depend on the distractors... the mask is identical
      expect(hash(withD.mask.data)).toBe(hash(without.mask.data));
      const m = withD.mask.data;
      const frac = withD.mask.sum() / m.length;
      expect(frac).toBeGreaterThan(0.02);
      expect(frac).toBeLessThan(0.3);
      let inside = 0;
      let outside = 0;
      for (let i = 0; i < m.length; i++) {
        if (m[i]) inside += without.image.data[i]!;
        else outside += without.image.data[i]!;
      }
      expect(inside / withD.mask.sum()).toBeLessThan(0.85 * (outside / (m.length - withD.mask.sum())));
      // distractors darken pixels outside the mask: a dark threshold catches them
      let darkOutsideWith = 0;
      let darkOutsideWithout = 0;
      const thr = 0.35;
      for (let i = 0; i < m.length; i++) {
        if (m[i]) continue;
        if (withD.image.data[i]! < thr) darkOutsideWith++;
        if (without.image.data[i]! < thr) darkOutsideWithout++;
      }
      expect(darkOutsideWith).toBeGreaterThan(darkOutsideWithout + 200);
    }
  });

  it('rejects bad sizes', () => {
    expect(() => makeRootImage({ size: 10 })).toThrow(/size/);
    expect(() => makeRootSet({ n: 0 })).toThrow(/n must/);
  });
});

describe('vessels', () => {
  it('thin branching vessels darker than the background, none outside the field of view', () => {
    const s = makeVesselSet({ n: 2 });
    expect(s.images.shape).toEqual([2, 256, 256]);
    const v = makeVesselImage({ seed: 5 });
    const m = v.mask.data;
    const frac = v.mask.sum() / m.length;
    expect(frac).toBeGreaterThan(0.02);
    expect(frac).toBeLessThan(0.2);
    expect(m[0]).toBe(0); // corner is outside the round field of view
    let inV = 0;
    let nV = 0;
    let near = 0;
    let nNear = 0;
    for (let r = 1; r < 255; r++) {
      for (let c = 1; c < 255; c++) {
        const i = r * 256 + c;
        if (m[i]) {
          inV += v.image.data[i]!;
          nV++;
        } else if (m[i - 1] || m[i + 1] || m[i - 256] || m[i + 256]) {
          near += v.image.data[i]!;
          nNear++;
        }
      }
    }
    expect(inV / nV).toBeLessThan(near / nNear);
  });
});

describe('makeBlobs (make_blobs semantics)', () => {
  it('splits samples evenly (remainder to the first centres), centres in the box, std 1, shuffled', () => {
    const { X, y, centers } = makeBlobs(200, { centers: 3, nFeatures: 2, seed: 2018 });
    expect(X.shape).toEqual([200, 2]);
    expect(X.dtype).toBe('float64');
    const counts = [0, 0, 0];
    for (const l of y) counts[l]!++;
    expect(counts).toEqual([67, 67, 66]);
    for (const c of centers) for (const v of c) expect(Math.abs(v)).toBeLessThanOrEqual(10);
    // per-cluster standard deviation ≈ 1
    for (let k = 0; k < 3; k++) {
      let s = 0;
      let n = 0;
      for (let i = 0; i < 200; i++) {
        if (y[i] !== k) continue;
        s += (X.data[2 * i]! - centers[k]![0]!) ** 2 + (X.data[2 * i + 1]! - centers[k]![1]!) ** 2;
        n += 2;
      }
      expect(Math.sqrt(s / n)).toBeGreaterThan(0.8);
      expect(Math.sqrt(s / n)).toBeLessThan(1.2);
    }
    expect(Array.from(y.slice(0, 20))).not.toEqual(Array.from({ length: 20 }, () => y[0]));
    expect(hash(makeBlobs(200, { seed: 2018 }).X.data)).toBe(hash(X.data));
    expect(hash(makeBlobs(200, { seed: 1 }).X.data)).not.toBe(hash(X.data));
    const fixed = makeBlobs(10, { centers: [[0, 0, 0]], clusterStd: 0, shuffle: false });
    expect(Array.from(fixed.X.data)).toEqual(new Array(30).fill(0));
    expect(() => makeBlobs(0)).toThrow(/n must/);
  });
});

describe('makeCrossImage', () => {
  it('11 × 11, the formula plus noise within ±0.25', () => {
    const img = makeCrossImage({ seed: 2018 });
    expect(img.shape).toEqual([11, 11]);
    let maxDev = 0;
    let sumDev = 0;
    for (let r = 0; r < 11; r++) {
      for (let c = 0; c < 11; c++) {
        const x = ((c - 5) / 5) * 2 * Math.PI;
        const yv = ((r - 5) / 5) * 2 * Math.PI;
        const f = (1.5 * Math.abs(Math.cos(x * yv))) / (Math.abs(x * yv) + (3 * Math.PI) / 5);
        const dev = img.get(r, c) - f;
        maxDev = Math.max(maxDev, Math.abs(dev));
        sumDev += Math.abs(dev);
      }
    }
    expect(maxDev).toBeLessThanOrEqual(0.2500001);
    expect(sumDev / 121).toBeGreaterThan(0.08); // noise is really there (E|U| = 0.125)
    // the cross: centre row and column are bright
    expect(img.get(5, 5)).toBeGreaterThan(0.5);
    expect(hash(makeCrossImage({ seed: 2018 }).data)).toBe(hash(img.data));
  });
});
