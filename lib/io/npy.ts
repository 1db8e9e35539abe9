/**
 * NPY read and write (numpy's `.npy` format, versions 1.0, 2.0 and 3.0).
 *
 * Layout: magic `\x93NUMPY`, major/minor version, header length (uint16 LE in v1, uint32 LE
 * in v2/v3), a Python-literal dict `{'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }`
 * padded with spaces to a multiple of 64 bytes and ending in '\n', then the raw data.
 *
 * Design choices:
 * - Written by hand (about 200 lines) rather than through an npm package: the format is tiny,
 *   and we need exact control of error messages (file name + problem) and of dtypes.
 * - Read dtypes: `<f4 <f8 <u2 <i2 |u1 |i1 <u4 <i4 <i8 <u8 |b1` and their big-endian `>` forms
 *   (byte-swapped on read). `int64`/`uint64` have no typed array in NDArray (BigInt64Array would
 *   break every consumer), so they read as `int32` when every value fits, else `float64` when
 *   every value is exact in a double (|v| ≤ 2^53); anything larger is an error, never a silent
 *   wrong array.
 * - Fortran-ordered files are transposed into C order on read (the NDArray is always row-major),
 *   so `np.asfortranarray(a)` saved and read back equals `a`.
 * - Writes choose version 1.0 when the header fits (what numpy writes), 2.0 otherwise, and are
 *   atomic (writeFileAtomic).
 * - The data size must match the shape exactly: shorter (truncated) or longer files are errors,
 *   found from the header before the data is allocated.
 * - Writes refuse what they could not read back (lib/io/_write.ts): a shape that is not whole
 *   numbers ≥ 0, or values the declared dtype cannot hold (unless `{ clip: true }`).
 */
import { NDArray } from '../core/ndarray.js';
import { DTYPES } from '../core/types.js';
import type { ArrayLike2D, DType, NumericArray } from '../core/types.js';
import { readWholeFile } from './_file.js';
import { writableData } from './_write.js';
import { writeFileAtomic } from './atomic.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The parsed header of an NPY file. */
export interface NpyHeader {
  /** numpy dtype string, e.g. '<f4'. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Format version [major, minor]. */
  version: [number, number];
  /** Byte offset of the data. */
  dataOffset: number;
}

interface DescrInfo {
  dtype: DType | 'int64' | 'uint64';
  size: number;
}

function descrInfo(descr: string, where: string): DescrInfo {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) throw new Error(`${where}: unsupported dtype '${descr}' (supported: <f4 <f8 <u2 <i2 |u1 |i1 <u4 <i4 <i8 <u8 |b1)`);
  const kind = m[2]!;
  const size = Number(m[3]);
  const key = `${kind}${size}`;
  // numpy's kind+size → dtype: the shared dtype table, plus the two 64-bit integers read specially.
  const table: Record<string, DescrInfo['dtype']> = { i8: 'int64', u8: 'uint64' };
  for (const [name, info] of Object.entries(DTYPES)) table[info.numpy.slice(1)] = name as DType;
  const dtype = table[key];
  if (!dtype) throw new Error(`${where}: unsupported dtype '${descr}' (supported: <f4 <f8 <u2 <i2 |u1 |i1 <u4 <i4 <i8 <u8 |b1)`);
  return { dtype, size };
}

function parseHeaderDict(text: string, where: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) {
    throw new Error(`${where}: malformed NPY header ${JSON.stringify(text.trim().slice(0, 200))} (needs descr, fortran_order and shape)`);
  }
  const dims = shape[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw new Error(`${where}: invalid shape (${shape[1]}) in NPY header`);
      return v;
    });
  return { descr: descr[1]!, fortranOrder: fortran[1] === 'True', shape: dims };
}

/**
 * Parses the header of NPY bytes.
 *
 * @param bytes the file contents
 * @param name the file name used in error messages
 * @returns descr, fortranOrder, shape, version and data offset
 * @example
 *   const h = parseNpyHeader(readFileSync('data/tofdata.npy'), 'data/tofdata.npy');
 *   h.shape; // [rows, cols, bands]
 */
