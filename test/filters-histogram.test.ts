import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { histogram, histogram2d } from '../lib/filters/index.js';
import { writeNpy } from '../lib/io/index.js';
import { pythonJson } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'filters-hist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** float32 data with values exactly on edges, ties and a wide range. */
function data(n: number, seed: number): NDArray<Float32Array> {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rnd() < 0.1 ? Math.round(rnd() * 10) / 2 : rnd() * 5 + (rnd() < 0.01 ? 1000 : 0);
  return new NDArray(a, [n]);
}

describe('histogram matches np.histogram', () => {
  const x = data(20000, 1);
  const y = data(20000, 2);
  const xu = x.map((v) => Math.min(65535, Math.round(v * 37)), 'uint16');
  writeNpy(join(dir, 'x.npy'), x);
  writeNpy(join(dir, 'y.npy'), y);
  writeNpy(join(dir, 'xu.npy'), xu);
  const ref = pythonJson<Record<string, [number[], number[]]>>(
    `
import sys, json, numpy as np
x = np.load(sys.argv[1] + '/x.npy'); y = np.load(sys.argv[1] + '/y.npy'); xu = np.load(sys.argv[1] + '/xu.npy')
out = {}
def put(k, h): out[k] = [h[0].tolist(), [float(e) for e in h[1]]]
put('auto10', np.histogram(x, 10))
put('auto7', np.histogram(x, 7))
put('range', np.histogram(x, 100, range=(0, 5)))
put('range_odd', np.histogram(x, 13, range=(0.3, 4.7)))
put('uint16', np.histogram(xu, 50))
put('edges', np.histogram(x, [0, 0.5, 1, 2.5, 5]))
put('const', np.histogram(np.full(5, 3, np.float32), 4))
h, xe, ye = np.histogram2d(x, y, 100)
out['h2'] = [h.ravel().tolist(), [float(e) for e in xe], [float(e) for e in ye]]
h, xe, ye = np.histogram2d(x, y, (7, 11), range=[[0, 5], [1, 4]])
out['h2r'] = [h.ravel().tolist(), [float(e) for e in xe], [float(e) for e in ye]]
print(json.dumps(out))
`,
    [dir],
  );

  const check = (key: string, r: { counts: Float64Array; edges: Float64Array }) => {
    const [counts, edges] = ref[key]!;
    expect(Array.from(r.edges)).toEqual(edges);
    expect(Array.from(r.counts)).toEqual(counts);
  };
  it('autodetected range (float32 edges)', () => {
    check('auto10', histogram(x, 10));
    check('auto7', histogram(x.data, 7));
  });
  it('given range, values outside ignored, last bin closed', () => {
    check('range', histogram(x, 100, [0, 5]));
    check('range_odd', histogram(x, 13, [0.3, 4.7]));
  });
  it('integer data (float64 edges)', () => check('uint16', histogram(xu, 50)));
  it('explicit edges', () => check('edges', histogram(x, [0, 0.5, 1, 2.5, 5])));
  it('constant data widens the range by ±0.5', () => check('const', histogram(new Float32Array(5).fill(3), 4)));

  it('histogram2d: counts [xbins, ybins], float64 edges', () => {
    const h = histogram2d(x, y, 100);
    const [counts, xe, ye] = ref.h2 as unknown as [number[], number[], number[]];
    expect(h.counts.shape).toEqual([100, 100]);
    expect(Array.from(h.xedges)).toEqual(xe);
    expect(Array.from(h.yedges)).toEqual(ye);
    expect(Array.from(h.counts.data)).toEqual(counts);
    const r = histogram2d(x, y, [7, 11], [[0, 5], [1, 4]]);
    const [c2, xe2, ye2] = ref.h2r as unknown as [number[], number[], number[]];
    expect(r.counts.shape).toEqual([7, 11]);
    expect(Array.from(r.xedges)).toEqual(xe2);
    expect(Array.from(r.yedges)).toEqual(ye2);
    expect(Array.from(r.counts.data)).toEqual(c2);
  });

  it('errors like numpy on bad input', () => {
    expect(() => histogram([1, Number.NaN], 3)).toThrow(/not finite/);
    expect(() => histogram([1, 2], 3, [2, 1])).toThrow(/max must be larger/);
    expect(() => histogram([1, 2], 0)).toThrow(/bins/);
    expect(() => histogram([1, 2], [0, 2, 1])).toThrow(/monotonically/);
    expect(() => histogram2d([1, 2], [1], 3)).toThrow(/differ in length/);
  });
});
