/**
 * NDArray: the one typed array type of the library.
 *
 * A row-major typed array plus a shape: 2-D images `[rows, cols]`, stacks
 * `[rows, cols, bands]`, feature matrices `[n, d]`. Float32 by default; integer
 * dtypes keep raw detector counts (a FITS file of uint16 counts reads as uint16).
 * `bool` is stored as a Uint8Array of 0/1.
 *
 * Views: `reshape`, `flatten` and crops of whole rows share memory with the source
 * (like numpy views); crops of columns and stepped slices copy (numpy would make a
 * strided view; the lecture only reads them, so a compact copy is simpler and faster
 * to feed to filters and models).
 *
 * @example
 *   const img = NDArray.zeros([2048, 2048]);
 *   const crop = img.slice([128, 256], [500, 1300]);    // f[128:256, 500:1300]
 *   const small = img.slice([0, 2048, 4], [0, 2048, 4]); // f[::4, ::4]
 *   const spectra = cube.reshape([-1, cube.shape[2]]);    // rows·cols × bands
 */
import { DTYPES, isDType, typedArrayDtype } from './types.js';
import type { ArrayLike2D, DType, NumericArray } from './types.js';

/** A numpy-style slice: `[start, stop]`, `[start, stop, step]`, `null` (all) or one index. */
export type SliceSpec = readonly [number, number] | readonly [number, number, number] | null | number;

/** Allocates a typed array of `dtype` with `n` elements. */
export function allocate(dtype: DType, n: number): NumericArray {
  if (!isDType(dtype)) throw new Error(`allocate: unknown dtype '${String(dtype)}'`);
  return new DTYPES[dtype].array(n);
}

/** The dtype name of a typed array (Uint8Array reads as uint8; pass 'bool' explicitly). */
export function dtypeOf(a: NumericArray): DType {
  return typedArrayDtype(a, 'dtypeOf');
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

function checkShape(shape: readonly number[], where: string): void {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new Error(`${where}: invalid shape [${shape.join(', ')}]`);
  }
}

export class NDArray<T extends NumericArray = NumericArray> implements ArrayLike2D {
  /** Row-major elements. */
  readonly data: T;
  /** Extent per axis. */
  readonly shape: number[];
  /** Element type name. */
  readonly dtype: DType;

  /**
   * @param data row-major elements; its length must equal the product of `shape`
   * @param shape extent per axis
   * @param dtype defaults to the typed array's type ('bool' must be given explicitly)
   */
  constructor(data: T, shape: readonly number[], dtype?: DType) {
    checkShape(shape, 'NDArray');
    const n = product(shape);
    if (data.length !== n) {
      throw new Error(`NDArray: data has ${data.length} elements but shape [${shape.join(', ')}] needs ${n}`);
    }
    this.data = data;
    this.shape = [...shape];
    this.dtype = dtype ?? dtypeOf(data);
  }

  /** An array of zeros. */
  static zeros(shape: readonly number[], dtype: DType = 'float32'): NDArray {
    checkShape(shape, 'NDArray.zeros');
    return new NDArray(allocate(dtype, product(shape)), shape, dtype);
  }

  /** Wraps any `{data, shape}` object (no copy when it already is an NDArray). */
  static from(a: ArrayLike2D): NDArray {
    return a instanceof NDArray ? a : new NDArray(a.data, a.shape);
  }

  /**
   * Joins arrays of one shape along a new first axis (numpy's `np.stack(arrays)`): n images
   * `[rows, cols]` become a stack `[n, rows, cols]`.
   *
   * @param arrays - at least one array, all of the same shape
   * @returns a new array `[n, ...shape]`, of the first array's dtype
   * @example
   *   const stack = NDArray.stack([a, b, c]);   // [3, rows, cols]
   */
  static stack(arrays: readonly ArrayLike2D[]): NDArray {
    if (!Array.isArray(arrays) || arrays.length === 0) throw new Error('NDArray.stack: needs at least one array');
    const first = NDArray.from(arrays[0]!);
    const n = first.size;
    arrays.forEach((a, k) => {
      if (!a || !Array.isArray(a.shape) || a.shape.length !== first.shape.length || a.shape.some((s: number, i: number) => s !== first.shape[i])) {
        throw new Error(`NDArray.stack: array ${k} has shape [${a?.shape?.join(', ')}], the first has [${first.shape.join(', ')}]`);
      }
    });
    const out = allocate(first.dtype, n * arrays.length);
    arrays.forEach((a, k) => (out as Float64Array).set(a.data as ArrayLike<number>, k * n));
    return new NDArray(out, [arrays.length, ...first.shape], first.dtype);
  }

