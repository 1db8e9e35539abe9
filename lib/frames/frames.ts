/**
 * Bridges between danfojs-node DataFrames (the lecture's pandas steps: blob tables,
 * training points with columns orig, d, mask) and flat typed arrays.
 *
 * Why not `new DataFrame({orig: Array.from(...), ...})`: danfo 1.2 turns an object of
 * columns into one JS array per row, transposes it back into columns and scans every
 * value to infer types: for the lecture's 2 million training pixels that is about 750 MB
 * and seconds before anything happens, and reading a column back builds a Series (another
 * copy of the index and a type scan). Here:
 *   - `frameFromColumns` fills danfo's column store directly (one plain array of numbers
 *     per column, no per-row objects) and builds danfo's row store only when a danfo
 *     operation asks for it (`head`, `query`, `print`...; then danfo pays its usual price);
 *   - `columnArray` reads the column store straight into a Float32Array.
 * danfojs-node is loaded on first use (importing it costs about 2 s: it loads tfjs,
 * which this project redirects from tfjs-node to plain @tensorflow/tfjs).
 *
 * @example
 *   import { frameFromColumns, columnArray } from 'neutron-seg';
 *   const df = frameFromColumns({ orig: f, d: absDiffValues, mask: maskValues });
 *   df.shape;                      // [2048000, 3]
 *   const d = columnArray(df, 'd'); // Float32Array
 */
import { createRequire } from 'node:module';
import type { DataFrame, Series } from 'danfojs-node';
import type { NumericArray } from '../core/types.js';

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

/** danfo's internal stores (danfojs-node 1.2.0), used without going through rows. */
interface DanfoInternals {
  $dataIncolumnFormat: unknown[][];
  $index: (string | number)[];
  $columns: string[];
  $dtypes: string[];
  $config: { isLowMemoryMode?: boolean };
  $data: unknown[];
}

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
  const df = new dfd.DataFrame([], { columns: names, dtypes });
  const inner = df as unknown as DanfoInternals;
  if (inner.$config.isLowMemoryMode) throw new Error('frameFromColumns: danfo low-memory mode is not supported');
  inner.$dataIncolumnFormat = colData;
  const index = new Array<number>(n);
  for (let i = 0; i < n; i++) index[i] = i;
  inner.$index = index;
  const rowsCount = n;
  let rows: unknown[][] | null = null;
  // danfo's row store, built on first use from the column store
  Object.defineProperty(df, '$data', {
    configurable: true,
    enumerable: true,
    get(this: DanfoInternals) {
      if (rows === null) {
        const cols = this.$dataIncolumnFormat;
        const m = cols.length;
        const r = new Array<unknown[]>(rowsCount);
        for (let i = 0; i < rowsCount; i++) {
          const row = new Array<unknown>(m);
          for (let j = 0; j < m; j++) row[j] = cols[j]![i];
          r[i] = row;
        }
        rows = r;
      }
      return rows;
    },
    set(v: unknown[][]) {
      rows = v;
    },
  });
  // shape without building rows (danfo's getter reads the row store)
  Object.defineProperty(df, 'shape', {
    configurable: true,
    get(this: DanfoInternals) {
      if (rows === null) return [rowsCount, this.$columns.length];
      return [rows.length, rows.length > 0 ? rows[0]!.length : this.$columns.length];
    },
  });
  return df;
}

/**
 * One column of a DataFrame (or a Series' values) as a Float32Array, read from danfo's
 * column store (booleans become 0/1, missing values NaN).
 * @param frame a danfo DataFrame or Series
 * @param name the column (required for a DataFrame)
 * @example
 *   const orig = columnArray(df, 'orig');   // Float32Array(df.shape[0])
 */
export function columnArray(frame: DataFrame | Series, name?: string): Float32Array {
  const inner = frame as unknown as DanfoInternals & { $isSeries?: boolean };
  let src: ArrayLike<unknown>;
  if (inner.$isSeries) {
    src = inner.$data as unknown[];
  } else {
    if (name === undefined) throw new Error('columnArray: name the column of a DataFrame');
    const j = inner.$columns.indexOf(name);
    if (j < 0) throw new Error(`columnArray: no column '${name}' (columns: ${inner.$columns.join(', ')})`);
    const col = inner.$dataIncolumnFormat?.[j];
    if (col && !inner.$config.isLowMemoryMode) src = col;
    else {
      const rows = inner.$data as unknown[][];
      const a = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) a[i] = rows[i]![j];
      src = a;
    }
  }
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : v === null || v === undefined ? NaN : Number(v);
  }
  return out;
}

/**
 * Every column of a DataFrame as Float32Arrays.
 * @example
 *   const { orig, d, mask } = frameToColumns(df);
 */
export function frameToColumns(frame: DataFrame): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const name of (frame as unknown as DanfoInternals).$columns) out[name] = columnArray(frame, name);
  return out;
}
