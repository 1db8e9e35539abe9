/**
 * Raster images inside the SVG figures: resampling to the displayed size, colour
 * mapping, and PNG encoding.
 *
 * Design:
 * - An image is embedded at the resolution it is displayed at (figure pixels at 100 dpi),
 *   never whole: a 2048 × 2048 radiograph in a 400-pixel-wide panel becomes a 400 × 400
 *   PNG. Shrinking averages the source pixels that fall in each output pixel (a box
 *   filter on the data, like matplotlib's anti-aliasing of data before colour mapping);
 *   discrete data (listed colour maps, labels, hit codes) are sampled instead, so two
 *   classes never average into a third colour. An image smaller than its panel is
 *   embedded at its own size and enlarged by the viewer with nearest-neighbour
 *   rendering (`image-rendering: pixelated`), which is both smaller and crisper.
 * - Colour-mapped images are written as palette PNGs (one byte per pixel, the colour
 *   map as the palette). pngjs, the PNG package the project uses elsewhere, cannot write
 *   palette images, so this module writes the few PNG chunks itself over node:zlib;
 *   RGB(A) images go through pngjs. The palette form is 3–4× smaller for the noisy
 *   radiographs the lecture shows, which keeps a notebook's figures well under 1 MB.
 */
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { NumericArray } from '../core/types.js';
import type { Colormap } from './colors.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * Encodes a palette PNG (colour type 3, 8 bits per index).
 *
 * @param width image width
 * @param height image height
 * @param indices width·height palette indices, row-major
 * @param palette RGBA bytes, 4 per entry (at most 256 entries); alpha below 255 adds a tRNS chunk
 * @returns the PNG file bytes
 * @example
 *   const png = encodePalettePng(2, 1, new Uint8Array([0, 1]), new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255]));
 */
export function encodePalettePng(width: number, height: number, indices: Uint8Array, palette: Uint8Array): Uint8Array {
  const n = palette.length / 4;
  if (n < 1 || n > 256 || !Number.isInteger(n)) throw new Error(`encodePalettePng: palette must hold 1…256 RGBA entries, got ${palette.length} bytes`);
  if (indices.length !== width * height) throw new Error(`encodePalettePng: ${indices.length} indices for a ${width}×${height} image`);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const plte = new Uint8Array(n * 3);
  const trns = new Uint8Array(n);
  let anyAlpha = false;
  for (let i = 0; i < n; i++) {
    plte[3 * i] = palette[4 * i];
    plte[3 * i + 1] = palette[4 * i + 1];
    plte[3 * i + 2] = palette[4 * i + 2];
    trns[i] = palette[4 * i + 3];
    if (trns[i] !== 255) anyAlpha = true;
  }
  const raw = new Uint8Array((width + 1) * height);
  for (let r = 0; r < height; r++) raw.set(indices.subarray(r * width, (r + 1) * width), r * (width + 1) + 1);
  const idat = deflateSync(raw, { level: 6 });
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    ...(anyAlpha ? [chunk('tRNS', trns)] : []),
    chunk('IDAT', new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Encodes RGBA bytes (width·height·4) as a PNG with pngjs (colour type 6, or 2 when opaque). */
export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height, colorType: 6, inputHasAlpha: true });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  let opaque = true;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) { opaque = false; break; }
  const buf = PNG.sync.write(png, { colorType: opaque ? 2 : 6, inputHasAlpha: true });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Index ranges [start, end) of source pixels for each of `out` output pixels over `n` source pixels. */
function blocks(n: number, out: number): Int32Array {
  const b = new Int32Array(out + 1);
  for (let i = 0; i <= out; i++) b[i] = Math.round((i * n) / out);
  for (let i = 0; i < out; i++) if (b[i + 1] <= b[i]) b[i + 1] = Math.min(n, b[i] + 1);
  return b;
}

/**
 * Resamples a 2-D array (one channel of a `[rows, cols(, ch)]` array) to `outH × outW`:
 * box-average when shrinking (`mode` 'area', NaNs skipped), block maximum ('max'),
 * centre sampling otherwise ('nearest').
 *
 * @returns Float32Array of outH·outW values
 */
