import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { kmeans, type KMeansProgress } from '../lib/cluster/index.js';
import { NumpyRandomState } from '../lib/cluster/random.js';
import { writeNpy } from '../lib/io/index.js';
import { adjustedRandScore } from '../lib/metrics/index.js';
import { pythonJson } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'cluster-kmeans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Seeded data: `groups` noisy spectra-like groups in d dimensions (float32). */
function spectra(n: number, d: number, groups: number, noise: number, seed: number): NDArray<Float32Array> {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const centres: number[][] = [];
  for (let g = 0; g < groups; g++) centres.push(Array.from({ length: d }, (_, j) => Math.exp(-(0.2 + 0.3 * g) * (1 + j / d) * (j > (g * d) / groups ? 1.5 : 1))));
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const g = i % groups;
    const t = 0.8 + 0.4 * rnd(); // thickness-like spread inside a group
    for (let j = 0; j < d; j++) data[i * d + j] = centres[g]![j]! ** t + noise * gauss();
  }
  return new NDArray(data, [n, d]);
}

interface SkResult {
  labels: number[];
  inertia: number;
  n_iter: number;
  centers: number[][];
}

function sklearn(file: string, k: number, nInit: number, seed: number, init = 'k-means++'): SkResult {
  return pythonJson<SkResult>(
    `
import sys, json, numpy as np
from sklearn.cluster import KMeans
X = np.load(sys.argv[1])
km = KMeans(n_clusters=int(sys.argv[2]), n_init=int(sys.argv[3]), random_state=int(sys.argv[4]), init=sys.argv[5]).fit(X)
print(json.dumps({'labels': km.labels_.tolist(), 'inertia': float(km.inertia_), 'n_iter': int(km.n_iter_), 'centers': km.cluster_centers_.tolist()}))
`,
    [file, String(k), String(nInit), String(seed), init],
  );
}

describe('NumpyRandomState', () => {
  it("reproduces numpy's RandomState stream (random_sample, randint, permutation)", () => {
    const ref = pythonJson<{ u: number[]; r: number[]; p: number[]; big: number[] }>(`
import json, numpy as np
rs = np.random.RandomState(2018)
u = rs.random_sample(5).tolist()
r = [int(rs.randint(n)) for n in (1, 2, 7, 16384, 1000003)]
p = rs.permutation(12).tolist()
big = [int(rs.randint(2**32)) for _ in range(3)]
print(json.dumps({'u': u, 'r': r, 'p': p, 'big': big}))
`);
    const rs = new NumpyRandomState(2018);
    expect(Array.from({ length: 5 }, () => rs.random())).toEqual(ref.u);
    expect([1, 2, 7, 16384, 1000003].map((n) => rs.randint(n))).toEqual(ref.r);
    expect(Array.from(rs.permutation(12))).toEqual(ref.p);
    expect([0, 1, 2].map(() => rs.randint(2 ** 32))).toEqual(ref.big);
  });

  it('rejects bad seeds', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/seed/);
    expect(() => new NumpyRandomState(1.5)).toThrow(/seed/);
  });
});

