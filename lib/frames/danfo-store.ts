/**
 * The one place that touches danfojs' private stores, and why it must.
 *
 * danfojs-node 1.2 keeps a DataFrame twice: a row store (`$data`, one JS array per row, which
 * its `shape`, `values`, `head`, `query` read) and a column store (`$dataIncolumnFormat`). Its
 * public constructor always builds the rows and then transposes them into columns. For the
 * lecture's training table (2 million pixels × 3 columns) that costs 3 to 8 s and about 250 MB
 * per frame on a 2-core machine (measured with `new DataFrame(rows, { columns, dtypes })`, the
 * cheapest public form; the object-of-columns form is slower still), and notebook 03 builds two
 * such frames. {@link adoptColumnStore} instead fills the column store directly and builds the
 * row store only when danfo first asks for it.
 *
 * What it relies on, checked on every call (so a danfojs upgrade that moves the stores fails
 * here, by name, instead of giving wrong frames): a DataFrame made by the public constructor
 * owns `$dataIncolumnFormat`, `$index` and `$data`, and its `shape` is a getter on the
 * prototype. test/frames-frames.test.ts checks that every public view (shape, values,
 * getColumnData, index, head, query, addColumn) agrees after adoption.
 */
import type { DataFrame } from 'danfojs-node';

/** danfo 1.2's internal stores. */
interface DanfoStores {
  $dataIncolumnFormat: unknown[][];
  $index: (string | number)[];
  $columns: string[];
  $config: { isLowMemoryMode?: boolean };
  $data: unknown[];
}

/** True when `key` is a getter somewhere on the prototype chain of `obj` (not an own field). */
function inheritedGetter(obj: object, key: string): boolean {
  for (let p = Object.getPrototypeOf(obj) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d) return typeof d.get === 'function';
  }
  return false;
}

/**
 * Makes `df` (an empty frame from the public constructor, with its columns and dtypes set)
 * hold `columns` (one plain array per column, all of length n): the column store is adopted
 * as it is, the index is 0…n−1, and the row store is built on danfo's first read of it.
 *
 * @throws when danfo's stores are not where danfojs-node 1.2 keeps them, or in low-memory mode
 */
export function adoptColumnStore(df: DataFrame, columns: unknown[][], n: number): DataFrame {
  const inner = df as unknown as DanfoStores;
  const own = (k: string): boolean => Object.prototype.hasOwnProperty.call(df, k);
  if (!own('$dataIncolumnFormat') || !own('$index') || !own('$data') || !inheritedGetter(df, 'shape') || !Array.isArray(inner.$columns)) {
    throw new Error('frameFromColumns: this danfojs-node keeps its DataFrame stores elsewhere than version 1.2 did; update lib/frames/danfo-store.ts');
  }
  if (inner.$config?.isLowMemoryMode) throw new Error('frameFromColumns: danfo low-memory mode is not supported');
  inner.$dataIncolumnFormat = columns;
  const index = new Array<number>(n);
  for (let i = 0; i < n; i++) index[i] = i;
  inner.$index = index;
  let rows: unknown[][] | null = null;
  // danfo's row store, built on first use from the column store
  Object.defineProperty(df, '$data', {
    configurable: true,
    enumerable: true,
    get(this: DanfoStores) {
      if (rows === null) {
        const cols = this.$dataIncolumnFormat;
        const m = cols.length;
        const r = new Array<unknown[]>(n);
        for (let i = 0; i < n; i++) {
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
    get(this: DanfoStores) {
      if (rows === null) return [n, this.$columns.length];
      return [rows.length, rows.length > 0 ? rows[0]!.length : this.$columns.length];
    },
  });
  return df;
}
