/**
 * The time-of-flight stand-in cube: shape and type as numpy reads them, determinism, the
 * Bragg-edge physics (edge positions of both alloys), the layout at the lecture's sample
 * points, and the lecture's k-means story (4 clusters: void, spacer, two alloys).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kmeans } from '../lib/cluster/index.js';
import { braggReflections, makeTofCube, steelCrossSection } from '../lib/data/tof.js';
import { encodeNpy, writeNpy } from '../lib/io/npy.js';
import { pythonJson } from './helpers/python.js';

const tmp = mkdtempSync(join(tmpdir(), 'nseg-tof-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const full = makeTofCube({ seed: 2018 });
const clean = makeTofCube({ seed: 2018, noiseless: true });
const BINS = 661;

/** Wavelength of the largest rise of a spectrum between `lo` and `hi` Å (smoothed over 3 bins). */
function biggestRise(spec: ArrayLike<number>, wl: Float64Array, lo: number, hi: number): number {
  let best = -Infinity;
  let at = NaN;
  for (let i = 3; i < wl.length - 3; i++) {
    if (wl[i]! < lo || wl[i]! > hi) continue;
    const rise = spec[i + 3]! - spec[i - 3]!;
    if (rise > best) {
      best = rise;
      at = wl[i]!;
    }
  }
  return at;
}
function spectrum(c: typeof full, r: number, col: number): Float32Array {
  const o = (r * c.cube.shape[1]! + col) * BINS;
  return c.cube.data.subarray(o, o + BINS);
}
function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

