import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { writeFileSync } from 'node:fs';
import {
  clDiceScore,
  componentsError,
  connectedComponents,
  countComponents,
  skeletonize,
  skeletonPrecision,
  skeletonRecall,
} from '../lib/metrics/topology.js';
import { pythonJson } from './helpers/python.js';
import { mulberry32 as rng } from '../lib/core/random.js';


function mask(rows: number, cols: number, f: (r: number, c: number) => boolean): NDArray<Uint8Array> {
  const d = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) d[r * cols + c] = f(r, c) ? 1 : 0;
  return new NDArray(d, [rows, cols], 'uint8');
}

/** Random noise of a given density, smoothed by a 3×3 majority vote so that it forms blobs. */
function blobs(rows: number, cols: number, density: number, seed: number, smooth: boolean): NDArray<Uint8Array> {
  const r = rng(seed);
  const raw = mask(rows, cols, () => r() < density);
  if (!smooth) return raw;
  return mask(rows, cols, (y, x) => {
    let s = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < rows && xx >= 0 && xx < cols) s += raw.data[yy * cols + xx];
      }
    return s >= 5;
  });
}

/** Thick random "roots": random walks drawn with a disc of radius 0–2. */
function roots(rows: number, cols: number, seed: number): NDArray<Uint8Array> {
  const r = rng(seed);
  const d = new Uint8Array(rows * cols);
  for (let k = 0; k < 5; k++) {
    let y = r() * rows;
    let x = r() * cols;
    let a = r() * 2 * Math.PI;
    const rad = Math.floor(r() * 3);
    for (let s = 0; s < 120; s++) {
      a += (r() - 0.5) * 0.6;
      y += Math.sin(a);
      x += Math.cos(a);
      for (let dy = -rad; dy <= rad; dy++)
        for (let dx = -rad; dx <= rad; dx++) {
          const yy = Math.round(y) + dy;
          const xx = Math.round(x) + dx;
          if (dy * dy + dx * dx <= rad * rad + 1 && yy >= 0 && yy < rows && xx >= 0 && xx < cols) d[yy * cols + xx] = 1;
        }
    }
  }
  return new NDArray(d, [rows, cols], 'uint8');
}

describe('hand-made cases', () => {
  it('4- and 8-connectivity differ on diagonals', () => {
    const m = NDArray.fromNested([
      [1, 0, 0, 1],
      [0, 1, 0, 1],
      [0, 0, 1, 0],
    ]);
    const c8 = connectedComponents(m, { connectivity: 8 });
    expect(c8.count).toBe(1);
    const c4 = connectedComponents(m, { connectivity: 4 });
    expect(c4.count).toBe(4);
    expect(Array.from(c4.labels.data)).toEqual([1, 0, 0, 2, 0, 3, 0, 2, 0, 0, 4, 0]);
    expect(c4.labels.shape).toEqual([3, 4]);
    expect(countComponents(m)).toBe(1);
  });

  it('a U shape merged late keeps raster-order numbering', () => {
    // the two arms get separate provisional labels and merge at the bottom; the object to the
    // right of the arms starts after the left arm, so it must become label 2
    const m = NDArray.fromNested([
      [1, 0, 1, 0, 1],
      [1, 0, 1, 0, 1],
      [1, 1, 1, 0, 0],
    ]);
    const { labels, count } = connectedComponents(m, { connectivity: 4 });
    expect(count).toBe(2);
    expect(Array.from(labels.data)).toEqual([1, 0, 1, 0, 2, 1, 0, 1, 0, 2, 1, 1, 1, 0, 0]);
  });

  it('empty and full masks', () => {
    expect(connectedComponents(NDArray.zeros([4, 5], 'uint8')).count).toBe(0);
    const full = connectedComponents(mask(4, 5, () => true), { connectivity: 4 });
    expect(full.count).toBe(1);
    expect(full.labels.min()).toBe(1);
    expect(skeletonize(NDArray.zeros([4, 5], 'uint8')).sum()).toBe(0);
  });

  it('the skeleton of a one-pixel line is the line; a broken prediction loses recall', () => {
    const truth = mask(5, 12, (r, c) => r === 2 && c >= 1 && c <= 10);
    expect(Array.from(skeletonize(truth).data)).toEqual(Array.from(truth.data));
    const gap = mask(5, 12, (r, c) => r === 2 && c >= 1 && c <= 10 && c !== 5 && c !== 6);
    expect(skeletonRecall(truth, gap)).toBeCloseTo(8 / 10, 12);
    expect(skeletonPrecision(truth, gap)).toBe(1);
    expect(clDiceScore(truth, gap)).toBeCloseTo((2 * 0.8) / 1.8, 12);
    expect(componentsError(truth, gap)).toBe(1);
    // a thinner-but-whole prediction of a thick root keeps full recall
    const thick = mask(7, 14, (r, c) => r >= 2 && r <= 4 && c >= 1 && c <= 12);
    const thin = mask(7, 14, (r, c) => (r === 2 || r === 3) && c >= 1 && c <= 12);
    expect(skeletonRecall(thick, thin)).toBe(1);
    // Zhang–Suen leaves the middle row and a one-pixel spur at one end (as scikit-image does)
    const sk = skeletonize(mask(5, 9, (r, c) => r >= 1 && r <= 3 && c >= 1 && c <= 7));
    expect(sk.sum()).toBe(6);
    expect(sk.get(1, 6)).toBe(1);
    expect(skeletonRecall(thick, NDArray.zeros([7, 14], 'uint8'))).toBe(0);
    expect(skeletonRecall(NDArray.zeros([7, 14], 'uint8'), thin)).toBeNaN();
  });

  it('stacks [n, rows, cols] pool skeleton counts and average the components error', () => {
    const a = mask(5, 12, (r, c) => r === 2 && c >= 1 && c <= 10);
    const b = mask(5, 12, (r, c) => r === 2 && c >= 1 && c <= 10 && c !== 5);
    const empty = NDArray.zeros([5, 12], 'uint8');
    const stack = (x: NDArray, y: NDArray): NDArray => {
      const d = new Uint8Array(120);
      d.set(x.data, 0);
      d.set(y.data, 60);
      return new NDArray(d, [2, 5, 12], 'uint8');
    };
    // image 1: 10 of 10 covered, image 2: 9 of 10 covered
    expect(skeletonRecall(stack(a, a), stack(a, b))).toBeCloseTo(19 / 20, 12);
    // image 1: 1 vs 1, image 2: 1 vs 0 objects
    expect(componentsError(stack(a, a), stack(a, empty))).toBe(0.5);
  });

  it('rejects bad input naming the function and argument', () => {
    const m = NDArray.zeros([3, 3], 'uint8');
    expect(() => connectedComponents(m, { connectivity: 6 as 4 })).toThrow(/connectedComponents: connectivity/);
    expect(() => connectedComponents(NDArray.zeros([2, 3, 3], 'uint8'))).toThrow(/connectedComponents: mask must be 2-D/);
    expect(() => skeletonize({ data: new Uint8Array(5), shape: [2, 3] })).toThrow(/skeletonize: mask has shape/);
    expect(() => skeletonRecall(m, NDArray.zeros([3, 4], 'uint8'))).toThrow(/skeletonRecall: truth has shape \[3, 3\] but pred/);
    expect(() => componentsError(m, m, { connectivity: 3 as 4 })).toThrow(/componentsError: connectivity/);
  });
});

