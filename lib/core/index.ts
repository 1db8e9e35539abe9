/**
 * core — the typed images every other stage passes around.
 *
 * Public: `NDArray` (a row-major typed array with a shape: images `[rows, cols]`, stacks
 * `[rows, cols, bands]`, feature matrices `[n, d]`), numpy's small builders `linspace`,
 * `meshgrid`, `corrcoef`, `columnStack` (`numeric.ts`) and the types of array-like arguments.
 *
 * Where things live: `ndarray.ts` (the class, views and crops), `types.ts` (dtypes and the
 * `{ data, shape }` protocol the library accepts), `random.ts` (a small seeded generator the
 * library uses internally; not exported here).
 */
export { NDArray } from './ndarray.js';
export { columnStack, corrcoef, linspace, meshgrid } from './numeric.js';
export type { SliceSpec } from './ndarray.js';
export type { ArrayLike2D, DType, Matrix, NumericArray } from './types.js';
