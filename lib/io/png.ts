/**
 * PNG read and write through pngjs (the requested package), 8 and 16 bit, grey, grey+alpha,
 * RGB, RGBA and palette images.
 *
 * pngjs always decodes to RGBA; we cut that back to the channels the file has, the way
 * numpy/imageio/skimage.io present it: grey → `[rows, cols]`, grey+alpha → `[rows, cols, 2]`,
 * RGB → `[rows, cols, 3]`, RGBA → `[rows, cols, 4]`, palette → RGB (RGBA with tRNS).
 * Samples keep their stored values (`skipRescale`): 16-bit files read as uint16, 8-bit and
 * lower as uint8 (no rescaling of 1/2/4-bit grey to 0..255; raw sample values, like PIL's
 * mode 'L'/'I;16'). Annotation masks then read as `png.channel(1).eq(0)` for the lecture's
 * `mask = png[:, :, 1] == 0`.
 *
 * Writing: uint8 → 8-bit, uint16 → 16-bit; bool → 8-bit 0/255 (what skimage.io.imsave does, so
 * masks are visible in any viewer); float arrays are rejected (scale and convert first, the
 * conversion is a decision the caller must make), and so are values a declared dtype cannot
 * hold, unless `{ clip: true }`. Files are written atomically.
 *
 * Reading hostile files: pngjs trusts the header. Given a 100-byte file whose IHDR claims
 * 30000², it allocates gigabytes and returns an image of zeros; on a truncated file or a bad
 * CRC its messages name neither problem. So before pngjs sees the bytes we walk the chunks
 * ourselves: every chunk must lie inside the file (else "file truncated after N of M bytes"),
 * every CRC must match ("PNG is corrupt (CRC error in chunk IDAT)"), IHDR must be sane and
 * declare no more than `maxPixels` pixels (a decompression-bomb guard, default
 * {@link DEFAULT_MAX_PIXELS} like Pillow's), and the IDAT stream must inflate to exactly the
 * bytes the IHDR's size needs: it is inflated with that many bytes as the output limit, so a
 * bomb stops at the limit instead of filling the memory. Only then does pngjs decode.
 */
import { crc32, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { NDArray } from '../core/ndarray.js';
import { arrayDtype } from '../core/types.js';
import type { ArrayLike2D, DType } from '../core/types.js';
import { DEFAULT_MAX_PIXELS, checkPixelLimit, readWholeFile } from './_file.js';
import { writableData } from './_write.js';
import { writeFileAtomic } from './atomic.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Options of readPng / decodePng. */
export interface ReadPngOptions {
  /**
   * Largest image (width × height) to decode; larger ones are refused as a possible
   * decompression bomb. Default {@link DEFAULT_MAX_PIXELS} (Pillow's limit, about 9459²).
   */
  maxPixels?: number;
}

/** Samples per pixel of each PNG colour type. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Bit depths allowed per colour type (PNG spec, table 11.1). */
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Bytes of the filtered, uncompressed image data a PNG of this header holds. */
function rawLength(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number): number => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  // Adam7 passes: [x0, y0, dx, dy].
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  let n = 0;
  for (const [x0, y0, dx, dy] of passes) n += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return n;
}

/**
 * Checks the chunk structure, CRCs, header and data size of PNG bytes before anything large is
 * allocated (see the module header). Throws an Error naming `where` and the problem.
 */