export function resample(
  data: NumericArray,
  rows: number,
  cols: number,
  outH: number,
  outW: number,
  mode: 'area' | 'nearest' | 'max',
  channels = 1,
  channel = 0,
): Float32Array {
  const out = new Float32Array(outH * outW);
  if (mode === 'nearest' || (outH >= rows && outW >= cols)) {
    const cIdx = new Int32Array(outW);
    for (let j = 0; j < outW; j++) cIdx[j] = Math.min(cols - 1, Math.floor(((j + 0.5) * cols) / outW));
    for (let i = 0; i < outH; i++) {
      const r = Math.min(rows - 1, Math.floor(((i + 0.5) * rows) / outH));
      const base = r * cols;
      for (let j = 0; j < outW; j++) out[i * outW + j] = data[(base + cIdx[j]) * channels + channel];
    }
    return out;
  }
  const rb = blocks(rows, outH);
  const cb = blocks(cols, outW);
  const sums = new Float64Array(outW);
  const counts = new Float64Array(outW);
  const colOf = new Int32Array(cols);
  const isMax = mode === 'max';
  for (let j = 0; j < outW; j++) for (let c = cb[j]; c < cb[j + 1]; c++) colOf[c] = j;
  for (let i = 0; i < outH; i++) {
    sums.fill(0);
    counts.fill(0);
    for (let r = rb[i]; r < rb[i + 1]; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) {
        const v = data[(base + c) * channels + channel];
        if (v === v) {
          const j = colOf[c];
          if (isMax) {
            if (counts[j] === 0 || v > sums[j]) sums[j] = v;
            counts[j] = 1;
          } else {
            sums[j] += v;
            counts[j]++;
          }
        }
      }
    }
    for (let j = 0; j < outW; j++) out[i * outW + j] = counts[j] ? sums[j] / counts[j] : NaN;
  }
  return out;
}

/** Finite min and max of an array (NaN, ±Infinity ignored); [0, 1] when nothing is finite. */
export function finiteRange(data: NumericArray): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo && v > -Infinity) lo = v;
    if (v > hi && v < Infinity) hi = v;
  }
  return lo === Infinity ? [0, 1] : [lo, hi];
}

/**
 * Colour-maps values to palette indices of `cmap` (matplotlib's Normalize + LUT lookup).
 * NaN gets index `cmap.n` (a transparent palette entry appended by the caller).
 */
export function mapToIndices(values: Float32Array, cmap: Colormap, vmin: number, vmax: number): { indices: Uint16Array; hasNaN: boolean } {
  const n = cmap.n;
  const idx = new Uint16Array(values.length);
  const span = vmax - vmin;
  const scale = span > 0 ? n / span : 0;
  let hasNaN = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      idx[i] = n;
      hasNaN = true;
      continue;
    }
    // matplotlib: a degenerate range maps everything to 0 (the low end).
    let k = span > 0 ? Math.floor((v - vmin) * scale) : 0;
    if (k < 0) k = 0;
    else if (k >= n) k = n - 1;
    idx[i] = k;
  }
  return { indices: idx, hasNaN };
}

/** A PNG ready to embed: bytes and pixel size. */
export interface EmbeddedPng {
  png: Uint8Array;
  width: number;
  height: number;
}

/**
 * Colour-maps and encodes resampled values as a PNG: a palette PNG when the map has room
 * for a transparent NaN entry (n < 256) or there is no NaN, else RGBA through pngjs.
 */
export function colormappedPng(values: Float32Array, width: number, height: number, cmap: Colormap, vmin: number, vmax: number): EmbeddedPng {
  const { indices, hasNaN } = mapToIndices(values, cmap, vmin, vmax);
  if (!hasNaN || cmap.n < 256) {
    const pal = new Uint8Array((cmap.n + (hasNaN ? 1 : 0)) * 4);
    pal.set(cmap.lut);
    return { png: encodePalettePng(width, height, Uint8Array.from(indices), pal), width, height };
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (k < cmap.n) rgba.set(cmap.lut.subarray(4 * k, 4 * k + 4), 4 * i);
  }
  return { png: encodeRgbaPng(width, height, rgba), width, height };
}