// ---------------------------------------------------------------------------------------------
// Reference: scipy.ndimage.label (4-connectivity), skimage.measure.label (8-connectivity) and
// skimage.morphology.skeletonize (0.19, Zhang–Suen) on the same images.

const REFERENCE = String.raw`
import json, sys
import numpy as np
from scipy import ndimage
from skimage.measure import label
from skimage.morphology import skeletonize
cases = json.load(open(sys.argv[1]))
out = []
for c in cases:
    m = np.array(c['data'], dtype=np.uint8).reshape(c['shape'])
    l4, n4 = ndimage.label(m)
    l8, n8 = label(m, connectivity=2, return_num=True)
    sk = skeletonize(m).astype(np.uint8)
    out.append({'l4': l4.ravel().tolist(), 'n4': int(n4), 'l8': l8.ravel().tolist(), 'n8': int(n8),
                'skel': sk.ravel().tolist()})
print(json.dumps(out))
`;

interface RefOut {
  l4: number[];
  n4: number;
  l8: number[];
  n8: number;
  skel: number[];
}

describe('against scipy / scikit-image 0.19', () => {
  const images: Array<[string, NDArray<Uint8Array>]> = [];
  for (let s = 0; s < 4; s++) images.push([`sparse noise ${s}`, blobs(40, 50, 0.3, 11 + s, false)]);
  for (let s = 0; s < 4; s++) images.push([`dense noise ${s}`, blobs(37, 61, 0.55, 21 + s, false)]);
  for (let s = 0; s < 4; s++) images.push([`blobs ${s}`, blobs(64, 64, 0.5, 31 + s, true)]);
  for (let s = 0; s < 4; s++) images.push([`roots ${s}`, roots(96, 128, 41 + s)]);
  images.push(['ellipse', mask(9, 9, (x, y) => (1 / 3) * (x - 4) ** 2 + (y - 4) ** 2 < 9)]);
  images.push(['touching border', mask(10, 10, (r, c) => r < 6 || c > 7)]);
  images.push(['one row', mask(1, 30, (_, c) => c % 7 !== 3)]);
  let ref: RefOut[];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-topology-'));
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify(images.map(([, m]) => ({ data: Array.from(m.data), shape: m.shape }))));
    ref = pythonJson<RefOut[]>(REFERENCE, [file], 120_000);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  images.forEach(([name, m], k) => {
    it(`${name}: labels equal scipy (4) and skimage (8), skeleton equals skimage`, () => {
      const r = ref[k];
      const c4 = connectedComponents(m, { connectivity: 4 });
      expect(c4.count).toBe(r.n4);
      expect(Array.from(c4.labels.data)).toEqual(r.l4);
      const c8 = connectedComponents(m, { connectivity: 8 });
      expect(c8.count).toBe(r.n8);
      expect(Array.from(c8.labels.data)).toEqual(r.l8);
      const sk = skeletonize(m);
      expect(sk.shape).toEqual(m.shape);
      expect(Array.from(sk.data)).toEqual(r.skel);
    });
  });

  it('the test images are not trivial', () => {
    expect(ref.some((r) => r.n4 > 20)).toBe(true);
    expect(ref.some((r) => r.n4 !== r.n8)).toBe(true);
    // skeletons differ from the masks wherever the objects are thick
    expect(ref.filter((r, k) => r.skel.some((v, i) => v !== images[k][1].data[i])).length).toBeGreaterThan(10);
  });

  it('skeletonRecall equals the numpy computation on the skimage skeleton', () => {
    const truth = images[12][1];
    const pred = images[13][1];
    const skel = ref[12].skel;
    let total = 0;
    let inside = 0;
    skel.forEach((v, i) => {
      if (v) {
        total++;
        if (pred.data[i]) inside++;
      }
    });
    expect(total).toBeGreaterThan(50);
    expect(skeletonRecall(truth, pred)).toBeCloseTo(inside / total, 12);
  });
});
