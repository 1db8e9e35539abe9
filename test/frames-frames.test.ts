import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { columnArray, frameFromColumns, frameToColumns } from '../lib/frames/index.js';
import { loadDanfo } from '../lib/frames/frames.js';
import { adoptColumnStore } from '../lib/frames/danfo-store.js';

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
    const mismatches = (a: Float64Array, b: ArrayLike<number>) => {
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
    expect(columnArray(ones, 'x')).toEqual(Float64Array.from([0.5, 2.5]));
    expect(columnArray(df, 'spot')).toEqual(Float64Array.from([1, 0, 0, 1]));
    df.addColumn('y', [4, 3, 2, 1], { inplace: true });
    expect(columnArray(df, 'y')).toEqual(Float64Array.from([4, 3, 2, 1]));
    expect(df.shape).toEqual([4, 4]);
  });

  it('a plain danfo DataFrame reads back too', () => {
    const dfd = loadDanfo();
    const df = new dfd.DataFrame({ a: [1, 2], b: [true, false] });
    expect(columnArray(df, 'a')).toEqual(Float64Array.from([1, 2]));
    expect(columnArray(df, 'b')).toEqual(Float64Array.from([1, 0]));
  });

  it('names the argument in errors', () => {
    expect(() => frameFromColumns({})).toThrow(/no columns/);
    expect(() => frameFromColumns({ a: new Float32Array(3), b: new Float32Array(2) })).toThrow(/column 'b' has 2 values/);
    const df = frameFromColumns({ a: [1, 2] });
    expect(() => columnArray(df, 'zz')).toThrow(/no column 'zz'/);
    expect(() => columnArray(df)).toThrow(/name the column/);
  });

  it('keeps float64 columns exact (danfo holds JS numbers; columnArray returns Float64Array)', () => {
    const x = Float64Array.from([0.1, 1 / 3, 1e-300, -2.5e17, Math.PI]);
    const df = frameFromColumns({ x, f: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5]) });
    const back = columnArray(df, 'x');
    expect(back).toBeInstanceOf(Float64Array);
    expect(Array.from(back)).toEqual(Array.from(x));
    expect(Array.from(columnArray(df, 'f'))).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5])));
    expect(Array.from(columnArray(df['x']))).toEqual(Array.from(x));
  });
});

describe("danfo's private stores: the one function that uses them (danfojs-node 1.2.0)", () => {
  it('after adoption every public view of the frame agrees with the columns', () => {
    const df = frameFromColumns({ a: Float64Array.from([1.5, 2.5, 3.5]), b: Int32Array.from([7, 8, 9]) });
    // read before any row-store access: shape and columns come from the column store
    expect(df.shape).toEqual([3, 2]);
    expect(df.getColumnData).toEqual([[1.5, 2.5, 3.5], [7, 8, 9]]);
    expect(df.index).toEqual([0, 1, 2]);
    // danfo's own row-based views
    expect(df.values).toEqual([[1.5, 7], [2.5, 8], [3.5, 9]]);
    expect(df['b'].values).toEqual([7, 8, 9]);
    expect(df.iloc({ rows: [1] }).values).toEqual([[2.5, 8]]);
    expect(df.shape).toEqual([3, 2]);
  });

  it('refuses, by name, a danfo whose stores are not where 1.2.0 keeps them', () => {
    const dfd = loadDanfo();
    const df = new dfd.DataFrame([], { columns: ['a'], dtypes: ['float32'] });
    delete (df as unknown as Record<string, unknown>)['$dataIncolumnFormat'];
    expect(() => adoptColumnStore(df, [[1]], 1)).toThrow(/stores elsewhere than version 1\.2/);
    const pkg = JSON.parse(readFileSync('node_modules/danfojs-node/package.json', 'utf8')) as { version: string };
    // a danfo upgrade must pass the test above before this pin moves
    expect(pkg.version).toBe('1.2.0');
  });
});