export function parseNpyHeader(bytes: Uint8Array, name = '<buffer>'): NpyHeader {
  const where = `readNpy ${name}`;
  if (bytes.length < 10) throw new Error(`${where}: file too short (${bytes.length} bytes) to be an NPY file (truncated?)`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error(`${where}: bad magic string (not an NPY file; expected \\x93NUMPY)`);
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = bytes[8]! | (bytes[9]! << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error(`${where}: file truncated inside the NPY preamble`);
    headerLen = (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16)) + bytes[11]! * 0x1000000;
    start = 12;
  } else {
    throw new Error(`${where}: unsupported NPY format version ${major}.${minor}`);
  }
  if (start + headerLen > bytes.length) {
    throw new Error(`${where}: file truncated inside the header (header needs ${headerLen} bytes, file has ${bytes.length - start})`);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const dict = parseHeaderDict(text, where);
  return { ...dict, version: [major, minor], dataOffset: start + headerLen };
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Converts a Fortran-ordered flat array (shape `shape`) to C order. */
function fortranToC<T extends NumericArray>(src: T, shape: readonly number[]): T {
  const nd = shape.length;
  if (nd < 2) return src;
  const out = new (src.constructor as new (n: number) => T)(src.length);
  // Fortran strides: stride[0] = 1, stride[a] = stride[a-1] * shape[a-1].
  const fstride = new Array<number>(nd);
  fstride[0] = 1;
  for (let a = 1; a < nd; a++) fstride[a] = fstride[a - 1]! * shape[a - 1]!;
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const nLast = shape[last]!;
  const sLast = fstride[last]!;
  for (let o = 0; o < src.length; o += nLast) {
    let base = 0;
    for (let a = 0; a < last; a++) base += idx[a]! * fstride[a]!;
    for (let j = 0; j < nLast; j++) out[o + j] = src[base + j * sLast]!;
    for (let a = last - 1; a >= 0; a--) {
      idx[a]!++;
      if (idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/**
 * Decodes NPY bytes into an NDArray (see the module header for dtypes).
 *
 * @param bytes the file contents
 * @param name the file name used in error messages
 * @returns the array in C order with the file's dtype (int64 → int32 or float64)
 * @example
 *   const a = parseNpy(readFileSync('x.npy'), 'x.npy');
 */
export function parseNpy(bytes: Uint8Array, name = '<buffer>'): NDArray {
  const where = `readNpy ${name}`;
  const h = parseNpyHeader(bytes, name);
  const info = descrInfo(h.descr, where);
  const n = product(h.shape);
  const need = n * info.size;
  const have = bytes.length - h.dataOffset;
  if (have < need) {
    throw new Error(`${where}: file truncated: shape [${h.shape.join(', ')}] of ${h.descr} needs ${need} data bytes, found ${have}`);
  }
  if (have > need) {
    throw new Error(`${where}: size mismatch: shape [${h.shape.join(', ')}] of ${h.descr} needs ${need} data bytes, file has ${have}`);
  }
  // Copy into a fresh aligned buffer (the data offset need not be a multiple of the item size).
  const raw = new Uint8Array(need);
  raw.set(bytes.subarray(h.dataOffset, h.dataOffset + need));
  const bigEndian = h.descr[0] === '>';
  if (bigEndian && info.size > 1) {
    for (let i = 0; i < need; i += info.size) raw.subarray(i, i + info.size).reverse();
  }
  let data: NumericArray;
  let dtype: DType;
  if (info.dtype === 'int64' || info.dtype === 'uint64') {
    const big = info.dtype === 'int64' ? new BigInt64Array(raw.buffer) : new BigUint64Array(raw.buffer);
    let fits32 = true;
    for (let i = 0; i < n; i++) {
      const v = big[i]!;
      if (v < -2147483648n || v > 2147483647n) {
        fits32 = false;
        if (v < -9007199254740992n || v > 9007199254740992n) {
          throw new Error(`${where}: ${h.descr} value ${v} at flat index ${i} is not exact as a double; int64 data beyond 2^53 is not supported`);
        }
      }
    }
    if (fits32) {
      data = new Int32Array(n);
      dtype = 'int32';
    } else {
      data = new Float64Array(n);
      dtype = 'float64';
    }
    for (let i = 0; i < n; i++) data[i] = Number(big[i]!);
  } else {
    dtype = info.dtype;
    data = new DTYPES[dtype].array(raw.buffer);
    if (dtype === 'bool') for (let i = 0; i < n; i++) if (data[i]! > 1) data[i] = 1;
  }
  if (h.fortranOrder) data = fortranToC(data, h.shape);
  return new NDArray(data, h.shape, dtype);
}

/**
 * Reads a `.npy` file.
 *
 * @param path the file
 * @returns an NDArray with the file's shape and dtype, C order
 * @example
 *   const cube = readNpy('data/tofdata.npy'); // NDArray(float32, [rows, cols, bands])
 */
export function readNpy(path: string): NDArray {
  return parseNpy(readWholeFile('readNpy', path), path);
}

/** Options of writeNpy / encodeNpy. */
export interface WriteNpyOptions {
  /**
   * Round and clip values the declared dtype cannot hold (NaN → 0) instead of refusing them;
   * default false.
   */
  clip?: boolean;
}

/**
 * Encodes an array as NPY bytes (C order, little-endian, version 1.0 when possible).
 *
 * @param array any `{data, shape}`; an NDArray's dtype is kept ('bool' → '|b1')
 * @param opts `{ clip }`: see {@link WriteNpyOptions}
 * @returns the bytes of a .npy file
 * @throws when the shape is not whole numbers >= 0 matching the data, or a value does not fit the
 *   declared dtype
 * @example
 *   const bytes = encodeNpy(NDArray.zeros([4, 4]));
 */
export function encodeNpy(array: ArrayLike2D, opts: WriteNpyOptions = {}): Uint8Array {
  const { dtype, data: src, shape } = writableData('writeNpy', array, opts);
  const n = src.length;
  const descr = DTYPES[dtype].numpy;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1;
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    version = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - pre;
  const header = dict + ' '.repeat(headerLen - dict.length - 1) + '\n';
  const itemBytes = DTYPES[dtype].bytes;
  const out = new Uint8Array(total + n * itemBytes);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, headerLen, true);
  else dv.setUint32(8, headerLen, true);
  out.set(Buffer.from(header, 'latin1'), pre);
  // Typed arrays are little-endian on every platform Node runs on (x86, ARM).
  out.set(new Uint8Array(src.buffer, src.byteOffset, n * itemBytes), total);
  return out;
}

/**
 * Writes an array to a `.npy` file (atomic: temporary file + rename).
 *
 * @param path target file; parent directories are created
 * @param array any `{data, shape}` (NDArray dtype kept, e.g. uint16 → '<u2', bool → '|b1')
 * @param opts `{ clip }`: see {@link WriteNpyOptions}
 * @returns the absolute path written
 * @example
 *   writeNpy('data/tofdata.npy', cube); // np.load('data/tofdata.npy') reads it back
 */
export function writeNpy(path: string, array: ArrayLike2D, opts: WriteNpyOptions = {}): string {
  return writeFileAtomic(path, encodeNpy(array, opts));
}
