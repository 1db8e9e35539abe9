/**
 * TIFF read (neutron-imaging detectors write TIFF): classic TIFF, little- or big-endian;
 * uncompressed, LZW, Deflate (both codes 8 and 32946) and PackBits; strips or tiles;
 * horizontal predictor; 8/16/32-bit unsigned and signed integers, 32/64-bit floats; one or
 * more samples per pixel (interleaved); any page of a multi-page file.
 *
 * Why not utif (the package this module used before): utif trusts every number in the file.
 * It follows the directory chain with `while (true)`, so a chain that points back to itself
 * never ends (4.3 GB and a dead process after 100 s); it reads tag values for as many entries
 * as a tag claims (up to 2³² of them); it fills missing strip bytes with zeros, so a doubled
 * ImageWidth returned an image half of zeros; its LZW decoder spins forever on a strip without
 * an end code; its Deflate decoder has no output limit. Those are its core, not options, so
 * this module parses and decodes the file itself, checking every declared size against the
 * bytes present before it allocates:
 * - The chain of image file directories is followed with loop detection and a cap
 *   (`maxPages`, default {@link DEFAULT_MAX_PAGES}), and only as far as the requested page.
 * - Every tag's values must lie inside the file; strip/tile counts must match the image size.
 * - An image larger than `maxPixels` (default {@link DEFAULT_MAX_PIXELS}, Pillow's
 *   decompression-bomb limit) is refused.
 * - Each strip or tile must decode to exactly the bytes its rows need (uncompressed: hold at
 *   least that many; compressed: inflate with that many bytes as the output limit). A shorter
 *   strip is "truncated or corrupt", never zeros.
 * Samples are returned as stored, like tifffile: WhiteIsZero is not inverted, palette indices
 * are not looked up. Planar configuration 2 (tifffile's default for a 3-D array whose last axis
 * is not 3 or 4) is rejected with a clear error, as are YCbCr, JPEG, CCITT and other compressions.
 */
import { constants as bufferConstants } from 'node:buffer';
import { inflateSync } from 'node:zlib';
import { NDArray } from '../core/ndarray.js';
import { DTYPES } from '../core/types.js';
import type { DType, NumericArray } from '../core/types.js';
import { DEFAULT_MAX_PAGES, DEFAULT_MAX_PIXELS, checkPixelLimit, readWholeFile } from './_file.js';

/** Options for readTiff. */
export interface ReadTiffOptions {
  /** Which page (image file directory) to read; default 0. */
  page?: number;
  /**
   * Largest image (width × height) to decode; larger ones are refused as a possible
   * decompression bomb. Default {@link DEFAULT_MAX_PIXELS} (Pillow's limit, about 9459²).
   */
  maxPixels?: number;
  /** Most directories to follow in the file's chain. Default {@link DEFAULT_MAX_PAGES}. */
  maxPages?: number;
}

/** Bytes per value of each TIFF field type (classic TIFF). */
const TYPE_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

const COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  2: 'CCITT RLE',
  3: 'CCITT G3',
  4: 'CCITT G4',
  6: 'old JPEG',
  7: 'JPEG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  50000: 'Zstd',
  50001: 'WebP',
  34925: 'LZMA',
};

/** One directory: where its entries are. */
interface Ifd {
  offset: number;
  entries: Map<number, { type: number; count: number; at: number }>;
}