describe('makeTofCube', () => {
  it('has the lecture shape, float32, wavelengths increasing 1.5–5 Å, numpy reads it back', () => {
    expect(full.cube.shape).toEqual([128, 128, 661]);
    expect(full.cube.dtype).toBe('float32');
    expect(full.wavelength.length).toBe(661);
    expect(full.wavelength[0]).toBeCloseTo(1.5, 9);
    expect(full.wavelength[660]).toBeCloseTo(5.0, 9);
    const path = writeNpy(join(tmp, 'tof.npy'), full.cube);
    const r = pythonJson<{ shape: number[]; dtype: string; v: number; finite: boolean }>(
      `import json, sys, numpy as np; a = np.load(sys.argv[1]); print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'v': float(a[30, 15, 100]), 'finite': bool(np.isfinite(a).all())}))`,
      [path],
    );
    expect(r).toEqual({ shape: [128, 128, 661], dtype: 'float32', v: full.cube.get(30, 15, 100), finite: true });
  });

  it('same seed gives the same bytes; another seed other noise, same geometry', () => {
    const h = (a: Uint8Array): string => createHash('sha256').update(a).digest('hex');
    const small = makeTofCube({ seed: 2018, rows: 32, cols: 32 });
    const again = makeTofCube({ seed: 2018, rows: 32, cols: 32 });
    expect(again.cube.shape).toEqual([32, 32, 661]);
    expect(h(encodeNpy(again.cube))).toBe(h(encodeNpy(small.cube)));
    const other = makeTofCube({ seed: 7, rows: 32, cols: 32 });
    expect(h(encodeNpy(other.cube))).not.toBe(h(encodeNpy(small.cube)));
    expect(Array.from(other.classes.data)).toEqual(Array.from(small.classes.data));
  });

  it('the lecture sample points: sample, background, spacer, sample 2', () => {
    expect(full.classes.get(30, 15)).toBe(2); // ferrite
    expect(full.classes.get(3, 57)).toBe(0); // void
    expect(full.classes.get(90, 79)).toBe(1); // spacer
    expect(full.classes.get(120, 100)).toBe(3); // austenite
    expect(mean(spectrum(full, 3, 57))).toBeGreaterThan(0.95);
    expect(mean(spectrum(full, 3, 57))).toBeLessThan(1.05);
    expect(mean(spectrum(full, 90, 79))).toBeLessThan(0.08);
    const s1 = mean(spectrum(full, 30, 15));
    const s2 = mean(spectrum(full, 120, 100));
    expect(s1).toBeGreaterThan(0.12);
    expect(s1).toBeLessThan(0.45);
    expect(s2).toBeGreaterThan(s1); // the thinner austenite row transmits more
    // class areas: six blocks dominate, void and spacers are present
    const counts = [0, 0, 0, 0];
    for (const c of full.classes.data) counts[c]!++;
    expect(counts[2]! + counts[3]!).toBeGreaterThan(0.75 * 128 * 128);
    expect(counts[0]).toBeGreaterThan(600);
    expect(counts[1]).toBeGreaterThan(500);
  });

  it('Bragg edges at λ = 2·d_hkl: bcc 4.054/2.866 Å, fcc 4.145/3.590 Å, and the alloys differ', () => {
    expect(braggReflections('bcc').slice(0, 3).map((r) => +r.edge.toFixed(3))).toEqual([4.054, 2.866, 2.34]);
    expect(braggReflections('fcc').slice(0, 3).map((r) => +r.edge.toFixed(3))).toEqual([4.145, 3.59, 2.539]);
    expect(braggReflections('bcc')[0]!.multiplicity).toBe(12);
    expect(braggReflections('fcc')[0]!.multiplicity).toBe(8);
    const wl = clean.wavelength;
    const fe = spectrum(clean, 30, 15);
    const au = spectrum(clean, 100, 100);
    expect(biggestRise(fe, wl, 3.8, 4.5)).toBeCloseTo(4.054, 1);
    expect(Math.abs(biggestRise(fe, wl, 3.8, 4.5) - 4.054)).toBeLessThan(0.02);
    expect(Math.abs(biggestRise(au, wl, 3.8, 4.5) - 4.145)).toBeLessThan(0.02);
    expect(Math.abs(biggestRise(fe, wl, 2.6, 3.2) - 2.866)).toBeLessThan(0.02);
    expect(Math.abs(biggestRise(au, wl, 3.3, 3.8) - 3.59)).toBeLessThan(0.02);
    // ferrite has no edge at 3.59 Å: its spectrum only falls slowly there
    const i = wl.findIndex((v) => v > 3.59);
    expect(fe[i + 4]! - fe[i - 4]!).toBeLessThan(0.003);
    expect(au[i + 4]! - au[i - 4]!).toBeGreaterThan(0.01);
    // on the noisy cube too: the big edge of every block is where its alloy puts it
    expect(Math.abs(biggestRise(spectrum(full, 30, 15), wl, 3.8, 4.5) - 4.054)).toBeLessThan(0.05);
    // cross section drops by several barn across the bcc 110 edge
    const s = steelCrossSection([4.0, 4.1], { structure: 'bcc' });
    expect(s[0]! - s[1]!).toBeGreaterThan(5);
  });

  it('Beer–Lambert: thicker steel transmits less; noise is Poisson (low counts per bin)', () => {
    // mean over blocks vs thickness in the noiseless cube
    const bySteel: Record<number, { t: number; T: number }[]> = { 2: [], 3: [] };
    for (let p = 0; p < 128 * 128; p += 37) {
      const cls = clean.classes.data[p]!;
      if (cls < 2 || clean.band.data[p]) continue;
      const o = p * BINS + 600;
      bySteel[cls]!.push({ t: clean.thickness.data[p]!, T: clean.cube.data[o]! });
    }
    for (const cls of [2, 3]) {
      const pts = bySteel[cls]!.sort((a, b) => a.t - b.t);
      expect(pts.length).toBeGreaterThan(50);
      const lo = pts.slice(0, 15).reduce((s, x) => s + x.T, 0) / 15;
      const hi = pts.slice(-15).reduce((s, x) => s + x.T, 0) / 15;
      expect(lo).toBeGreaterThan(hi);
    }
    // void pixels: T·I0 is Poisson(I0): variance of T ≈ 1/I0 per bin
    const bin = 300;
    const i0 = full.openBeam[bin]!;
    const vals: number[] = [];
    for (let p = 0; p < 128 * 128; p++) if (full.classes.data[p] === 0 && clean.cube.data[p * BINS + bin]! > 0.999) vals.push(full.cube.data[p * BINS + bin]!);
    const m = vals.reduce((s, x) => s + x, 0) / vals.length;
    const v = vals.reduce((s, x) => s + (x - m) ** 2, 0) / (vals.length - 1);
    expect(vals.length).toBeGreaterThan(300);
    expect(v * i0).toBeGreaterThan(0.8);
    expect(v * i0).toBeLessThan(1.25);
    expect(i0).toBeLessThan(400); // low counts per bin
  });

  it('k-means with 4 clusters (seed 2018) separates void, spacers and the two alloys', () => {
    const X = full.cube.reshape([-1, BINS]);
    const km = kmeans(X, 4, { seed: 2018, nInit: 3 });
    // purity of each material class: the share of its pixels in its majority cluster
    const table = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (let p = 0; p < km.labels.length; p++) table[full.classes.data[p]!]![km.labels[p]!]!++;
    const majority = table.map((row) => row.indexOf(Math.max(...row)));
    expect(new Set(majority).size).toBe(4); // four classes → four different clusters
    for (const cls of [2, 3]) {
      const row = table[cls]!;
      expect(row[majority[cls]!]! / row.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.97);
    }
    expect(table[0]![majority[0]!]! / table[0]!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.7);
    expect(table[1]![majority[1]!]! / table[1]!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.7);
  });

  it('scikit-learn KMeans(4, random_state=2018) on the file agrees (reference)', () => {
    const path = join(tmp, 'tof.npy');
    const cls = writeNpy(join(tmp, 'classes.npy'), full.classes);
    const r = pythonJson<number[][]>(
      `import json, sys, numpy as np
from sklearn.cluster import KMeans
X = np.load(sys.argv[1]).reshape(-1, 661); c = np.load(sys.argv[2]).ravel()
lab = KMeans(4, random_state=2018, n_init=3).fit(X).labels_
print(json.dumps([[int(((c == k) & (lab == j)).sum()) for j in range(4)] for k in range(4)]))`,
      [path, cls],
    );
    const majority = r.map((row) => row.indexOf(Math.max(...row)));
    expect(new Set(majority).size).toBe(4);
    for (const k of [2, 3]) expect(r[k]![majority[k]!]! / r[k]!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.97);
  });
});
