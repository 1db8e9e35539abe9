/**
 * Raster images inside the SVG figures: the `<image>` of an image artist (only its visible
 * window), resampling to the displayed size, colour mapping, and PNG encoding.
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
import type { ImageArtist } from './artists.js';
import type { Colormap } from './colors.js';
import { f2 } from './text.js';
import type { Box } from './types.js';

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

/**
 * SVG `<image>` of an image artist in the panel `box`: only the visible window of the
 * source, resampled to the displayed size (see the module header), flipped as the axes are.
 */
export function renderImageArtist(a: ImageArtist, sx: (v: number) => number, sy: (v: number) => number, box: Box): string {
  // pixel edges of the whole image
  const [e0, e1, e2, e3] = a.extent;
  // row 0 sits at the 'top' extent value for origin upper, at 'bottom' for lower
  const yRow0 = a.origin === 'upper' ? e3 : e2;
  const yRowN = a.origin === 'upper' ? e2 : e3;
  const px0 = sx(e0);
  const px1 = sx(e1);
  const py0 = sy(yRow0);
  const py1 = sy(yRowN);
  // visible window in source pixel units
  const colAt = (px: number): number => ((px - px0) / (px1 - px0)) * a.cols;
  const rowAt = (py: number): number => ((py - py0) / (py1 - py0)) * a.rows;
  const cA = colAt(box.x);
  const cB = colAt(box.x + box.w);
  const rA = rowAt(box.y);
  const rB = rowAt(box.y + box.h);
  const c0 = Math.max(0, Math.floor(Math.min(cA, cB)));
  const c1 = Math.min(a.cols, Math.ceil(Math.max(cA, cB)));
  const r0 = Math.max(0, Math.floor(Math.min(rA, rB)));
  const r1 = Math.min(a.rows, Math.ceil(Math.max(rA, rB)));
  if (c1 <= c0 || r1 <= r0) return '';
  // pixel rectangle of that window
  const wx0 = px0 + ((px1 - px0) * c0) / a.cols;
  const wx1 = px0 + ((px1 - px0) * c1) / a.cols;
  const wy0 = py0 + ((py1 - py0) * r0) / a.rows;
  const wy1 = py0 + ((py1 - py0) * r1) / a.rows;
  const flipX = wx0 > wx1;
  const flipY = wy0 > wy1;
  const sw = c1 - c0;
  const sh = r1 - r0;
  const dw = Math.max(1, Math.round(Math.abs(wx1 - wx0)));
  const dh = Math.max(1, Math.round(Math.abs(wy1 - wy0)));
  // Shrink to the displayed size; enlarge small images by a whole factor with
  // nearest-neighbour (sharp blocks in every renderer, whatever its smoothing).
  const outW = sw >= dw ? dw : sw * Math.ceil(dw / sw);
  const outH = sh >= dh ? dh : sh * Math.ceil(dh / sh);
  const emb = rasterise(a, r0, r1, c0, c1, outH, outW, flipX, flipY);
  const b64 = Buffer.from(emb.png.buffer, emb.png.byteOffset, emb.png.byteLength).toString('base64');
  const pix = outW > dw || outH > dh;
  return `<image x="${f2(Math.min(wx0, wx1))}" y="${f2(Math.min(wy0, wy1))}" width="${f2(Math.abs(wx1 - wx0))}" height="${f2(Math.abs(wy1 - wy0))}" preserveAspectRatio="none"${pix ? ' image-rendering="optimizeSpeed" style="image-rendering:pixelated"' : ''}${a.alpha < 1 ? ` opacity="${f2(a.alpha)}"` : ''} xlink:href="data:image/png;base64,${b64}"/>`;
}

