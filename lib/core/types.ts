/**
 * Shared structural types. Every stage of the library (io → filters → features →
 * models → metrics → plots) accepts these, so a plain `{ data, shape }` object, an
 * `NDArray` or a typed matrix all flow through without conversion.
 */

/** The typed arrays an image or matrix may hold. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array;

/** Names of the element types, numpy-style. `bool` is stored as Uint8Array of 0/1. */
export type DType =
  | 'float32'
  | 'float64'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'bool';

/**
 * Anything with row-major `data` and a `shape`: a 2-D image is `[rows, cols]`, a stack
 * `[rows, cols, bands]`, a feature matrix `[n, d]`.
 */
export interface ArrayLike2D {
  readonly data: NumericArray;
  readonly shape: readonly number[];
}

/** A feature matrix: `shape` is `[n, d]`, `data` row-major. */
export interface Matrix {
  readonly data: NumericArray;
  readonly shape: readonly [number, number] | readonly number[];
}
