/**
 * TIFF read through utif (a maintained, dependency-light decoder; neutron-imaging detectors
 * write TIFF). Supports uncompressed, LZW, Deflate (utif uses pako), PackBits; strips or tiles;
 * 8/16/32-bit unsigned/signed integers and 32/64-bit floats; one or more samples per pixel.
 *
 * What we add around utif: it returns raw bytes and leaves the interpretation to the caller,
 * and it silently reads zeros past the end of a truncated file. So we check the strip/tile
 * byte ranges against the file length (truncated → Error naming the file), map
 * BitsPerSample/SampleFormat to the NDArray dtype, fix the byte order of big-endian
 * 32/64-bit data (utif only swaps 16-bit), and read float64 strips ourselves (utif caps samples
 * at 32 bits). Planar configuration 2 (tifffile's default for a 3-D array whose last axis is
 * not 3 or 4) is rejected with a clear error: utif misplaces its strips. utif indexes `data.buffer` with absolute offsets,
 * so it always gets a fresh ArrayBuffer copy (a pooled Node Buffer would shift them).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { NDArray } from '../core/ndarray.js';
import type { DType, NumericArray } from '../core/types.js';

/** Options for readTiff. */
export interface ReadTiffOptions {
  /** Which page (image file directory) to read; default 0. */
  page?: number;
}

type Ifd = Record<string, unknown> & { data?: Uint8Array; width?: number; height?: number };

/** The two utif entry points we use (utif ships no types). */
interface Utif {
  decode(buf: ArrayBuffer): Ifd[];
  decodeImage(buf: ArrayBuffer, ifd: Ifd, ifds: Ifd[]): void;
}

let utif: Utif | undefined;
function loadUtif(): Utif {
  utif ??= createRequire(import.meta.url)('utif') as Utif;
  return utif;
}

function tag(ifd: Ifd, t: number): number[] | undefined {
  const v = ifd[`t${t}`];
  return Array.isArray(v) ? (v as number[]) : undefined;
}

/**
 * utif caps samples at 32 bits, so float64 strips are read here: uncompressed or Deflate,
 * no predictor, strips only (what tifffile and ImageJ write for float64).
 */
function read64(bytes: Uint8Array, ifd: Ifd, offsets: number[], counts: number[], where: string): Uint8Array {
  const cmpr = tag(ifd, 259)?.[0] ?? 1;
  if (tag(ifd, 322)) throw new Error(`${where}: tiled float64 TIFF not supported`);
  if (cmpr !== 1 && cmpr !== 8 && cmpr !== 32946) throw new Error(`${where}: float64 TIFF with compression ${cmpr} not supported`);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const strip = bytes.subarray(offsets[i]!, offsets[i]! + counts[i]!);
    try {
      parts.push(cmpr === 1 ? strip : inflateSync(strip));
    } catch (err) {
      throw new Error(`${where}: cannot inflate strip ${i}: ${(err as Error).message}`);
    }
  }
  return Buffer.concat(parts);
}

/**
 * Decodes TIFF bytes.
 *
 * @param bytes the file contents
 * @param name the file name used in error messages
 * @param opts `{page}`
 * @returns NDArray `[rows, cols]` (one sample per pixel) or `[rows, cols, samples]`
 * @example
 *   const img = decodeTiff(readFileSync('frame.tif'), 'frame.tif');
 */