function checkPng(bytes: Uint8Array, where: string, maxPixels: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let interlaced = false;
  let sawIhdr = false;
  let sawPlte = false;
  let sawIend = false;
  let o = 8;
  while (!sawIend) {
    if (o + 8 > bytes.length) {
      throw new Error(`${where}: file truncated after ${bytes.length} bytes (no IEND chunk; the file ends ${o === bytes.length ? 'after' : 'inside'} the chunk before byte ${o + 8})`);
    }
    const length = dv.getUint32(o);
    const type = String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!);
    const named = /^[A-Za-z]{4}$/.test(type) ? type : JSON.stringify(type);
    if (length > 0x7fffffff) throw new Error(`${where}: PNG is corrupt (chunk ${named} at byte ${o} declares ${length} bytes)`);
    const end = o + 12 + length;
    if (end > bytes.length) throw new Error(`${where}: file truncated after ${bytes.length} of ${end} bytes (inside chunk ${named} at byte ${o})`);
    const stored = dv.getUint32(o + 8 + length);
    if ((crc32(bytes.subarray(o + 4, o + 8 + length)) >>> 0) !== stored) {
      throw new Error(`${where}: PNG is corrupt (CRC error in chunk ${named} at byte ${o})`);
    }
    if (named !== type) throw new Error(`${where}: PNG is corrupt (no chunk at byte ${o}: type bytes ${named})`);
    const data = bytes.subarray(o + 8, o + 8 + length);
    if (!sawIhdr && type !== 'IHDR') throw new Error(`${where}: PNG is corrupt (first chunk is ${type}, not IHDR)`);
    if (type === 'IHDR') {
      if (sawIhdr) throw new Error(`${where}: PNG is corrupt (a second IHDR chunk at byte ${o})`);
      if (length !== 13) throw new Error(`${where}: PNG is corrupt (IHDR has ${length} bytes, not 13)`);
      sawIhdr = true;
      width = dv.getUint32(o + 8);
      height = dv.getUint32(o + 12);
      depth = data[8]!;
      colorType = data[9]!;
      if (width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) throw new Error(`${where}: PNG is corrupt (IHDR size ${width}×${height})`);
      if (!DEPTHS[colorType]) throw new Error(`${where}: PNG is corrupt (colour type ${colorType} does not exist)`);
      if (!DEPTHS[colorType]!.includes(depth)) throw new Error(`${where}: PNG is corrupt (bit depth ${depth} is not allowed for colour type ${colorType})`);
      if (data[10] !== 0 || data[11] !== 0) throw new Error(`${where}: PNG is corrupt (compression method ${data[10]}, filter method ${data[11]}; only 0 exists)`);
      if (data[12] !== 0 && data[12] !== 1) throw new Error(`${where}: PNG is corrupt (interlace method ${data[12]})`);
      interlaced = data[12] === 1;
      checkPixelLimit(where, width, height, maxPixels);
    } else if (type === 'PLTE') {
      if (length === 0 || length % 3 !== 0 || length > 768) throw new Error(`${where}: PNG is corrupt (PLTE of ${length} bytes)`);
      sawPlte = true;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      sawIend = true;
    } else if ((bytes[o + 4]! & 0x20) === 0) {
      throw new Error(`${where}: unsupported critical PNG chunk ${type}`);
    }
    o = end;
  }
  if (idat.length === 0) throw new Error(`${where}: PNG is corrupt (no IDAT chunk: no image data)`);
  if (colorType === 3 && !sawPlte) throw new Error(`${where}: PNG is corrupt (a palette image without a PLTE chunk)`);
  const need = rawLength(width, height, depth * CHANNELS[colorType]!, interlaced);
  const stream = idat.length === 1 ? idat[0]! : Buffer.concat(idat);
  let raw: Buffer;
  try {
    // The output limit is what the header's size needs: a bomb stops here, not in memory.
    raw = inflateSync(stream, { maxOutputLength: Math.max(1, need) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`${where}: PNG is corrupt (the image data inflates to more than the ${need} bytes a ${width}×${height} image needs)`);
    }
    const why = /unexpected end/i.test(e.message) ? 'the compressed image data ends early: file truncated or corrupt' : `the compressed image data is corrupt: ${e.message}`;
    throw new Error(`${where}: PNG is corrupt (${why})`);
  }
  if (raw.length !== need) {
    throw new Error(`${where}: PNG is corrupt (the image data inflates to ${raw.length} bytes, a ${width}×${height} image needs ${need}: truncated data or a lying header)`);
  }
}

/**
 * Decodes PNG bytes.
 *
 * @param bytes the file contents
 * @param name the file name used in error messages
 * @param opts `{ maxPixels }`, see {@link ReadPngOptions}
 * @returns uint8 or uint16 NDArray, `[rows, cols]` for grey, `[rows, cols, ch]` otherwise
 * @throws an Error naming `name` and the problem: not a PNG, truncated, CRC error, lying header,
 *   larger than `maxPixels`
 * @example
 *   const png = decodePng(readFileSync('mask.png'), 'mask.png');
 */
export function decodePng(bytes: Uint8Array, name = '<buffer>', opts: ReadPngOptions = {}): NDArray {
  const where = `readPng ${name}`;
  if (bytes.length < 8 || PNG_MAGIC.some((b, i) => bytes[i] !== b)) throw new Error(`${where}: bad magic (not a PNG file)`);
  checkPng(bytes, where, opts.maxPixels ?? DEFAULT_MAX_PIXELS);
  let png: PNG & { depth?: number; colorType?: number; alpha?: boolean };
  try {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    png = PNG.sync.read(buf, { skipRescale: true }) as typeof png;
  } catch (err) {
    throw new Error(`${where}: cannot decode PNG: ${(err as Error).message}`);
  }
  const { width, height } = png;
  const colorType = png.colorType ?? 6;
  const depth = png.depth ?? 8;
  const ch = colorType === 0 ? 1 : colorType === 4 ? 2 : colorType === 2 ? 3 : colorType === 6 ? 4 : png.alpha ? 4 : 3;
  const rgba = png.data as unknown as Uint8Array | Uint16Array;
  const n = width * height;
  if (rgba.length !== 4 * n) throw new Error(`${where}: decoded ${rgba.length} samples for a ${width}×${height} image (corrupt file?)`);
  const dtype: DType = depth === 16 && colorType !== 3 ? 'uint16' : 'uint8';
  const out = dtype === 'uint16' ? new Uint16Array(n * ch) : new Uint8Array(n * ch);
  // Which RGBA slots hold the file's channels: grey → R, grey+alpha → R, A.
  const slots = ch === 1 ? [0] : ch === 2 ? [0, 3] : ch === 3 ? [0, 1, 2] : [0, 1, 2, 3];
  for (let i = 0; i < n; i++) for (let c = 0; c < ch; c++) out[i * ch + c] = rgba[i * 4 + slots[c]!]!;
  return new NDArray(out, ch === 1 ? [height, width] : [height, width, ch], dtype);
}

