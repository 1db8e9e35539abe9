/**
 * Shared structural types. Every stage of the library (io → filters → features →
 * models → metrics → plots) accepts these, so a plain `{ data, shape }` object, an
 * `NDArray` or a typed matrix all flow through without conversion.
 *
 * Also the one table of dtype facts ({@link DTYPES}: bytes, kind, range, numpy name, typed
 * array) and the one way to tell an array's dtype ({@link arrayDtype}); the NDArray, the file
 * formats and the filters all use these instead of keeping their own lists.
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

/** A constructor of one of the {@link NumericArray} typed arrays. */
export interface NumericArrayConstructor {
  new (length: number): NumericArray;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): NumericArray;
  readonly BYTES_PER_ELEMENT: number;
}

/** Facts about one dtype (see {@link DTYPES}). */
export interface DTypeInfo {
  /** Bytes per element. */
  readonly bytes: number;
  /** 'float', 'int' (signed integer), 'uint' (unsigned integer) or 'bool' (stored as 0/1 bytes). */
  readonly kind: 'float' | 'int' | 'uint' | 'bool';
  /** The smallest and the largest finite value an element holds. */
  readonly min: number;
  readonly max: number;
  /** numpy's type string for it, little-endian ('<f4', '|u1', '|b1', …). */
  readonly numpy: string;
  /** The typed array that stores it. */
  readonly array: NumericArrayConstructor;
}

/**
 * The one table of dtype facts (size, kind, range, numpy name, typed array) that the
 * NDArray, the file readers and writers and the filters share, so they cannot disagree.
 *
 * @example
 *   DTYPES.uint16.max;      // 65535
 *   DTYPES.float32.numpy;   // '<f4'
 *   new DTYPES.int16.array(4);
 */
export const DTYPES: Readonly<Record<DType, DTypeInfo>> = Object.freeze({
  float32: { bytes: 4, kind: 'float', min: -3.4028234663852886e38, max: 3.4028234663852886e38, numpy: '<f4', array: Float32Array },
  float64: { bytes: 8, kind: 'float', min: -Number.MAX_VALUE, max: Number.MAX_VALUE, numpy: '<f8', array: Float64Array },
  uint8: { bytes: 1, kind: 'uint', min: 0, max: 255, numpy: '|u1', array: Uint8Array },
  int8: { bytes: 1, kind: 'int', min: -128, max: 127, numpy: '|i1', array: Int8Array },
  uint16: { bytes: 2, kind: 'uint', min: 0, max: 65535, numpy: '<u2', array: Uint16Array },
  int16: { bytes: 2, kind: 'int', min: -32768, max: 32767, numpy: '<i2', array: Int16Array },
  uint32: { bytes: 4, kind: 'uint', min: 0, max: 4294967295, numpy: '<u4', array: Uint32Array },
  int32: { bytes: 4, kind: 'int', min: -2147483648, max: 2147483647, numpy: '<i4', array: Int32Array },
  bool: { bytes: 1, kind: 'bool', min: 0, max: 1, numpy: '|b1', array: Uint8Array },
} satisfies Record<DType, DTypeInfo>);

/** True when `name` is one of the {@link DType} names. */
export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, name);
}

/**
 * The dtype name of a typed array (a Uint8Array reads as 'uint8'; 'bool' is never guessed).
 *
 * @param a a typed array
 * @param fn the function named in the error
 * @returns its dtype name
 * @throws when `a` is not one of the {@link NumericArray} types
 * @example
 *   typedArrayDtype(new Int16Array(3)); // 'int16'
 */
export function typedArrayDtype(a: NumericArray, fn = 'dtypeOf'): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof Int32Array) return 'int32';
  throw new Error(`${fn}: not a supported typed array (Float32Array, Float64Array, (U)Int8/16/32Array)`);
}

/**
 * The dtype of any `{data, shape}`: its declared `dtype` (an NDArray's), else the typed array's.
 *
 * @param a an NDArray or `{data, shape}` (optionally with `dtype`)
 * @param fn the function named in the error
 * @returns the dtype name
 * @throws when the declared dtype is not a {@link DType} name or the data is no supported typed array
 * @example
 *   arrayDtype({ data: new Uint16Array(4), shape: [2, 2] }); // 'uint16'
 *   arrayDtype(mask);                                         // 'bool' for a bool NDArray
 */
export function arrayDtype(a: ArrayLike2D, fn = 'arrayDtype'): DType {
  const d = (a as { dtype?: unknown }).dtype;
  if (d !== undefined) {
    if (!isDType(d)) throw new Error(`${fn}: unknown dtype '${String(d)}' (one of ${Object.keys(DTYPES).join(', ')})`);
    return d;
  }
  return typedArrayDtype(a.data, fn);
}
