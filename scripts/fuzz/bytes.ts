/**
 * Byte-level helpers for the reader fuzz test and the hostile-input probes: a minimal TIFF
 * encoder (so TIFF seeds exist without Python), PNG chunk surgery with correct CRCs (a lying
 * header must pass the CRC check to test the reader's size checks, not its CRC check), and
 * small integer read/write helpers.
 *
 * Test infrastructure only: nothing in lib/ imports it.
 */
import { crc32, deflateSync } from 'node:zlib';

/** Options of {@link encodeTiff}. */
export interface TiffPage {
  width: number;
  height: number;
  /** Bits per sample: 8, 16, 32 or 64. */
  bits: 8 | 16 | 32 | 64;
  /** Samples per pixel (default 1). */
  samples?: number;
  /** SampleFormat: 1 unsigned, 2 signed, 3 float (default 1). */
  format?: 1 | 2 | 3;
  /** Raw little-endian sample bytes, row-major, `width·height·samples·bits/8` of them. */
  data: Uint8Array;
  /** 1 none (default), 8 Deflate, 32773 PackBits. */
  compression?: 1 | 8 | 32773;
  /** Rows per strip (default: all rows in one strip). */
  rowsPerStrip?: number;
}

function packBits(src: Uint8Array): Uint8Array {
  // Literal runs only (valid PackBits, no compression): enough for seeds.
  const out: number[] = [];
  for (let o = 0; o < src.length; o += 128) {
    const n = Math.min(128, src.length - o);
    out.push(n - 1);
    for (let i = 0; i < n; i++) out.push(src[o + i]!);
  }
  return Uint8Array.from(out);
}

/**
 * Encodes pages as a classic TIFF (one IFD per page, chained).
 *
 * @param pages the pages
 * @param bigEndian write 'MM' (big-endian) instead of 'II'
 * @returns the file bytes
 */