class TiffFile {
  readonly dv: DataView;
  readonly le: boolean;
  constructor(
    readonly bytes: Uint8Array,
    readonly where: string,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.le = bytes[0] === 0x49;
  }
  u16(o: number): number {
    return this.dv.getUint16(o, this.le);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, this.le);
  }
  fail(what: string): never {
    throw new Error(`${this.where}: ${what}`);
  }

  /** Parses the directory at `offset` (entries only; values are read on demand). */
  readIfd(offset: number, index: number): Ifd {
    const len = this.bytes.length;
    if (offset < 8 || offset + 2 > len) this.fail(`file truncated or corrupt: directory ${index} is at byte ${offset}, but the file has ${len} bytes`);
    const n = this.u16(offset);
    const end = offset + 2 + 12 * n + 4;
    if (end > len) this.fail(`file truncated after ${len} of ${end} bytes (inside directory ${index}, which declares ${n} entries)`);
    const entries = new Map<number, { type: number; count: number; at: number }>();
    for (let k = 0; k < n; k++) {
      const o = offset + 2 + 12 * k;
      const tag = this.u16(o);
      if (!entries.has(tag)) entries.set(tag, { type: this.u16(o + 2), count: this.u32(o + 4), at: o + 8 });
    }
    return { offset, entries };
  }

  /** The numeric values of a tag (at most `maxCount`), or undefined when absent. */
  values(ifd: Ifd, tag: number, name: string, maxCount: number): number[] | undefined {
    const e = ifd.entries.get(tag);
    if (!e) return undefined;
    const size = TYPE_SIZE[e.type];
    if (size === undefined || e.type === 2 || e.type === 7) this.fail(`tag ${name} (${tag}) has field type ${e.type}, not a number type (corrupt file?)`);
    if (e.count < 1) this.fail(`tag ${name} (${tag}) has no values`);
    if (e.count > maxCount) this.fail(`tag ${name} (${tag}) declares ${e.count} values, at most ${maxCount} make sense here (corrupt file?)`);
    const bytes = e.count * size;
    const at = bytes <= 4 ? e.at : this.u32(e.at);
    if (at + bytes > this.bytes.length) this.fail(`file truncated after ${this.bytes.length} of ${at + bytes} bytes (the values of tag ${name})`);
    const out = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++) {
      const o = at + i * size;
      switch (e.type) {
        case 1:
          out[i] = this.bytes[o]!;
          break;
        case 6:
          out[i] = this.dv.getInt8(o);
          break;
        case 3:
          out[i] = this.u16(o);
          break;
        case 8:
          out[i] = this.dv.getInt16(o, this.le);
          break;
        case 4:
        case 13:
          out[i] = this.u32(o);
          break;
        case 9:
          out[i] = this.dv.getInt32(o, this.le);
          break;
        case 5:
          out[i] = this.u32(o) / this.u32(o + 4);
          break;
        case 10:
          out[i] = this.dv.getInt32(o, this.le) / this.dv.getInt32(o + 4, this.le);
          break;
        case 11:
          out[i] = this.dv.getFloat32(o, this.le);
          break;
        default:
          out[i] = this.dv.getFloat64(o, this.le);
      }
    }
    return out;
  }

  /** One value of a tag that must be a whole number in [min, max]. */
  int(ifd: Ifd, tag: number, name: string, min: number, max: number, fallback?: number): number {
    const v = this.values(ifd, tag, name, 64)?.[0] ?? fallback;
    if (v === undefined) this.fail(`the image has no ${name} tag (${tag})`);
    if (!Number.isInteger(v) || v < min || v > max) this.fail(`${name} is ${v} (corrupt file?)`);
    return v;
  }
}

/**
 * Follows the directory chain to image page `page`, with loop detection and a cap.
 * Directories without ImageWidth (e.g. thumbnails' metadata) are not counted as pages.
 */
function findPage(f: TiffFile, page: number, maxPages: number): Ifd {
  const seen = new Set<number>();
  let off = f.u32(4);
  let pages = 0;
  let dirs = 0;
  while (off !== 0) {
    if (seen.has(off)) f.fail(`corrupt TIFF: the directory chain loops back to byte ${off} after ${dirs} directories (page ${page} not found before the loop)`);
    if (dirs >= maxPages) f.fail(`the file has more than ${maxPages} directories (maxPages; a corrupt chain?); page ${page} not among them. Pass { maxPages } to follow more`);
    seen.add(off);
    const ifd = f.readIfd(off, dirs);
    dirs++;
    if (ifd.entries.has(256)) {
      if (pages === page) return ifd;
      pages++;
    }
    off = f.u32(off + 2 + 12 * f.u16(off));
  }
  return f.fail(`page ${page} not found (file has ${pages} image page(s))`);
}

