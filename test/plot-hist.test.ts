/**
 * Axes.hist and Axes.hist2d bin through the filters' numpy histogram (one implementation) and
 * behave as matplotlib's ax.hist and ax.hist2d do: float32 edges for float32 samples, NaN
 * samples left out of hist, NaN without a range refused by hist2d (numpy's error).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { histogram, histogram2d } from '../lib/filters/histogram.js';
import { subplots } from '../lib/plot/figure.js';
import { needs } from './helpers/needs.js';
import { pythonHas, pythonJson } from './helpers/python.js';

const MPL = String.raw`
import json, sys, warnings
import numpy as np
import matplotlib; matplotlib.use('agg')
import matplotlib.pyplot as plt
d = sys.argv[1]
v = np.fromfile(d + '/v.f32', dtype=np.float32)
w = np.fromfile(d + '/w.f32', dtype=np.float32)
fig, ax = plt.subplots()
out = {}
n, e, _ = ax.hist(v, bins=17)
out['hist'] = {'counts': n.tolist(), 'edges': e.tolist()}
n, e, _ = ax.hist(v, bins=5, range=(-0.25, 0.5))
out['hist_range'] = {'counts': n.tolist(), 'edges': e.tolist()}
try:
    ax.hist(np.full(4, np.nan, np.float32))
    out['all_nan'] = 'no error'
except ValueError as err:
    out['all_nan'] = str(err)
h, xe, ye, _ = ax.hist2d(v, w, bins=[6, 4], range=[[-1, 1], [0, 2]])
out['hist2d'] = {'counts': h.ravel().tolist(), 'xedges': xe.tolist(), 'yedges': ye.tolist()}
try:
    ax.hist2d(v, w, bins=4)
    out['hist2d_nan'] = 'no error'
except ValueError as err:
    out['hist2d_nan'] = str(err)
print(json.dumps(out))
`;

describe('hist and hist2d against matplotlib', () => {
  // float32 samples with NaN, values on bin edges and duplicates
  const v = Float32Array.from({ length: 4001 }, (_, i) => (i % 97 === 0 ? NaN : Math.sin(i * 12.9898) * 0.8 + (i % 7 === 0 ? 0.25 : 0)));
  const w = Float32Array.from({ length: 4001 }, (_, i) => ((i * 37) % 101) / 50);

  it('counts and edges equal ax.hist / ax.hist2d; the filters give the same', (ctx) => {
    needs(ctx, 'numpy and matplotlib in the reference Python', pythonHas('numpy', 'matplotlib'));
    const dir = mkdtempSync(join(tmpdir(), 'plot-hist-'));
    try {
      writeFileSync(join(dir, 'v.f32'), Buffer.from(v.buffer));
      writeFileSync(join(dir, 'w.f32'), Buffer.from(w.buffer));
      const ref = pythonJson<{
        hist: { counts: number[]; edges: number[] };
        hist_range: { counts: number[]; edges: number[] };
        all_nan: string;
        hist2d: { counts: number[]; xedges: number[]; yedges: number[] };
        hist2d_nan: string;
      }>(MPL, [dir]);
      const [, [ax]] = subplots();
      // NaN left out, range from nanmin/nanmax, float32 edges (numpy's, which ax.hist returns as float64)
      expect(ref.hist.edges.every((e) => Math.fround(e) === e)).toBe(true);
      const h = ax.hist(v, { bins: 17 });
      expect(h.counts).toEqual(ref.hist.counts);
      expect(h.edges).toEqual(ref.hist.edges);
      const hr = ax.hist(v, { bins: 5, range: [-0.25, 0.5] });
      expect(hr.counts).toEqual(ref.hist_range.counts);
      expect(hr.edges).toEqual(ref.hist_range.edges);
      // all NaN: numpy's error in both
      expect(ref.all_nan).toMatch(/autodetected range of \[nan, nan\] is not finite/);
      expect(() => ax.hist(new Float32Array([NaN, NaN]))).toThrow(/hist: autodetected range \[NaN, NaN\] is not finite/);
      // hist2d is np.histogram2d
      const h2 = ax.hist2d(v, w, { bins: [6, 4], range: [[-1, 1], [0, 2]] });
      expect(Array.from(h2.counts)).toEqual(ref.hist2d.counts);
      expect(h2.xedges).toEqual(ref.hist2d.xedges);
      expect(h2.yedges).toEqual(ref.hist2d.yedges);
      expect(ref.hist2d_nan).toMatch(/autodetected range of \[nan, nan\] is not finite/);
      expect(() => ax.hist2d(v, w, { bins: 4 })).toThrow(/hist2d: autodetected range \[NaN, NaN\] is not finite/);
      // one implementation: the filters' histograms give the same bins
      const finite = v.filter((x) => !Number.isNaN(x));
      const f = histogram(v, 17, [Math.min(...finite), Math.max(...finite)]);
      expect(Array.from(f.counts)).toEqual(ref.hist.counts);
      expect(Array.from(f.edges)).toEqual(ref.hist.edges);
      const f2 = histogram2d(v, w, [6, 4], [[-1, 1], [0, 2]]);
      expect(Array.from(f2.counts.data)).toEqual(ref.hist2d.counts);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
