import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { KNN, type KNNProgress } from '../lib/classify/index.js';
import { writeNpy } from '../lib/io/index.js';
import { pythonJson } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'classify-knn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function sklearnPredict(train: NDArray, y: NDArray, test: NDArray, k: number): number[] {
  const f = (name: string) => join(dir, `${name}-${k}-${train.shape[0]}.npy`);
  writeNpy(f('tr'), train);
  writeNpy(f('y'), y);
  writeNpy(f('te'), test);
  return pythonJson<number[]>(
    `
import sys, json, numpy as np
from sklearn.neighbors import KNeighborsClassifier
m = KNeighborsClassifier(int(sys.argv[4])).fit(np.load(sys.argv[1]), np.load(sys.argv[2]))
print(json.dumps(m.predict(np.load(sys.argv[3])).tolist()))
`,
    [f('tr'), f('y'), f('te'), String(k)],
  );
}

/** Brute-force reference of the documented rule (exactly k samples, boundary group shared). */
function bruteForce(train: number[][], y: number[], q: number[], k: number): { label: number; tie: boolean } {
  const dist = train.map((p, i) => ({ d: p.reduce((a, v, j) => a + (v - q[j]!) ** 2, 0), y: y[i]! }));
  dist.sort((a, b) => a.d - b.d);
  const kth = dist[k - 1]!.d;
  const inside = dist.filter((e) => e.d < kth);
  const boundary = dist.filter((e) => e.d === kth);
  const left = k - inside.length;
  const w = new Map<number, number>();
  for (const e of inside) w.set(e.y, (w.get(e.y) ?? 0) + boundary.length);
  for (const e of boundary) w.set(e.y, (w.get(e.y) ?? 0) + left);
  const classes = [...new Set(y)].sort((a, b) => a - b);
  let best = classes[0]!;
  for (const c of classes) if ((w.get(c) ?? 0) > (w.get(best) ?? 0)) best = c;
  // a tie that scikit-learn may break differently: boundary samples of several labels
  // beyond the places left, or equal votes
  const tie = (boundary.length > left && new Set(boundary.map((e) => e.y)).size > 1) || classes.filter((c) => (w.get(c) ?? 0) === w.get(best)).length > 1;
  return { label: best, tie };
}

describe('KNN against scikit-learn KNeighborsClassifier', () => {
  const rnd = lcg(5);
  const n = 3000;
  const m = 2000;
  const train = NDArray.zeros([n, 3], 'float64');
  const y = NDArray.zeros([n], 'int32');
  for (let i = 0; i < n; i++) {
    const a = rnd() * 10;
    const b = rnd() * 10;
    train.data[3 * i] = a;
    train.data[3 * i + 1] = b;
    train.data[3 * i + 2] = rnd();
    y.data[i] = (a - 5) ** 2 + (b - 5) ** 2 < 9 + 4 * rnd() ? 1 : a > b ? 0 : 2;
  }
  const test = NDArray.zeros([m, 3], 'float64');
  for (let i = 0; i < m * 3; i++) test.data[i] = rnd() * 10.5 - 0.25;

  for (const k of [1, 3, 5, 8]) {
    it(`k=${k}: the same predictions on random float data (no ties)`, () => {
      const ref = sklearnPredict(train, y, test, k);
      const knn = new KNN(train, y, { k });
      const pred = knn.predict(test);
      expect(pred).toBeInstanceOf(Int32Array);
      // k = 8 with 3 classes has vote ties: both break them toward the smallest label
      expect(Array.from(pred)).toEqual(ref);
    });
  }

  it('integer features with many duplicates: equal to scikit-learn except at ties, equal to the documented rule', () => {
    const r = lcg(9);
    const N = 4000;
    const tr = NDArray.zeros([N, 2], 'float32');
    const ty = NDArray.zeros([N], 'uint8');
    const rows: number[][] = [];
    for (let i = 0; i < N; i++) {
      const f = Math.floor(20 + 6 * r());
      const d = Math.floor(4 * r() * r() * 4);
      tr.data[2 * i] = f;
      tr.data[2 * i + 1] = d;
      ty.data[i] = d + 0.8 * r() > 6 ? 1 : 0;
      rows.push([f, d]);
    }
    const te = NDArray.zeros([600, 2], 'float32');
    const qs: number[][] = [];
    for (let i = 0; i < 600; i++) {
      const q = [Math.floor(17 + 12 * r()), Math.floor(18 * r())];
      te.data[2 * i] = q[0]!;
      te.data[2 * i + 1] = q[1]!;
      qs.push(q);
    }
    const labels = Array.from(ty.data);
    for (const k of [1, 4]) {
      const knn = new KNN(tr, ty, { k });
      expect(knn.nDistinct).toBeLessThan(200);
      const pred = Array.from(knn.predict(te));
      const ref = sklearnPredict(tr, ty, te, k);
      let ties = 0;
      for (let i = 0; i < qs.length; i++) {
        const bf = bruteForce(rows, labels, qs[i]!, k);
        expect(pred[i]).toBe(bf.label);
        if (bf.tie) ties++;
        else expect(pred[i]).toBe(ref[i]);
      }
      expect(ties).toBeLessThan(qs.length); // most queries are decided without a tie
    }
  });
});

