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
 * conversion is a decision the caller must make). Files are written atomically.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D, DType } from '../core/types.js';
import { writeFileAtomic } from './atomic.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Decodes PNG bytes.
 *
 * @param bytes the file contents
 * @param name the file name used in error messages
 * @returns uint8 or uint16 NDArray, `[rows, cols]` for grey, `[rows, cols, ch]` otherwise
 * @example
 *   const png = decodePng(readFileSync('mask.png'), 'mask.png');
 */
export function decodePng(bytes: Uint8Array, name = '<buffer>'): NDArray {
  const where = `readPng ${name}`;
  if (bytes.length < 8 || PNG_MAGIC.some((b, i) => bytes[i] !== b)) throw new Error(`${where}: bad magic (not a PNG file)`);
  let png: PNG & { depth?: number; colorType?: number; alpha?: boolean };
  try {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    png = PNG.sync.read(buf, { skipRescale: true }) as typeof png;
  } catch (err) {
    const msg = (err as Error).message;
    throw new Error(`${where}: cannot decode PNG (${/unexpected end|truncat|Unexpected end/i.test(msg) ? 'file truncated: ' : ''}${msg})`);
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
 * @returns uint8 or uint16 NDArray, `[rows, cols]` for grey, `[rows, cols, ch]` for colour
 * @example
 *   const png = readPng('data/spots/mixture12_00001.png'); // NDArray(uint8, [rows, cols, 3])
 *   const mask = png.channel(1).eq(0);                      // png[:, :, 1] == 0
 */
export function readPng(path: string): NDArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`readPng ${path}: cannot read file: ${(err as Error).message}`);
  }
  return decodePng(bytes, path);
}

/**
 * Encodes an image as PNG bytes.
 *
 * @param array uint8, uint16 or bool; `[rows, cols]` (grey) or `[rows, cols, ch]` with ch 1-4
 *   (grey, grey+alpha, RGB, RGBA)
 * @returns the PNG file bytes
 * @example
 *   const bytes = encodePng(NDArray.zeros([32, 32], 'uint8'));
 */
export function encodePng(array: ArrayLike2D): Uint8Array {
  const shape = array.shape;
  if (shape.length !== 2 && shape.length !== 3) throw new Error(`writePng: image must be [rows, cols] or [rows, cols, ch], got [${shape.join(', ')}]`);
  const [height, width] = shape as [number, number];
  const ch = shape.length === 3 ? shape[2]! : 1;
  if (ch < 1 || ch > 4) throw new Error(`writePng: ${ch} channels not supported (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA)`);
  if (width < 1 || height < 1) throw new Error(`writePng: empty image [${shape.join(', ')}]`);
  const n = width * height;
  if (array.data.length !== n * ch) throw new Error(`writePng: data has ${array.data.length} elements but shape [${shape.join(', ')}] needs ${n * ch}`);
  const dtype = (array as { dtype?: DType }).dtype ?? NDArray.from(array).dtype;
  const src = array.data;
  let sixteen: boolean;
  if (dtype === 'uint16') sixteen = true;
  else if (dtype === 'uint8' || dtype === 'bool') sixteen = false;
  else throw new Error(`writePng: dtype ${dtype} not supported; convert to uint8 or uint16 first (e.g. scale floats to 0..255)`);
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
 * @returns the absolute path written
 * @example
 *   writePng('build/mask.png', mask);      // bool mask → 0/255 grey
 *   writePng('build/rgb.png', rgbUint8);   // [rows, cols, 3]
 */
export function writePng(path: string, array: ArrayLike2D): string {
  return writeFileAtomic(path, encodePng(array));
}
