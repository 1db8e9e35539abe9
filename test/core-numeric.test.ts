/**
 * lib/core/numeric.ts against numpy: linspace, meshgrid (both indexings), corrcoef and
 * column_stack on the same inputs; NDArray.transpose against `.T`; bad arguments refused
 * with the function's name.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { columnStack, corrcoef, linspace, meshgrid } from '../lib/core/numeric.js';
import { needs } from './helpers/needs.js';
import { pythonHas, pythonJson } from './helpers/python.js';

const hasNumpy = pythonHas('numpy');

describe('numeric helpers match numpy', () => {
  it('linspace, meshgrid, corrcoef, column_stack and .T', (ctx) => {
    needs(ctx, 'numpy in the reference Python', hasNumpy);
    const rows = [[1, 2, 3.5, 4, 8], [2, 1, 0, -1, -3], [0.5, 0.7, 0.2, 0.9, 0.1]];
    const ref = pythonJson<{ lin: number[]; lin1: number[]; xx: number[][]; yy: number[][]; xi: number[][];
      cc: number[][]; cs: number[][]; t: number[][] }>(`
import json, numpy as np
rows = np.array(${JSON.stringify(rows)})
xx, yy = np.meshgrid(np.linspace(0, 1, 3), np.array([10., 20.]))
xi, _ = np.meshgrid(np.linspace(0, 1, 3), np.array([10., 20.]), indexing='ij')
print(json.dumps({
  'lin': np.linspace(-2 * np.pi, 2 * np.pi, 11).tolist(), 'lin1': np.linspace(3, 7, 1).tolist(),
  'xx': xx.tolist(), 'yy': yy.tolist(), 'xi': xi.tolist(), 'cc': np.corrcoef(rows).tolist(),
  'cs': np.column_stack([rows[0], rows[1:].T]).tolist(), 't': rows.T.tolist()}))
`);
    expect(Array.from(linspace(-2 * Math.PI, 2 * Math.PI, 11).data)).toEqual(ref.lin);
    expect(Array.from(linspace(3, 7, 1).data)).toEqual(ref.lin1);
    const [xx, yy] = meshgrid(linspace(0, 1, 3), [10, 20]);
    expect(xx.toNested()).toEqual(ref.xx);
    expect(yy.toNested()).toEqual(ref.yy);
    expect(meshgrid(linspace(0, 1, 3), [10, 20], { indexing: 'ij' })[0].toNested()).toEqual(ref.xi);
    const cc = corrcoef(rows);
    cc.data.forEach((v, i) => expect(v).toBeCloseTo(ref.cc.flat()[i]!, 12));
    expect(corrcoef(NDArray.fromNested(rows)).data[1]).toBeCloseTo(ref.cc[0]![1]!, 6);
    const a = NDArray.fromNested(rows);
    const cs = columnStack(rows[0]!, a.slice([1, 3]).transpose());
    expect(cs.shape).toEqual([5, 3]);
    cs.data.forEach((v, i) => expect(v).toBeCloseTo(ref.cs.flat()[i]!, 6));
    a.transpose().data.forEach((v, i) => expect(v).toBeCloseTo(ref.t.flat()[i]!, 6));
  });
});

describe('numeric helpers refuse bad input', () => {
  it('names the function and the problem', () => {
    expect(() => linspace(0, 1, 0)).toThrow(/linspace: num must be an integer ≥ 1/);
    expect(() => linspace(0, Infinity)).toThrow(/linspace: start and stop must be finite/);
    expect(() => meshgrid([1, 2], NDArray.zeros([2, 2]))).toThrow(/meshgrid: y must be 1-D/);
    expect(() => corrcoef([[1, 2], [3]])).toThrow(/corrcoef: all rows must have the same length/);
    expect(() => corrcoef([[1]])).toThrow(/corrcoef: need at least one variable and two observations/);
    expect(() => columnStack([1, 2, 3], [1, 2])).toThrow(/columnStack: argument 2 has 2 rows, the first has 3/);
    expect(() => NDArray.zeros([2, 2, 2]).transpose()).toThrow(/transpose: expected a 2-D array/);
  });

  it('corrcoef gives NaN for a constant row, as numpy does', () => {
    const cc = corrcoef([[1, 1, 1], [1, 2, 3]]);
    expect(Number.isNaN(cc.data[1])).toBe(true);
    expect(cc.data[3]).toBeCloseTo(1, 12);
  });
});