/**
 * PackBits into `out` (at most out.length bytes); returns the bytes written, or -1 when the
 * data would write more than `out` holds.
 */
function unpackBits(src: Uint8Array, out: Uint8Array): number {
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const n = src[i++]!;
    if (n === 128) continue; // a no-op
    const run = n < 128 ? n + 1 : 257 - n;
    if (o + run > out.length) return -1;
    if (n < 128) {
      const m = Math.min(run, src.length - i);
      out.set(src.subarray(i, i + m), o);
      i += run;
      o += m;
    } else {
      if (i >= src.length) break;
      out.fill(src[i++]!, o, o + run);
      o += run;
    }
  }
  return o;
}

/**
 * TIFF's LZW (MSB-first codes, 9 to 12 bits, "early change") into `out`; returns the bytes
 * written, or -1 when the data would write more than `out` holds. Stops at the end code or at
 * the end of the input; throws on a code that cannot occur in a valid stream.
 */
function unLzw(src: Uint8Array, out: Uint8Array, fail: (what: string) => never): number {
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  const first = new Uint8Array(4096);
  for (let c = 0; c < 256; c++) {
    prefix[c] = -1;
    suffix[c] = c;
    length[c] = 1;
    first[c] = c;
  }
  let next = 258;
  let bits = 9;
  let bitPos = 0;
  const totalBits = src.length * 8;
  let old = -1;
  let o = 0;
  const emit = (code: number): void => {
    const len = length[code]!;
    let p = o + len - 1;
    let c = code;
    // Write the string backwards; bytes that do not fit are dropped.
    while (c >= 0) {
      if (p < out.length) out[p] = suffix[c]!;
      p--;
      c = prefix[c]!;
    }
    o += len;
  };
  while (bitPos + bits <= totalBits) {
    if (o > out.length) return -1;
    const p = bitPos >>> 3;
    const v = (src[p]! << 16) | ((src[p + 1] ?? 0) << 8) | (src[p + 2] ?? 0);
    const code = (v >>> (24 - (bitPos & 7) - bits)) & ((1 << bits) - 1);
    bitPos += bits;
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      bits = 9;
      old = -1;
      continue;
    }
    if (old < 0) {
      if (code > 255) fail('corrupt LZW data (a first code that is not a byte)');
      emit(code);
      old = code;
      continue;
    }
    if (code > next || next >= 4096) fail(`corrupt LZW data (code ${code} where at most ${Math.min(next, 4095)} is possible)`);
    const known = code < next;
    const firstByte = known ? first[code]! : first[old]!;
    prefix[next] = old;
    suffix[next] = firstByte;
    length[next] = length[old]! + 1;
    first[next] = first[old]!;
    next++;
    emit(known ? code : next - 1);
    old = code;
    if (next + 1 >= 1 << bits && bits < 12) bits++;
  }
  return o > out.length ? -1 : o;
}

/**
 * Decodes TIFF bytes.
 *
 * @param bytes the file contents
 * @param name the file name used in error messages
 * @param opts `{page, maxPixels, maxPages}`
 * @returns NDArray `[rows, cols]` (one sample per pixel) or `[rows, cols, samples]`
 * @throws an Error naming `name` and the problem: not a TIFF, truncated, a directory loop,
 *   a lying size, larger than `maxPixels`, an unsupported layout
 * @example
 *   const img = decodeTiff(readFileSync('frame.tif'), 'frame.tif');
 */
