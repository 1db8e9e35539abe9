import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { columnArray, frameFromColumns, frameToColumns } from '../lib/frames/index.js';
import { loadDanfo } from '../lib/frames/frames.js';

describe('frameFromColumns / columnArray (danfojs-node)', () => {
  it('danfojs-node imports (tfjs redirected) and its own DataFrame works', () => {
    const dfd = loadDanfo();
    const df = new dfd.DataFrame({ a: [1, 2, 3] });
    expect(df.shape).toEqual([3, 1]);
  });

  it('2 million rows: shape, dtypes, round trip of every column, danfo column access', () => {
    const n = 2_000_000;
    const orig = new Float32Array(n);
    const d = new Float32Array(n);
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      orig[i] = (i * 7919) % 4096;
      d[i] = ((i * 31) % 1000) / 8;
      mask[i] = i % 97 === 0 ? 1 : 0;
    }
    const df = frameFromColumns({ orig, d, mask });
    expect(df.shape).toEqual([n, 3]);
    expect(df.columns).toEqual(['orig', 'd', 'mask']);
    expect(df.dtypes).toEqual(['float32', 'float32', 'int32']);
    const back = frameToColumns(df);
    // element loops: vitest's deep equality is slow on millions of elements
    const mismatches = (a: Float32Array, b: ArrayLike<number>) => {
      let bad = a.length === b.length ? 0 : 1;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) bad++;
      return bad;
    };
    expect(mismatches(back.orig!, orig)).toBe(0);
    expect(mismatches(back.d!, d)).toBe(0);
    expect(mismatches(back.mask!, mask)).toBe(0);
    expect(columnArray(df, 'd')[12345]).toBe(d[12345]);
    // danfo's own column access reads the same values
    const s = df['mask'];
    expect(s.values.length).toBe(n);
    expect(s.values[97]).toBe(1);
    expect(columnArray(s)[194]).toBe(1);
  });

  it('danfo row operations see the same data (row store built on demand)', () => {
    const df = frameFromColumns({
      x: Float64Array.from([0.5, 1.5, 2.5, 3.5]),
      label: Int32Array.from([1, 0, 1, 0]),
      spot: new NDArray(Uint8Array.from([1, 0, 0, 1]), [4], 'bool'),
    });
    expect(df.dtypes).toEqual(['float32', 'int32', 'boolean']);
    const head = df.head(2);
    expect(head.shape).toEqual([2, 3]);
    expect(head.values).toEqual([
      [0.5, 1, true],
      [1.5, 0, false],
    ]);
    const ones = df.query(df['label'].eq(1));
    expect(columnArray(ones, 'x')).toEqual(Float32Array.from([0.5, 2.5]));
    expect(columnArray(df, 'spot')).toEqual(Float32Array.from([1, 0, 0, 1]));
    df.addColumn('y', [4, 3, 2, 1], { inplace: true });
    expect(columnArray(df, 'y')).toEqual(Float32Array.from([4, 3, 2, 1]));
    expect(df.shape).toEqual([4, 4]);
  });

  it('a plain danfo DataFrame reads back too', () => {
    const dfd = loadDanfo();
    const df = new dfd.DataFrame({ a: [1, 2], b: [true, false] });
    expect(columnArray(df, 'a')).toEqual(Float32Array.from([1, 2]));
    expect(columnArray(df, 'b')).toEqual(Float32Array.from([1, 0]));
  });

  it('names the argument in errors', () => {
    expect(() => frameFromColumns({})).toThrow(/no columns/);
    expect(() => frameFromColumns({ a: new Float32Array(3), b: new Float32Array(2) })).toThrow(/column 'b' has 2 values/);
    const df = frameFromColumns({ a: [1, 2] });
    expect(() => columnArray(df, 'zz')).toThrow(/no column 'zz'/);
    expect(() => columnArray(df)).toThrow(/name the column/);
  });
});