describe('kmeans against scikit-learn KMeans', () => {
  const X = spectra(1500, 120, 5, 0.03, 7);
  const file = join(dir, 'spectra.npy');
  writeNpy(file, X);

  for (const [k, nInit, seed] of [
    [4, 1, 0],
    [10, 1, 0],
    [10, 3, 2018],
  ] as const) {
    it(`k=${k}, nInit=${nInit}, seed=${seed}: same clustering and inertia`, () => {
      const ref = sklearn(file, k, nInit, seed);
      const km = kmeans(X, k, { seed, nInit });
      expect(km.labels).toBeInstanceOf(Int32Array);
      expect(km.labels.length).toBe(1500);
      // same seed, same k-means++ draws: the same partition (ARI 1) and inertia
      expect(adjustedRandScore(km.labels, ref.labels)).toBeGreaterThan(0.999);
      expect(Math.abs(km.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-4);
      expect(km.converged).toBe(true);
      expect(km.iterations).toBeGreaterThan(0);
      expect(km.centroids).toHaveLength(k);
      expect(km.centroids[0]).toHaveLength(120);
      expect(km.clusters).toEqual(Array.from(km.labels));
    });
  }

  it("init 'random' draws the rows scikit-learn's init='random' draws", () => {
    const ref = sklearn(file, 5, 1, 3, 'random');
    const km = kmeans(X, 5, { seed: 3, init: 'random' });
    expect(adjustedRandScore(km.labels, ref.labels)).toBeGreaterThan(0.999);
    expect(Math.abs(km.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-4);
  });

  it('well-separated blobs: labels equal scikit-learn up to a permutation (ARI = 1), centroids match', () => {
    const pts: number[][] = [];
    const centres = [
      [0, 0, 0],
      [20, 0, 5],
      [0, 25, -5],
      [15, 15, 15],
    ];
    let s = 11;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5) * 2;
    for (let i = 0; i < 400; i++) pts.push(centres[i % 4]!.map((c) => c + rnd()));
    const f = join(dir, 'blobs.npy');
    writeNpy(f, NDArray.fromNested(pts));
    const ref = sklearn(f, 4, 10, 0);
    const km = kmeans(pts, 4, { seed: 0, nInit: 10 });
    expect(adjustedRandScore(km.labels, ref.labels)).toBe(1);
    expect(adjustedRandScore(km.labels, pts.map((_, i) => i % 4))).toBe(1);
    // centroid of each cluster equals scikit-learn's centroid of the same points
    for (let c = 0; c < 4; c++) {
      const i = km.labels.indexOf(c);
      const refC = ref.centers[ref.labels[i]!]!;
      km.centroids[c]!.forEach((v, j) => expect(v).toBeCloseTo(refC[j]!, 4));
    }
    expect(km.inertia).toBeCloseTo(ref.inertia, 2);
  });

  it('nearest() and computeInformation() follow ml-kmeans', () => {
    const km = kmeans(X, 4, { seed: 1 });
    expect(Array.from(km.nearest(X))).toEqual(Array.from(km.labels));
    const rows = [Array.from(X.data.subarray(0, 120)), Array.from(X.data.subarray(120, 240))];
    expect(km.nearest(rows)).toEqual([km.labels[0], km.labels[1]]);
    const info = km.computeInformation(X);
    expect(info.reduce((a, b) => a + b.size, 0)).toBe(1500);
    const total = info.reduce((a, b) => a + b.error * b.size, 0);
    expect(total).toBeCloseTo(km.inertia, 3);
  });

  it('is deterministic for a seed and reports progress', () => {
    const events: KMeansProgress[] = [];
    const a = kmeans(X, 6, { seed: 5, nInit: 2, onProgress: (p) => events.push(p) });
    const b = kmeans(X, 6, { seed: 5, nInit: 2 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
    expect(events.filter((e) => e.done)).toHaveLength(2);
    expect(events[0]!.iteration).toBe(1);
    expect(events[0]!.moved).toBe(1500);
  });

  it('maxIter caps the iterations (converged false), explicit centres are used as given', () => {
    const km = kmeans(X, 8, { seed: 0, maxIter: 1 });
    expect(km.iterations).toBe(1);
    expect(km.converged).toBe(false);
    const init = [Array.from(X.data.subarray(0, 120)), Array.from(X.data.subarray(120, 240))];
    const a = kmeans(X, 2, { init });
    const b = kmeans(X, 2, { init, seed: 99 });
    expect(a.inertia).toBe(b.inertia);
  });

  it("engine 'ml-kmeans' and a custom distance run ml-kmeans itself", () => {
    const small = spectra(120, 8, 3, 0.001, 3);
    const fast = kmeans(small, 3, { seed: 0, nInit: 3 });
    const ml = kmeans(small, 3, { seed: 0, nInit: 3, engine: 'ml-kmeans' });
    expect(ml.engine).toBe('ml-kmeans');
    expect(adjustedRandScore(ml.labels, fast.labels)).toBeGreaterThan(0.99);
    const manhattan = (p: number[], q: number[]) => p.reduce((a, v, j) => a + Math.abs(v - q[j]!), 0);
    const l1 = kmeans(small, 3, { seed: 0, distanceFunction: manhattan });
    expect(l1.engine).toBe('ml-kmeans');
    expect(l1.labels.length).toBe(120);
  });

  it('handles duplicate points (empty clusters are relocated) and k = 1', () => {
    const pts = [[0, 0], [0, 0], [0, 0], [0, 0], [5, 5], [5, 5]];
    const km = kmeans(pts, 3, { seed: 0 });
    expect(new Set(km.labels).size).toBeGreaterThanOrEqual(2);
    expect(km.inertia).toBeCloseTo(0, 10);
    const one = kmeans(pts, 1, { seed: 0 });
    expect(one.centroids[0]![0]).toBeCloseTo(10 / 6, 12);
  });

  it('names the argument in errors', () => {
    expect(() => kmeans(X, 0)).toThrow(/k must be/);
    expect(() => kmeans(X, 1501)).toThrow(/k must be/);
    expect(() => kmeans({ data: new Float32Array(6), shape: [6] }, 2)).toThrow(/2-D/);
    expect(() => kmeans([[1, 2], [3]], 1)).toThrow(/row 1/);
    expect(() => kmeans(X, 2, { nInit: 0 })).toThrow(/nInit/);
    expect(() => kmeans(X, 2, { init: [[1, 2]] })).toThrow(/init/);
  });
});