describe('KNN API (ml-knn compatible)', () => {
  const X = [
    [0, 0],
    [0, 1],
    [1, 0],
    [9, 9],
    [9, 8],
    [8, 9],
  ];
  const y = [0, 0, 0, 1, 1, 1];

  it('number[][] in, number[] out; one point in, one label out; default k = classes + 1', () => {
    const knn = new KNN(X, y);
    expect(knn.k).toBe(3);
    expect(knn.predict([[1, 1], [8, 8]])).toEqual([0, 1]);
    expect(knn.predict([7, 7])).toBe(1);
    expect(knn.classes).toEqual([0, 1]);
  });

  it('keeps class values (not indices), including non-integers for nested input', () => {
    const knn = new KNN(X, [5, 5, 5, -2, -2, -2], { k: 1 });
    expect(Array.from(knn.predict(NDArray.fromNested([[0, 0], [9, 9]])))).toEqual([5, -2]);
    const frac = new KNN(X, [0.5, 0.5, 0.5, 1.5, 1.5, 1.5], { k: 1 });
    expect(frac.predict([[9, 9]])).toEqual([1.5]);
    expect(() => frac.predict(NDArray.fromNested([[9, 9]]))).toThrow(/Int32Array/);
  });

  it('1-NN on a duplicated point takes the majority label of its duplicates; vote ties go to the smaller class', () => {
    const knn = new KNN([[1, 1], [1, 1], [1, 1], [3, 3]], [1, 1, 0, 0], { k: 1 });
    expect(knn.predict([[1, 1]])).toEqual([1]);
    expect(knn.nDistinct).toBe(2);
    const tie = new KNN([[0, 0], [2, 0]], [7, 3], { k: 1 });
    expect(tie.predict([[1, 0]])).toEqual([3]); // equidistant: smaller class value
  });

  it('reports progress and accepts a custom distance (ml-knn)', () => {
    const knn = new KNN(X, y, { k: 1 });
    const events: KNNProgress[] = [];
    knn.predict([[0, 0], [0, 0], [9, 9]], { onProgress: (p) => events.push(p) });
    expect(events.at(-1)).toEqual({ done: 2, total: 2 }); // two distinct queries
    // ml-knn passes index-addressable points (not always arrays) to the distance
    const cheb = new KNN(X, y, { k: 1, distance: (a, b) => Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!)) });
    expect(cheb.predict([[1, 1], [8, 8]])).toEqual([0, 1]);
  });

  it('names the argument in errors', () => {
    expect(() => new KNN(X, [0, 1])).toThrow(/y has 2 labels/);
    expect(() => new KNN(X, y, { k: 0 })).toThrow(/k must be/);
    expect(() => new KNN(X, y, { k: 7 })).toThrow(/larger than/);
    expect(() => new KNN([[0, 0], [Number.NaN, 1]], [0, 1], { k: 1 })).toThrow(/NaN/);
    expect(() => new KNN(X, y, { k: 1 }).predict([[1, 2, 3]])).toThrow(/features/);
  });
});