  /** Builds a float32 array from nested JS arrays (1-D, 2-D or 3-D). */
  static fromNested(rows: readonly (number | readonly (number | readonly number[])[])[]): NDArray<Float32Array> {
    const shape: number[] = [];
    let probe: unknown = rows;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = probe[0];
    }
    const flat = (rows as unknown[]).flat(Infinity) as number[];
    return new NDArray(Float32Array.from(flat), shape);
  }

  get size(): number {
    return this.data.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of rows (axis 0). */
  get rows(): number {
    return this.shape[0] ?? 1;
  }
  /** Number of columns (axis 1). */
  get cols(): number {
    return this.shape[1] ?? 1;
  }
  /** Number of bands (axis 2), 1 for a 2-D image. */
  get bands(): number {
    return this.shape[2] ?? 1;
  }

  /** Flat offset of a multi-index. */
  offset(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new Error(`NDArray: index has ${index.length} axes, array has ${this.shape.length}`);
    }
    let o = 0;
    for (let a = 0; a < index.length; a++) {
      const i = index[a]!;
      const s = this.shape[a]!;
      if (!Number.isInteger(i) || i < -s || i >= s) throw new Error(`NDArray: index ${i} out of range for axis ${a} of size ${s}`);
      o = o * s + (i < 0 ? i + s : i);
    }
    return o;
  }

  /** Element at a multi-index (negative indices count from the end). */
  get(...index: number[]): number {
    return this.data[this.offset(...index)]!;
  }

  /** Sets the element at a multi-index. */
  set(value: number, ...index: number[]): void {
    this.data[this.offset(...index)] = value;
  }

  /** Same data, new shape (one axis may be -1). Shares memory. */
  reshape(shape: readonly number[]): NDArray<T> {
    const free = shape.filter((s) => s === -1).length;
    if (free > 1) throw new Error('reshape: only one axis may be -1');
    let resolved = [...shape];
    if (free === 1) {
      const known = product(shape.filter((s) => s !== -1));
      if (known === 0 || this.size % known !== 0) {
        throw new Error(`reshape: cannot reshape ${this.size} elements into [${shape.join(', ')}]`);
      }
      resolved = shape.map((s) => (s === -1 ? this.size / known : s));
    }
    if (product(resolved) !== this.size) {
      throw new Error(`reshape: cannot reshape [${this.shape.join(', ')}] (${this.size} elements) into [${shape.join(', ')}]`);
    }
    return new NDArray(this.data, resolved, this.dtype);
  }

  /** 1-D view of all elements. */
  flatten(): NDArray<T> {
    return this.reshape([this.size]);
  }

  /**
   * The transpose of a 2-D array (numpy's `a.T`): rows become columns. Copies.
   *
   * @example
   *   NDArray.fromNested(km.centroids).transpose();   // one centroid spectrum per column, for plot()
   */
  transpose(): NDArray<T> {
    if (this.ndim !== 2) throw new Error(`transpose: expected a 2-D array, got shape [${this.shape.join(', ')}]`);
    const [r, c] = this.shape as [number, number];
    const out = allocate(this.dtype, this.size) as T;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = this.data[i * c + j]!;
    return new NDArray(out, [c, r], this.dtype);
  }

  /** A deep copy. */
  copy(): NDArray<T> {
    return new NDArray(this.data.slice() as T, this.shape, this.dtype);
  }

  /** Converts to another dtype (copies; float→int truncates toward zero like numpy's astype). */
  astype(dtype: DType): NDArray {
    const out = allocate(dtype, this.size);
    if (dtype === 'bool') {
      for (let i = 0; i < this.size; i++) out[i] = this.data[i] ? 1 : 0;
    } else {
      (out as Float64Array).set(this.data as ArrayLike<number>);
    }
    return new NDArray(out, this.shape, dtype);
  }

  /**
   * numpy-style basic slicing, one spec per leading axis (missing axes are taken whole).
   * A number selects one index and drops the axis. Negative start/stop count from the end.
   * Row-only crops of a C-ordered array share memory; other slices copy.
   *
   * @example img.slice([600, 856], [600, 856]) // img[600:856, 600:856]
   */
  slice(...specs: SliceSpec[]): NDArray<T> {
    if (specs.length > this.ndim) throw new Error(`slice: ${specs.length} specs for a ${this.ndim}-D array`);
    const starts: number[] = [];
    const steps: number[] = [];
    const counts: number[] = [];
    const keep: boolean[] = [];
    for (let a = 0; a < this.ndim; a++) {
      const n = this.shape[a]!;
      const spec = specs[a] ?? null;
      if (spec === null) {
        starts.push(0);
        steps.push(1);
        counts.push(n);
        keep.push(true);
      } else if (typeof spec === 'number') {
        const i = spec < 0 ? spec + n : spec;
        if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`slice: index ${spec} out of range for axis ${a} of size ${n}`);
        starts.push(i);
        steps.push(1);
        counts.push(1);
        keep.push(false);
      } else {
        const step = spec[2] ?? 1;
        if (!Number.isInteger(step) || step < 1) throw new Error(`slice: step must be a positive integer, got ${step}`);
        const clamp = (v: number): number => Math.min(n, Math.max(0, v < 0 ? v + n : v));
        const s = clamp(spec[0]);
        const e = clamp(spec[1]);
        starts.push(s);
        steps.push(step);
        counts.push(e > s ? Math.ceil((e - s) / step) : 0);
        keep.push(true);
      }
    }
    const outShape = counts.filter((_, a) => keep[a]);
    // Contiguous case: only axis 0 restricted with step 1 (or a single leading index).
    let contiguous = steps[0] === 1;
    for (let a = 1; a < this.ndim; a++) {
      if (starts[a] !== 0 || counts[a] !== this.shape[a] || steps[a] !== 1) contiguous = false;
    }
    if (contiguous) {
      const inner = product(this.shape.slice(1));
      const begin = starts[0]! * inner;
      const sub = this.data.subarray(begin, begin + counts[0]! * inner) as T;
      return new NDArray(sub, outShape, this.dtype);
    }
    const out = allocate(this.dtype, product(counts)) as T;
    const strides = this.shape.map((_, a) => product(this.shape.slice(a + 1)));
    const nd = this.ndim;
    const idx = new Array<number>(nd).fill(0);
    const total = out.length;
    const last = nd - 1;
    const lastCount = counts[last]!;
    const lastStep = steps[last]! * strides[last]!;
    for (let o = 0; o < total; o += lastCount) {
      let base = 0;
      for (let a = 0; a < last; a++) base += (starts[a]! + idx[a]! * steps[a]!) * strides[a]!;
      base += starts[last]! * strides[last]!;
      for (let j = 0; j < lastCount; j++) out[o + j] = this.data[base + j * lastStep]!;
      for (let a = last - 1; a >= 0; a--) {
        idx[a]!++;
        if (idx[a]! < counts[a]!) break;
        idx[a] = 0;
      }
    }
    return new NDArray(out, outShape, this.dtype);
  }

  /**
   * The array mirrored along one axis (numpy's `np.flip(a, axis)`): axis 0 turns an image upside
   * down, axis 1 mirrors it left–right. A copy.
   *
   * @param axis - the axis to reverse, 0 … ndim − 1
   * @example
   *   const mirrored = img.flip(1);   // img[:, ::-1]
   */
  flip(axis: number): NDArray<T> {
    if (!Number.isInteger(axis) || axis < 0 || axis >= this.shape.length) {
      throw new Error(`NDArray.flip: axis must be a whole number from 0 to ${this.shape.length - 1}, got ${String(axis)}`);
    }
    const n = this.shape[axis]!;
    const inner = this.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outer = this.size / (n * inner || 1);
    const out = this.data.slice() as T;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const from = (o * n + i) * inner, to = (o * n + (n - 1 - i)) * inner;
        for (let j = 0; j < inner; j++) out[to + j] = this.data[from + j]!;
      }
    }
    return new NDArray(out, this.shape, this.dtype);
  }

  /** Band `i` of a rows × cols × bands stack as a 2-D image (copies), like `png[:, :, 1]`. */
  channel(i: number): NDArray<T> {
    if (this.ndim !== 3) throw new Error(`channel: needs a 3-D array, got shape [${this.shape.join(', ')}]`);
    return this.slice(null, null, i);
  }

  /** Element-wise map into a new float32 array (or `dtype`). */
  map(fn: (v: number, i: number) => number, dtype: DType = 'float32'): NDArray {
    const out = allocate(dtype, this.size);
    const d = this.data;
    for (let i = 0; i < d.length; i++) out[i] = fn(d[i]!, i);
    return new NDArray(out, this.shape, dtype);
  }

  /** Boolean mask `this == v`. */
  eq(v: number): NDArray<Uint8Array> {
    return this.map((x) => (x === v ? 1 : 0), 'bool') as NDArray<Uint8Array>;
  }
  /** Boolean mask `this > v`. */
  gt(v: number): NDArray<Uint8Array> {
    return this.map((x) => (x > v ? 1 : 0), 'bool') as NDArray<Uint8Array>;
  }
  /** Boolean mask `this < v`. */
  lt(v: number): NDArray<Uint8Array> {
    return this.map((x) => (x < v ? 1 : 0), 'bool') as NDArray<Uint8Array>;
  }

  /** Sum of all elements (float64 accumulation). */
  sum(): number {
    let s = 0;
    const d = this.data;
    for (let i = 0; i < d.length; i++) s += d[i]!;
    return s;
  }
  /** Mean of all elements, or along `axis` (returns an NDArray then). */
  mean(): number;
  mean(axis: number): NDArray<Float32Array>;
  mean(axis?: number): number | NDArray<Float32Array> {
    if (axis === undefined) return this.size === 0 ? NaN : this.sum() / this.size;
    const ax = axis < 0 ? axis + this.ndim : axis;
    if (ax < 0 || ax >= this.ndim) throw new Error(`mean: axis ${axis} out of range for a ${this.ndim}-D array`);
    const outer = product(this.shape.slice(0, ax));
    const n = this.shape[ax]!;
    const inner = product(this.shape.slice(ax + 1));
    const acc = new Float64Array(outer * inner);
    const d = this.data;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        const base = (o * n + k) * inner;
        const ob = o * inner;
        for (let i = 0; i < inner; i++) acc[ob + i]! += d[base + i]!;
      }
    }
    const out = new Float32Array(acc.length);
    for (let i = 0; i < acc.length; i++) out[i] = acc[i]! / n;
    return new NDArray(out, this.shape.filter((_, a) => a !== ax));
  }
  /** Population standard deviation (numpy's default ddof=0). */
  std(): number {
    const m = this.mean();
    let s = 0;
    const d = this.data;
    for (let i = 0; i < d.length; i++) {
      const e = d[i]! - m;
      s += e * e;
    }
    return Math.sqrt(s / this.size);
  }
  min(): number {
    let m = Infinity;
    const d = this.data;
    for (let i = 0; i < d.length; i++) if (d[i]! < m) m = d[i]!;
    return m;
  }
  max(): number {
    let m = -Infinity;
    const d = this.data;
    for (let i = 0; i < d.length; i++) if (d[i]! > m) m = d[i]!;
    return m;
  }

  /** Nested JS arrays (for small arrays and tests). */
  toNested(): unknown[] {
    const build = (axis: number, base: number): unknown[] | number => {
      if (axis === this.ndim) return this.data[base]!;
      const stride = product(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis]! }, (_, i) => build(axis + 1, base + i * stride));
    };
    const r = build(0, 0);
    return Array.isArray(r) ? r : [r];
  }

  /** Short description for console.log and notebook output. */
  toString(): string {
    return `NDArray(${this.dtype}, [${this.shape.join(', ')}])`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A float32 NDArray from any `{data, shape}` (copies only when the dtype differs). */
export function asFloat32(a: ArrayLike2D): NDArray<Float32Array> {
  if (a.data instanceof Float32Array) return new NDArray(a.data, a.shape);
  return new NDArray(Float32Array.from(a.data as ArrayLike<number>), a.shape);
}