export function decodeTiff(bytes: Uint8Array, name = '<buffer>', opts: ReadTiffOptions = {}): NDArray {
  const where = `readTiff ${name}`;
  const le = bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42 && bytes[3] === 0;
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 42;
  if (bytes.length < 8 || (!le && !be)) throw new Error(`${where}: bad magic (not a classic TIFF file; BigTIFF is not supported)`);
  const page = opts.page ?? 0;
  if (!Number.isInteger(page) || page < 0) throw new Error(`${where}: page must be an integer >= 0, got ${String(page)}`);
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new Error(`${where}: maxPages must be an integer >= 1, got ${String(maxPages)}`);
  const f: TiffFile = new TiffFile(bytes, where);
  const ifd = findPage(f, page, maxPages);

  const width = f.int(ifd, 256, 'ImageWidth', 1, 0xffffffff);
  const height = f.int(ifd, 257, 'ImageLength', 1, 0xffffffff);
  checkPixelLimit(where, width, height, opts.maxPixels ?? DEFAULT_MAX_PIXELS);
  const bps = f.values(ifd, 258, 'BitsPerSample', 64) ?? [1];
  // The spec's default is 1; a BitsPerSample list of another length is then an inconsistency, refused below.
  const spp = f.int(ifd, 277, 'SamplesPerPixel', 1, 64, 1);
  const fmts = f.values(ifd, 339, 'SampleFormat', 64) ?? [1];
  const fmt = fmts[0]!;
  const planar = f.values(ifd, 284, 'PlanarConfiguration', 64)?.[0] ?? 1;
  const predictor = f.values(ifd, 317, 'Predictor', 64)?.[0] ?? 1;
  const cmpr = f.values(ifd, 259, 'Compression', 64)?.[0] ?? 1;
  const bits = bps[0]!;
  if (bps.some((b) => b !== bits)) f.fail(`mixed BitsPerSample [${bps.join(', ')}] not supported`);
  if (bps.length !== 1 && bps.length !== spp) f.fail(`BitsPerSample has ${bps.length} values but SamplesPerPixel is ${spp} (corrupt file?)`);
  const photometric = f.values(ifd, 262, 'PhotometricInterpretation', 64)?.[0];
  if (photometric === 6) f.fail('YCbCr colour (PhotometricInterpretation 6) not supported');
  const minSamples = photometric === 2 ? 3 : photometric === 5 ? 4 : 1;
  if (spp < minSamples || (photometric === 3 && spp !== 1)) {
    f.fail(`PhotometricInterpretation ${photometric} (${photometric === 2 ? 'RGB' : photometric === 3 ? 'palette' : 'CMYK'}) does not fit SamplesPerPixel ${spp} (corrupt file?)`);
  }
  if (fmts.some((v) => v !== fmt)) f.fail(`mixed SampleFormat [${fmts.join(', ')}] not supported`);
  if (planar !== 1 && spp > 1) f.fail(`planar configuration ${planar} not supported`);
  if (predictor === 3) f.fail('floating-point predictor not supported');
  if (predictor !== 1 && predictor !== 2) f.fail(`predictor ${predictor} not supported`);
  let dtype: DType;
  if (fmt === 3 && bits === 32) dtype = 'float32';
  else if (fmt === 3 && bits === 64) dtype = 'float64';
  else if (fmt === 2 && bits === 8) dtype = 'int8';
  else if (fmt === 2 && bits === 16) dtype = 'int16';
  else if (fmt === 2 && bits === 32) dtype = 'int32';
  else if ((fmt === 1 || fmt === 4) && bits === 8) dtype = 'uint8';
  else if ((fmt === 1 || fmt === 4) && bits === 16) dtype = 'uint16';
  else if ((fmt === 1 || fmt === 4) && bits === 32) dtype = 'uint32';
  else f.fail(`unsupported sample type (BitsPerSample ${bits}, SampleFormat ${fmt})`);
  if (predictor === 2 && fmt === 3) f.fail('predictor 2 on floating-point samples not supported');
  if (![1, 5, 8, 32946, 32773].includes(cmpr)) {
    f.fail(`compression ${cmpr}${COMPRESSION_NAMES[cmpr] ? ` (${COMPRESSION_NAMES[cmpr]})` : ''} not supported (none, LZW, Deflate, PackBits are)`);
  }
  const item = bits / 8;
  const rowBytes = width * spp * item;

  // The blocks (strips or tiles): where each lies in the image and how many bytes it decodes to.
  const tiled = ifd.entries.has(322) || ifd.entries.has(324);
  let tw = width;
  let th: number;
  let across = 1;
  let blocks: number;
  if (tiled) {
    tw = f.int(ifd, 322, 'TileWidth', 1, 0xffffffff);
    th = f.int(ifd, 323, 'TileLength', 1, 0xffffffff);
    checkPixelLimit(where, tw, th, opts.maxPixels ?? DEFAULT_MAX_PIXELS, 'one tile');
    across = Math.ceil(width / tw);
    blocks = across * Math.ceil(height / th);
  } else {
    th = Math.min(f.int(ifd, 278, 'RowsPerStrip', 1, 0xffffffff, height), height);
    blocks = Math.ceil(height / th);
  }
  const blockRowBytes = tw * spp * item;
  const blockBytes = blockRowBytes * th;
  const offTag = tiled ? 324 : 273;
  const cntTag = tiled ? 325 : 279;
  const kind = tiled ? 'tile' : 'strip';
  const offsets = f.values(ifd, offTag, tiled ? 'TileOffsets' : 'StripOffsets', Math.max(blocks, 1) * 4);
  if (!offsets) f.fail(`page ${page} has no ${kind} offsets`);
  if (offsets.length < blocks) f.fail(`the file lists ${offsets.length} ${kind}(s), a ${height}×${width} image in ${tiled ? `${tw}×${th} tiles` : `strips of ${th} rows`} needs ${blocks} (corrupt file?)`);
  let counts = f.values(ifd, cntTag, tiled ? 'TileByteCounts' : 'StripByteCounts', Math.max(blocks, 1) * 4);
  if (!counts) {
    if (cmpr !== 1) f.fail(`page ${page} has no ${kind} byte counts`);
    counts = offsets.map(() => blockBytes);
  }
  if (counts.length < blocks) f.fail(`the file lists ${counts.length} ${kind} byte count(s) for ${blocks} ${kind}s (corrupt file?)`);
  // Before allocating: every block lies in the file and holds enough bytes for its rows. An
  // uncompressed block must hold exactly its rows (the last strip may be padded to RowsPerStrip
  // rows); a compressed one at least what the codec's largest expansion could make its rows from.
  const maxRatio = cmpr === 1 ? 1 : cmpr === 32773 ? 64 : cmpr === 5 ? 3641 : 1032;
  const blockNeed = (i: number): number => (tiled ? blockBytes : Math.min(th, height - i * th) * blockRowBytes);
  for (let i = 0; i < blocks; i++) {
    const end = offsets[i]! + counts[i]!;
    if (end > bytes.length) f.fail(`file truncated after ${bytes.length} of ${end} bytes (${kind} ${i} ends at byte ${end})`);
    const need = blockNeed(i);
    const rows = tiled ? th : need / blockRowBytes;
    const lying = 'or a lying ImageWidth, ImageLength or SamplesPerPixel';
    if (cmpr === 1 && counts[i] !== need && !(!tiled && i === blocks - 1 && counts[i] === blockBytes)) {
      f.fail(`${kind} ${i} holds ${counts[i]} bytes, its ${rows} row(s) of ${tw} × ${spp} ${dtype} samples need ${need} (${counts[i]! < need ? 'truncated or corrupt file' : 'corrupt file'}, ${lying})`);
    }
    if (cmpr !== 1 && counts[i]! * maxRatio < need) {
      f.fail(`${kind} ${i} holds ${counts[i]} compressed bytes, too few for the ${need} bytes its ${rows} row(s) need (truncated or corrupt file, ${lying})`);
    }
  }

  // Everything declared is consistent with the file: allocate and decode.
  if (width * height * spp * item > bufferConstants.MAX_LENGTH) f.fail(`a ${height}×${width}×${spp} image of ${dtype} is too large to hold in memory`);
  const out = new Uint8Array(width * height * spp * item);
  const block = new Uint8Array(blockBytes);
  for (let i = 0; i < blocks; i++) {
    const r0 = tiled ? Math.floor(i / across) * th : i * th;
    const c0 = tiled ? (i % across) * tw : 0;
    const rows = Math.min(th, height - r0);
    const cols = Math.min(tw, width - c0);
    // A strip needs only its own rows; a tile is always whole (edge tiles are padded).
    const need = tiled ? blockBytes : rows * blockRowBytes;
    const src = bytes.subarray(offsets[i]!, offsets[i]! + counts[i]!);
    // A strip may hold its own rows, or (the last one) be padded to RowsPerStrip rows; a tile is whole.
    const padded = !tiled && i === blocks - 1 ? blockBytes : need;
    let got: number;
    if (cmpr === 1) {
      got = Math.min(src.length, blockBytes);
      block.set(src.subarray(0, got));
    } else if (cmpr === 8 || cmpr === 32946) {
      let inflated: Buffer;
      try {
        inflated = inflateSync(src, { maxOutputLength: padded });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ERR_BUFFER_TOO_LARGE') f.fail(`${kind} ${i} inflates to more than the ${padded} bytes its rows need (corrupt file or a lying header)`);
        f.fail(`${kind} ${i} holds corrupt Deflate data (${e.message})`);
      }
      got = inflated.length;
      block.set(inflated);
    } else {
      got = cmpr === 32773 ? unpackBits(src, block.subarray(0, padded)) : unLzw(src, block.subarray(0, padded), (what) => f.fail(`${kind} ${i}: ${what}`));
      if (got < 0) f.fail(`${kind} ${i} decodes to more than the ${padded} bytes its rows need (corrupt file or a lying header)`);
    }
    if (got < need) {
      f.fail(`${kind} ${i} decodes to ${got} bytes, its ${rows} row(s) of ${tiled ? tw : width} × ${spp} ${dtype} samples need ${need} (truncated or corrupt file, or a lying ImageWidth/ImageLength)`);
    }
    // Byte order, then the horizontal predictor, on the block's rows.
    if (be && item > 1) for (let k = 0; k < need; k += item) block.subarray(k, k + item).reverse();
    if (predictor === 2) {
      const blockRows = need / blockRowBytes;
      const view = new DTYPES[dtype].array(block.buffer, 0, blockBytes / item);
      const perRow = tw * spp;
      for (let r = 0; r < blockRows; r++) for (let k = spp; k < perRow; k++) view[r * perRow + k] = view[r * perRow + k]! + view[r * perRow + k - spp]!;
    }
    for (let r = 0; r < rows; r++) {
      const s = r * blockRowBytes;
      out.set(block.subarray(s, s + cols * spp * item), (r0 + r) * rowBytes + c0 * spp * item);
    }
  }
  const data = new DTYPES[dtype].array(out.buffer) as NumericArray;
  return new NDArray(data, spp === 1 ? [height, width] : [height, width, spp], dtype);
}

/**
 * Reads a TIFF image (one page).
 *
 * @param path the file
 * @param opts `{page}` (default 0), `{maxPixels}` (default {@link DEFAULT_MAX_PIXELS}),
 *   `{maxPages}` (default {@link DEFAULT_MAX_PAGES})
 * @returns NDArray `[rows, cols]` or `[rows, cols, samples]`, dtype from the file (e.g. uint16)
 * @throws an Error naming the path and the problem (missing, a directory, truncated, corrupt,
 *   a directory loop, too large, unsupported)
 * @example
 *   const frame = readTiff('data/raw/frame_0001.tif'); // NDArray(uint16, [rows, cols])
 */
export function readTiff(path: string, opts: ReadTiffOptions = {}): NDArray {
  return decodeTiff(readWholeFile('readTiff', path), path, opts);
}