export function decodeTiff(bytes: Uint8Array, name = '<buffer>', opts: ReadTiffOptions = {}): NDArray {
  const where = `readTiff ${name}`;
  const b0 = bytes[0];
  const b1 = bytes[1];
  const le = b0 === 0x49 && b1 === 0x49 && bytes[2] === 42 && bytes[3] === 0;
  const be = b0 === 0x4d && b1 === 0x4d && bytes[2] === 0 && bytes[3] === 42;
  if (bytes.length < 8 || (!le && !be)) throw new Error(`${where}: bad magic (not a classic TIFF file; BigTIFF is not supported)`);
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  let ifds: Ifd[];
  try {
    ifds = loadUtif().decode(buf).filter((d) => tag(d, 256) !== undefined);
  } catch (err) {
    throw new Error(`${where}: cannot parse TIFF directories (truncated or corrupt file?): ${(err as Error).message}`);
  }
  const page = opts.page ?? 0;
  if (!Number.isInteger(page) || page < 0 || page >= ifds.length) {
    throw new Error(`${where}: page ${page} not found (file has ${ifds.length} image page(s))`);
  }
  const ifd = ifds[page]!;
  const width = tag(ifd, 256)![0]!;
  const height = tag(ifd, 257)?.[0];
  if (height === undefined) throw new Error(`${where}: page ${page} has no ImageLength tag`);
  const bps = tag(ifd, 258) ?? [1];
  const spp = tag(ifd, 277)?.[0] ?? bps.length;
  const fmt = tag(ifd, 339)?.[0] ?? 1;
  const planar = tag(ifd, 284)?.[0] ?? 1;
  const predictor = tag(ifd, 317)?.[0] ?? 1;
  const bits = bps[0]!;
  if (bps.some((b) => b !== bits)) throw new Error(`${where}: mixed BitsPerSample [${bps.join(', ')}] not supported`);
  if (planar !== 1 && spp > 1) throw new Error(`${where}: planar configuration ${planar} not supported`);
  if (predictor === 3) throw new Error(`${where}: floating-point predictor not supported`);
  let dtype: DType;
  if (fmt === 3 && bits === 32) dtype = 'float32';
  else if (fmt === 3 && bits === 64) dtype = 'float64';
  else if (fmt === 2 && bits === 8) dtype = 'int8';
  else if (fmt === 2 && bits === 16) dtype = 'int16';
  else if (fmt === 2 && bits === 32) dtype = 'int32';
  else if (fmt === 1 && bits === 8) dtype = 'uint8';
  else if (fmt === 1 && bits === 16) dtype = 'uint16';
  else if (fmt === 1 && bits === 32) dtype = 'uint32';
  else throw new Error(`${where}: unsupported sample type (BitsPerSample ${bits}, SampleFormat ${fmt})`);
  // Truncation check: every strip/tile must lie inside the file.
  const offsets = tag(ifd, 273) ?? tag(ifd, 324) ?? [];
  const counts = tag(ifd, 279) ?? tag(ifd, 325) ?? [];
  if (offsets.length === 0) throw new Error(`${where}: page ${page} has no strip or tile offsets`);
  for (let i = 0; i < offsets.length; i++) {
    const end = offsets[i]! + (counts[i] ?? 0);
    if (end > bytes.length) {
      throw new Error(`${where}: file truncated: strip/tile ${i} ends at byte ${end}, file has ${bytes.length} bytes`);
    }
  }
  let raw: Uint8Array | undefined;
  if (bits === 64) {
    raw = read64(bytes, ifd, offsets, counts, where);
  } else {
    try {
      loadUtif().decodeImage(buf, ifd, ifds);
    } catch (err) {
      throw new Error(`${where}: cannot decode image data (corrupt or truncated?): ${(err as Error).message}`);
    }
    raw = ifd.data;
  }
  const item = bits / 8;
  const n = width * height * spp;
  if (!raw || raw.length < n * item) {
    throw new Error(`${where}: decoded ${raw?.length ?? 0} bytes, a ${height}×${width}×${spp} image of ${dtype} needs ${n * item} (unsupported compression or corrupt file)`);
  }
  const copy = new Uint8Array(n * item);
  copy.set(raw.subarray(0, n * item));
  if (be && item > 2) for (let i = 0; i < copy.length; i += item) copy.subarray(i, i + item).reverse();
  const Ctor = {
    float32: Float32Array,
    float64: Float64Array,
    int8: Int8Array,
    int16: Int16Array,
    int32: Int32Array,
    uint8: Uint8Array,
    uint16: Uint16Array,
    uint32: Uint32Array,
  }[dtype as Exclude<DType, 'bool'>];
  const data = new Ctor(copy.buffer) as NumericArray;
  return new NDArray(data, spp === 1 ? [height, width] : [height, width, spp], dtype);
}

/**
 * Reads a TIFF image (one page).
 *
 * @param path the file
 * @param opts `{page}` (default 0)
 * @returns NDArray `[rows, cols]` or `[rows, cols, samples]`, dtype from the file (e.g. uint16)
 * @example
 *   const frame = readTiff('data/raw/frame_0001.tif'); // NDArray(uint16, [rows, cols])
 */
export function readTiff(path: string, opts: ReadTiffOptions = {}): NDArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`readTiff ${path}: cannot read file: ${(err as Error).message}`);
  }
  return decodeTiff(bytes, path, opts);
}