export function encodeTiff(pages: readonly TiffPage[], bigEndian = false): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 8;
  const le = !bigEndian;
  const header = new Uint8Array(8);
  const hv = new DataView(header.buffer);
  header[0] = header[1] = bigEndian ? 0x4d : 0x49;
  hv.setUint16(2, 42, le);
  chunks.push(header);
  const ifdOffsetFields: { chunk: DataView; at: number }[] = [{ chunk: hv, at: 4 }];
  for (const p of pages) {
    const spp = p.samples ?? 1;
    const item = p.bits / 8;
    const rowBytes = p.width * spp * item;
    const rps = Math.min(p.rowsPerStrip ?? p.height, p.height);
    const strips: Uint8Array[] = [];
    for (let r = 0; r < p.height; r += rps) {
      let s = p.data.subarray(r * rowBytes, Math.min(p.height, r + rps) * rowBytes);
      if (bigEndian && item > 1) {
        s = Uint8Array.from(s);
        for (let i = 0; i < s.length; i += item) s.subarray(i, i + item).reverse();
      }
      const c = p.compression ?? 1;
      strips.push(c === 8 ? deflateSync(s) : c === 32773 ? packBits(s) : s);
    }
    const stripOffsets: number[] = [];
    for (const s of strips) {
      stripOffsets.push(size);
      chunks.push(s);
      size += s.length;
      if (size % 2) {
        chunks.push(new Uint8Array(1));
        size++;
      }
    }
    // Entries: [tag, type, values]; type 3 SHORT, 4 LONG.
    const entries: [number, number, number[]][] = [
      [256, 4, [p.width]],
      [257, 4, [p.height]],
      [258, 3, new Array<number>(spp).fill(p.bits)],
      [259, 3, [p.compression ?? 1]],
      [262, 3, [spp >= 3 ? 2 : 1]],
      [273, 4, stripOffsets],
      [277, 3, [spp]],
      [278, 4, [rps]],
      [279, 4, strips.map((s) => s.length)],
      [284, 3, [1]],
      [339, 3, new Array<number>(spp).fill(p.format ?? 1)],
    ];
    const extra: Uint8Array[] = [];
    const ifdSize = 2 + entries.length * 12 + 4;
    const ifd = new Uint8Array(ifdSize);
    const iv = new DataView(ifd.buffer);
    let extraAt = size + ifdSize;
    iv.setUint16(0, entries.length, le);
    entries.forEach(([tag, type, values], k) => {
      const o = 2 + k * 12;
      const w = type === 3 ? 2 : 4;
      iv.setUint16(o, tag, le);
      iv.setUint16(o + 2, type, le);
      iv.setUint32(o + 4, values.length, le);
      const put = (dv: DataView, at: number, v: number): void => (w === 2 ? dv.setUint16(at, v, le) : dv.setUint32(at, v, le));
      if (values.length * w <= 4) values.forEach((v, i) => put(iv, o + 8 + i * w, v));
      else {
        const b = new Uint8Array(values.length * w + ((values.length * w) % 2));
        const bv = new DataView(b.buffer);
        values.forEach((v, i) => put(bv, i * w, v));
        iv.setUint32(o + 8, extraAt, le);
        extra.push(b);
        extraAt += b.length;
      }
    });
    const prev = ifdOffsetFields[ifdOffsetFields.length - 1]!;
    prev.chunk.setUint32(prev.at, size, le);
    ifdOffsetFields.push({ chunk: iv, at: ifdSize - 4 });
    chunks.push(ifd, ...extra);
    size = extraAt;
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Where the TIFF's IFDs are: byte offsets of each IFD and of each IFD's next-IFD field. */
export function tiffIfds(bytes: Uint8Array): { ifd: number; nextField: number; count: number }[] {
  const le = bytes[0] === 0x49;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { ifd: number; nextField: number; count: number }[] = [];
  let off = dv.getUint32(4, le);
  const seen = new Set<number>();
  while (off !== 0 && off + 2 <= bytes.length && !seen.has(off) && out.length < 1000) {
    seen.add(off);
    const count = dv.getUint16(off, le);
    const nextField = off + 2 + count * 12;
    if (nextField + 4 > bytes.length) break;
    out.push({ ifd: off, nextField, count });
    off = dv.getUint32(nextField, le);
  }
  return out;
}

/** Byte offset of the value field of `tag` in the IFD at `ifd` (or -1). */
export function tiffTagField(bytes: Uint8Array, ifd: number, tag: number): number {
  const le = bytes[0] === 0x49;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = dv.getUint16(ifd, le);
  for (let k = 0; k < count; k++) {
    const o = ifd + 2 + k * 12;
    if (dv.getUint16(o, le) === tag) return o + 8;
  }
  return -1;
}

/** Sets a TIFF tag's first value in place (SHORT or LONG, whichever the entry is). */
export function setTiffTag(bytes: Uint8Array, ifd: number, tag: number, value: number): void {
  const le = bytes[0] === 0x49;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = tiffTagField(bytes, ifd, tag);
  if (at < 0) throw new Error(`setTiffTag: tag ${tag} not in IFD at ${ifd}`);
  const type = dv.getUint16(at - 6, le);
  if (type === 3) dv.setUint16(at, value, le);
  else dv.setUint32(at, value, le);
}

/** The chunks of a PNG: type, offset of the length field, data length. */
export function pngChunks(bytes: Uint8Array): { type: string; at: number; length: number }[] {
  const out: { type: string; at: number; length: number }[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  while (o + 12 <= bytes.length) {
    const length = dv.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    out.push({ type, at: o, length });
    o += 12 + length;
  }
  return out;
}

/** Recomputes the CRC of the chunk whose length field is at `at` (after editing its data). */
export function fixPngCrc(bytes: Uint8Array, at: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = dv.getUint32(at);
  if (at + 12 + length > bytes.length) return;
  dv.setUint32(at + 8 + length, crc32(bytes.subarray(at + 4, at + 8 + length)) >>> 0);
}

/** A PNG whose IHDR claims `width × height` but whose data is that of the original (CRC fixed). */
export function pngWithSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(png);
  const dv = new DataView(out.buffer);
  dv.setUint32(16, width);
  dv.setUint32(20, height);
  fixPngCrc(out, 8);
  return out;
}

/** A minimal PNG made by hand: 8-bit grey, `width × height`, given rows (filter 0). */
export function handPng(width: number, height: number, pixel: (r: number, c: number) => number): Uint8Array {
  const raw = new Uint8Array(height * (width + 1));
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) raw[r * (width + 1) + 1 + c] = pixel(r, c);
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const b = new Uint8Array(12 + data.length);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) b[4 + i] = type.charCodeAt(i);
    b.set(data, 8);
    dv.setUint32(8 + data.length, crc32(b.subarray(4, 8 + data.length)) >>> 0);
    return b;
  };
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const parts = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