/**
 * Reads a PNG file.
 *
 * @param path the file
 * @param opts `{ maxPixels }`: the largest image to accept (default {@link DEFAULT_MAX_PIXELS})
 * @returns uint8 or uint16 NDArray, `[rows, cols]` for grey, `[rows, cols, ch]` for colour
 * @throws an Error naming the path and the problem (missing, a directory, truncated, corrupt, too large)
 * @example
 *   const png = readPng('data/spots/mixture12_00001.png'); // NDArray(uint8, [rows, cols, 3])
 *   const mask = png.channel(1).eq(0);                      // png[:, :, 1] == 0
 */
export function readPng(path: string, opts: ReadPngOptions = {}): NDArray {
  return decodePng(readWholeFile('readPng', path), path, opts);
}

/** Options of writePng / encodePng. */
export interface WritePngOptions {
  /**
   * Round and clip values the dtype cannot hold (NaN → 0) instead of refusing them; default
   * false. Only for data whose declared dtype (uint8, uint16) differs from its typed array.
   */
  clip?: boolean;
}

/**
 * Encodes an image as PNG bytes.
 *
 * @param array uint8, uint16 or bool; `[rows, cols]` (grey) or `[rows, cols, ch]` with ch 1-4
 *   (grey, grey+alpha, RGB, RGBA)
 * @param opts `{ clip }`: see {@link WritePngOptions}
 * @returns the PNG file bytes
 * @throws when the shape, the channel count or the dtype cannot be written, or a value does not
 *   fit the declared dtype
 * @example
 *   const bytes = encodePng(NDArray.zeros([32, 32], 'uint8'));
 */
export function encodePng(array: ArrayLike2D, opts: WritePngOptions = {}): Uint8Array {
  const declared = arrayDtype(array, 'writePng');
  if (declared !== 'uint16' && declared !== 'uint8' && declared !== 'bool') {
    throw new Error(`writePng: dtype ${declared} not supported; convert to uint8 or uint16 first (e.g. scale floats to 0..255)`);
  }
  const { dtype, data: src, shape } = writableData('writePng', array, opts);
  if (shape.length !== 2 && shape.length !== 3) throw new Error(`writePng: image must be [rows, cols] or [rows, cols, ch], got [${shape.join(', ')}]`);
  const [height, width] = shape as [number, number];
  const ch = shape.length === 3 ? shape[2]! : 1;
  if (ch < 1 || ch > 4) throw new Error(`writePng: ${ch} channels not supported (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA)`);
  if (width < 1 || height < 1) throw new Error(`writePng: empty image [${shape.join(', ')}]`);
  const n = width * height;
  const sixteen = dtype === 'uint16';
  const colorType = ch === 1 ? 0 : ch === 2 ? 4 : ch === 3 ? 2 : 6;
  const samples = n * ch;
  // pngjs wants the input in the output layout: bytes for 8-bit, a buffer over native
  // Uint16 for 16-bit (it swaps to big-endian itself).
  let input: Buffer;
  if (sixteen) {
    const u16 = new Uint16Array(samples);
    u16.set(src as Uint16Array);
    input = Buffer.from(u16.buffer);
  } else {
    input = Buffer.alloc(samples);
    if (dtype === 'bool') for (let i = 0; i < samples; i++) input[i] = src[i] ? 255 : 0;
    else input.set(src as Uint8Array);
  }
  const png = new PNG({ width, height, colorType, inputColorType: colorType, bitDepth: sixteen ? 16 : 8, inputHasAlpha: ch === 2 || ch === 4 });
  png.data = input;
  return PNG.sync.write(png, { colorType, inputColorType: colorType, bitDepth: sixteen ? 16 : 8, inputHasAlpha: ch === 2 || ch === 4 });
}

/**
 * Writes an image as a PNG file (atomic: temporary file + rename).
 *
 * @param path target file; parent directories are created
 * @param array uint8/uint16/bool image, grey `[rows, cols]` or `[rows, cols, 1..4]`
 * @param opts `{ clip }`: see {@link WritePngOptions}
 * @returns the absolute path written
 * @example
 *   writePng('build/mask.png', mask);      // bool mask → 0/255 grey
 *   writePng('build/rgb.png', rgbUint8);   // [rows, cols, 3]
 */
export function writePng(path: string, array: ArrayLike2D, opts: WritePngOptions = {}): string {
  return writeFileAtomic(path, encodePng(array, opts));
}
