/**
 * Bridges between danfojs-node DataFrames (the lecture's pandas steps: blob tables,
 * training points with columns orig, d, mask) and flat typed arrays.
 *
 * Design: danfo through its public API — `new DataFrame([], { columns, dtypes })` to make a
 * frame, `columns`, `getColumnData` and a Series' `values` to read one — except for one step:
 * filling a frame with millions of rows. danfo's constructor builds one JS array per row and
 * transposes them (seconds and hundreds of MB for the lecture's 2-million-pixel table), so
 * `frameFromColumns` hands danfo its column store directly through `adoptColumnStore`
 * (`danfo-store.ts`, the only code that touches danfo's private fields; it checks them on
 * every call). danfo holds JS numbers, i.e. float64: `columnArray` returns them as a
 * Float64Array, so float64 data come back exactly (float32 and integer data too).
 * danfojs-node is loaded on first use (importing it costs about 2 s: it loads tfjs,
 * which this project redirects from tfjs-node to plain @tensorflow/tfjs).
 *
 * @example
 *   import { frameFromColumns, columnArray } from 'neutron-seg';
 *   const df = frameFromColumns({ orig: f, d: absDiffValues, mask: maskValues });
 *   df.shape;                      // [2048000, 3]
 *   const d = columnArray(df, 'd'); // Float64Array
 */
import { createRequire } from 'node:module';
import type { DataFrame, Series } from 'danfojs-node';
import type { NumericArray } from '../core/types.js';
import { adoptColumnStore } from './danfo-store.js';

type Danfo = typeof import('danfojs-node');
let danfo: Danfo | undefined;

/**
 * The danfojs-node module, loaded on first call (synchronously).
 * @example
 *   const dfd = loadDanfo();
 *   const df = new dfd.DataFrame({ a: [1, 2] });
 */
export function loadDanfo(): Danfo {
  if (!danfo) {
    try {
      danfo = createRequire(import.meta.url)('danfojs-node') as Danfo;
    } catch (err) {
      throw new Error(`frames: danfojs-node could not be loaded (${(err as Error).message})`);
    }
  }
  return danfo;
}

/** A column: a typed array, a number[], or an NDArray-like `{data, dtype?}` (flattened). */
export type FrameColumn = NumericArray | readonly number[] | { readonly data: NumericArray; readonly dtype?: string };

/**
 * A danfo DataFrame from named columns, without one JS object per row.
 * Float columns get dtype 'float32', integer columns 'int32', NDArrays of dtype 'bool'
 * become 'boolean' columns.
 * @param columns `{name: values}`, all of the same length
 * @returns a danfojs-node DataFrame (row store built lazily, on danfo's first need)
 * @example
 *   const df = frameFromColumns({ orig: new Float32Array([1, 2]), mask: new Uint8Array([0, 1]) });
 *   df.columns;   // ['orig', 'mask']
 *   df.dtypes;    // ['float32', 'int32']
 */
export function frameFromColumns(columns: Readonly<Record<string, FrameColumn>>): DataFrame {
  const names = Object.keys(columns);
  if (names.length === 0) throw new Error('frameFromColumns: no columns given');
  let n = -1;
  const colData: unknown[][] = [];
  const dtypes: string[] = [];
  for (const name of names) {
    const col = columns[name]!;
    let vals: ArrayLike<number>;
    let isBool = false;
    if (Array.isArray(col)) vals = col as readonly number[];
    else if (ArrayBuffer.isView(col)) vals = col as NumericArray;
    else if (col && typeof col === 'object' && 'data' in col && ArrayBuffer.isView(col.data)) {
      vals = col.data;
      isBool = col.dtype === 'bool';
    } else throw new Error(`frameFromColumns: column '${name}' must be a typed array, number[] or NDArray`);
    if (n < 0) n = vals.length;
    else if (vals.length !== n) throw new Error(`frameFromColumns: column '${name}' has ${vals.length} values, '${names[0]}' has ${n}`);
    let dtype: string;
    let arr: unknown[];
    if (isBool) {
      dtype = 'boolean';
      const a = new Array<boolean>(n);
      for (let i = 0; i < n; i++) a[i] = vals[i] !== 0;
      arr = a;
    } else {
      const isFloatTyped = vals instanceof Float32Array || vals instanceof Float64Array;
      let allInt = !isFloatTyped;
      const a = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        const v = vals[i]!;
        if (typeof v !== 'number') throw new Error(`frameFromColumns: column '${name}' value ${i} is not a number`);
        a[i] = v;
        if (allInt && !Number.isInteger(v)) allInt = false;
      }
      dtype = allInt ? 'int32' : 'float32';
      arr = a;
    }
    colData.push(arr);
    dtypes.push(dtype);
  }
  const dfd = loadDanfo();
  return adoptColumnStore(new dfd.DataFrame([], { columns: names, dtypes }), colData, n);
}

/**
 * One column of a DataFrame (or a Series' values) as a Float64Array, read through danfo's
 * public accessors (booleans become 0/1, missing values NaN). danfo stores JS numbers, so
 * the values come back exactly as they went in, float64 included.
 * @param frame a danfo DataFrame or Series
 * @param name the column (required for a DataFrame)
 * @example
 *   const orig = columnArray(df, 'orig');   // Float64Array(df.shape[0])
 */
export function columnArray(frame: DataFrame | Series, name?: string): Float64Array {
  let src: ArrayLike<unknown>;
  if (isSeries(frame)) {
    src = frame.values as unknown[];
  } else {
    if (name === undefined) throw new Error('columnArray: name the column of a DataFrame');
    const j = frame.columns.indexOf(name);
    if (j < 0) throw new Error(`columnArray: no column '${name}' (columns: ${frame.columns.join(', ')})`);
    src = frame.getColumnData[j] as unknown[];
  }
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : v === null || v === undefined ? NaN : Number(v);
  }
  return out;
}

/** True for a danfo Series: its public `ndim` is 1 (danfo's internal Series class differs from the exported one, so `instanceof` fails). */
function isSeries(frame: DataFrame | Series): frame is Series {
  return frame.ndim === 1;
}

/**
 * Every column of a DataFrame as Float64Arrays.
 * @example
 *   const { orig, d, mask } = frameToColumns(df);
 */
export function frameToColumns(frame: DataFrame): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of frame.columns) out[name] = columnArray(frame, name);
  return out;
}