/** The visible window of an image artist, resampled to outH × outW and encoded as PNG. */
function rasterise(a: ImageArtist, r0: number, r1: number, c0: number, c1: number, outH: number, outW: number, flipX: boolean, flipY: boolean): EmbeddedPng {
  const sw = c1 - c0;
  const sh = r1 - r0;
  // a compact copy of the visible window (all channels)
  let win: NumericArray = a.data;
  if (r0 !== 0 || c0 !== 0 || sw !== a.cols || sh !== a.rows) {
    const W = new Float32Array(sw * sh * a.channels);
    for (let r = 0; r < sh; r++) {
      const src = ((r0 + r) * a.cols + c0) * a.channels;
      for (let k = 0; k < sw * a.channels; k++) W[r * sw * a.channels + k] = a.data[src + k];
    }
    win = W;
  }
  const discrete = a.channels === 1 && (a.cmap.listed || a.interpolation !== 'antialiased');
  const flip = (v: Float32Array): Float32Array => {
    if (!flipX && !flipY) return v;
    const o = new Float32Array(v.length);
    for (let i = 0; i < outH; i++) {
      const si = flipY ? outH - 1 - i : i;
      for (let j = 0; j < outW; j++) o[i * outW + j] = v[si * outW + (flipX ? outW - 1 - j : j)];
    }
    return o;
  };
  if (a.channels === 1) {
    let vals: Float32Array;
    if (outH > sh || outW > sw) vals = resample(win, sh, sw, outH, outW, 'nearest');
    else if (a.interpolation === 'max') vals = resample(win, sh, sw, outH, outW, 'max');
    else if (a.interpolation === 'antialiased' && a.cmap.listed) vals = modeResample(win, sh, sw, outH, outW, a);
    else vals = resample(win, sh, sw, outH, outW, discrete ? 'nearest' : 'area');
    return colormappedPng(flip(vals), outW, outH, a.cmap, a.vmin, a.vmax);
  }
  const rgba = new Uint8Array(outW * outH * 4);
  for (let ch = 0; ch < 4; ch++) {
    if (ch === 3 && a.channels === 3) {
      for (let i = 0; i < outW * outH; i++) rgba[4 * i + 3] = 255;
      continue;
    }
    const v = flip(resample(win, sh, sw, outH, outW, a.interpolation === 'nearest' || outH > sh || outW > sw ? 'nearest' : 'area', a.channels, ch));
    for (let i = 0; i < v.length; i++) rgba[4 * i + ch] = Math.max(0, Math.min(255, Math.round(v[i] * a.rgbScale)));
  }
  return { png: encodeRgbaPng(outW, outH, rgba), width: outW, height: outH };
}

/**
 * Shrinks discrete data (class labels, hit codes) by blocks, keeping each block's most
 * frequent class: an average of two labels would show a third class's colour.
 */
function modeResample(win: NumericArray, rows: number, cols: number, outH: number, outW: number, a: ImageArtist): Float32Array {
  const cm = a.cmap;
  const span = a.vmax - a.vmin;
  const idxOf = (v: number): number => (v !== v ? -1 : cm.index(span > 0 ? (v - a.vmin) / span : 0));
  const rep = new Float64Array(cm.n).fill(NaN); // a data value for each class, to map back
  const out = new Float32Array(outH * outW);
  const counts = new Int32Array(cm.n);
  const rb = Array.from({ length: outH + 1 }, (_, i) => Math.round((i * rows) / outH));
  const cb = Array.from({ length: outW + 1 }, (_, j) => Math.round((j * cols) / outW));
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      counts.fill(0);
      for (let r = rb[i]; r < Math.max(rb[i] + 1, rb[i + 1]); r++) {
        for (let c = cb[j]; c < Math.max(cb[j] + 1, cb[j + 1]); c++) {
          const v = win[r * cols + c];
          const k = idxOf(v);
          if (k >= 0) {
            counts[k]++;
            rep[k] = v;
          }
        }
      }
      let best = -1;
      for (let k = 0; k < cm.n; k++) if (counts[k] > 0 && (best < 0 || counts[k] > counts[best])) best = k;
      out[i * outW + j] = best < 0 ? NaN : rep[best];
    }
  }
  return out;
}
