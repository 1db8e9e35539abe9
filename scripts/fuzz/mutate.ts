/**
 * Mutations of real files for the reader fuzz test: truncations, flipped bytes, lying headers
 * (with correct checksums, so the lie reaches the size checks) and directory loops, chosen by a
 * seeded generator so every run with the same seed tries the same files.
 *
 * Test infrastructure only: nothing in lib/ imports it.
 */
import { fixPngCrc, pngChunks, tiffIfds } from './bytes.js';

/** The file formats the fuzz test knows. */
export type Format = 'npy' | 'fits' | 'png' | 'tiff';

/** A mutated file and how it was made. */
export interface Mutant {
  bytes: Uint8Array;
  how: string;
}

type Rand = () => number;

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Numbers that break size arithmetic: zero, one, powers of two and their neighbours, the file length. */
function special(r: Rand, orig: number, len: number): number {
  return pick(r, [0, 1, 2, 3, 7, 8, 16, 255, 256, 4095, 4096, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff, len, len - 1, len + 1, orig * 2, orig + 1, Math.max(0, orig - 1), 30000, 60000, 1_000_000]);
}

function truncate(b: Uint8Array, r: Rand): Mutant {
  const n = int(r, b.length);
  return { bytes: b.slice(0, n), how: `truncated to ${n} of ${b.length} bytes` };
}

function flip(b: Uint8Array, r: Rand, region: number): Mutant {
  const out = Uint8Array.from(b);
  const k = 1 + int(r, 8);
  const where: number[] = [];
  for (let i = 0; i < k; i++) {
    const at = int(r, Math.min(region, out.length));
    out[at]! ^= 1 + int(r, 255);
    where.push(at);
  }
  return { bytes: out, how: `flipped bytes at ${where.join(', ')}` };
}

function overwrite32(b: Uint8Array, r: Rand, region: number, bigEndian: boolean): Mutant {
  const out = Uint8Array.from(b);
  if (out.length < 4) return truncate(b, r);
  const at = int(r, Math.max(1, Math.min(region, out.length) - 3)) & ~1;
  const dv = new DataView(out.buffer);
  const orig = dv.getUint32(at, !bigEndian);
  const v = special(r, orig, b.length) >>> 0;
  dv.setUint32(at, v, !bigEndian);
  return { bytes: out, how: `uint32 at ${at}: ${orig} → ${v}` };
}

function lieNpy(b: Uint8Array, r: Rand): Mutant {
  const hlen = b[6] === 1 ? b[8]! | (b[9]! << 8) : new DataView(b.buffer, b.byteOffset).getUint32(8, true);
  const start = b[6] === 1 ? 10 : 12;
  const text = Buffer.from(b.subarray(start, start + hlen)).toString('latin1');
  let t = text;
  const choice = int(r, 3);
  if (choice === 0) {
    const dims = 1 + int(r, 3);
    const shape = Array.from({ length: dims }, () => special(r, 3, b.length));
    t = text.replace(/\(([^)]*)\)/, `(${shape.join(', ')}${dims === 1 ? ',' : ''})`);
  } else if (choice === 1) {
    t = text.replace(/'descr': '[^']*'/, `'descr': '${pick(r, ['<f4', '<f8', '|u1', '<u2', '>u2', '<i8', '<c8', '|b1', '<f2', 'O', '<U4'])}'`);
  } else {
    t = text.replace(/False|True/, pick(r, ['True', 'False', 'None']));
  }
  const out = new Uint8Array(b.length - hlen + Math.max(t.length, hlen));
  out.set(b.subarray(0, start));
  out.set(Buffer.from(t.padEnd(hlen, ' '), 'latin1'), start);
  out.set(b.subarray(start + hlen), start + Math.max(t.length, hlen));
  if (t.length > hlen) {
    if (b[6] === 1) {
      out[8] = t.length & 255;
      out[9] = (t.length >> 8) & 255;
    } else new DataView(out.buffer).setUint32(8, t.length, true);
  }
  return { bytes: out, how: `NPY header ${JSON.stringify(t.trim().slice(0, 90))}` };
}

function lieFits(b: Uint8Array, r: Rand): Mutant {
  const out = Uint8Array.from(b);
  const text = Buffer.from(out.subarray(0, Math.min(out.length, 2880 * 4))).toString('latin1');
  const keys = ['BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'NAXIS3', 'BZERO', 'BSCALE', 'PCOUNT', 'GCOUNT', 'END', 'SIMPLE', 'XTENSION', 'EXTEND'];
  const key = pick(r, keys);
  const at = text.search(new RegExp(`^${key}`, 'm')) >= 0 ? findCard(text, key) : -1;
  if (at < 0) return flip(b, r, 2880);
  if (key === 'END') {
    out.set(Buffer.from('        '), at);
    return { bytes: out, how: 'END card blanked' };
  }
  const v = pick(r, ['0', '-1', '1', '2', '3', '4', '7', '8', '16', '32', '-32', '-64', '64', '999', '1000', '65535', '2147483648', '1E10', "'abc'", '3.5', 'T', 'F', '']);
  out.set(Buffer.from(v.padStart(20, ' ').padEnd(70, ' '), 'latin1'), at + 10);
  return { bytes: out, how: `FITS card ${key} = ${v}` };
}

function findCard(text: string, key: string): number {
  for (let o = 0; o + 80 <= text.length; o += 80) {
    if (text.slice(o, o + 8).trimEnd() === key) return o;
  }
  return -1;
}

function liePng(b: Uint8Array, r: Rand): Mutant {
  const out = Uint8Array.from(b);
  const dv = new DataView(out.buffer);
  const chunks = pngChunks(out);
  const choice = int(r, 6);
  if (choice <= 1 && chunks[0]?.type === 'IHDR') {
    // A lying size with a correct CRC: the data no longer matches the header.
    const field = 16 + 4 * int(r, 2);
    const v = special(r, dv.getUint32(field), b.length) >>> 0;
    dv.setUint32(field, v);
    fixPngCrc(out, 8);
    return { bytes: out, how: `IHDR ${field === 16 ? 'width' : 'height'} → ${v} (CRC fixed)` };
  }
  if (choice === 2 && chunks[0]?.type === 'IHDR') {
    const field = 24 + int(r, 5);
    out[field] = pick(r, [0, 1, 2, 3, 4, 6, 8, 16, 255]);
    fixPngCrc(out, 8);
    return { bytes: out, how: `IHDR byte ${field} → ${out[field]} (CRC fixed)` };
  }
  if (choice === 3 && chunks.length > 1) {
    const c = pick(r, chunks);
    const v = special(r, c.length, b.length) >>> 0;
    dv.setUint32(c.at, v);
    return { bytes: out, how: `${c.type} length ${c.length} → ${v}` };
  }
  const idat = chunks.find((c) => c.type === 'IDAT');
  if (choice === 4 && idat && idat.length > 2) {
    // Corrupt zlib data inside a chunk with a valid CRC.
    for (let i = 0; i < 1 + int(r, 4); i++) out[idat.at + 8 + int(r, idat.length)]! ^= 1 + int(r, 255);
    fixPngCrc(out, idat.at);
    return { bytes: out, how: 'IDAT bytes changed (CRC fixed)' };
  }
  if (idat && idat.length > 2) {
    // A shorter IDAT, lengths and CRC consistent: the image data ends early.
    const keep = int(r, idat.length);
    const cut = new Uint8Array(out.length - (idat.length - keep));
    cut.set(out.subarray(0, idat.at + 8 + keep));
    cut.set(out.subarray(idat.at + 8 + idat.length), idat.at + 8 + keep + 4 - 4);
    const cv = new DataView(cut.buffer);
    cv.setUint32(idat.at, keep);
    fixPngCrc(cut, idat.at);
    return { bytes: cut, how: `IDAT cut to ${keep} of ${idat.length} bytes (CRC fixed)` };
  }
  return flip(b, r, 64);
}

function lieTiff(b: Uint8Array, r: Rand): Mutant {
  const out = Uint8Array.from(b);
  const le = out[0] === 0x49;
  const dv = new DataView(out.buffer);
  const ifds = tiffIfds(out);
  if (ifds.length === 0) return flip(b, r, 16);
  const choice = int(r, 4);
  if (choice === 0) {
    // A directory loop: the chain points back to itself, to the first directory, or to byte 8.
    const from = pick(r, ifds);
    const to = pick(r, [from.ifd, ifds[0]!.ifd, 8, 0xffffffff]);
    dv.setUint32(from.nextField, to, le);
    return { bytes: out, how: `next-IFD of directory at ${from.ifd} → ${to}` };
  }
  const ifd = pick(r, ifds);
  const k = int(r, ifd.count);
  const entry = ifd.ifd + 2 + 12 * k;
  const tag = dv.getUint16(entry, le);
  if (choice === 1) {
    const c = dv.getUint32(entry + 4, le);
    const v = special(r, c, b.length) >>> 0;
    dv.setUint32(entry + 4, v, le);
    return { bytes: out, how: `tag ${tag} count ${c} → ${v}` };
  }
  if (choice === 2) {
    const type = dv.getUint16(entry + 2, le);
    const orig = type === 3 ? dv.getUint16(entry + 8, le) : dv.getUint32(entry + 8, le);
    const v = special(r, orig, b.length) >>> 0;
    if (type === 3) dv.setUint16(entry + 8, v & 0xffff, le);
    else dv.setUint32(entry + 8, v, le);
    return { bytes: out, how: `tag ${tag} value ${orig} → ${type === 3 ? v & 0xffff : v}` };
  }
  const n = special(r, ifd.count, b.length) & 0xffff;
  dv.setUint16(ifd.ifd, n, le);
  return { bytes: out, how: `directory at ${ifd.ifd}: entry count ${ifd.count} → ${n}` };
}

/**
 * One mutation of a file.
 *
 * @param bytes the original file
 * @param format its format (decides the lying-header mutations)
 * @param r a seeded random generator in [0, 1)
 * @returns the mutated bytes and a description
 */
export function mutate(bytes: Uint8Array, format: Format, r: Rand): Mutant {
  const head = format === 'fits' ? 2880 : format === 'npy' ? 128 : 512;
  const roll = r();
  if (roll < 0.2) return truncate(bytes, r);
  if (roll < 0.35) return flip(bytes, r, bytes.length);
  if (roll < 0.5) return flip(bytes, r, head);
  if (roll < 0.6) return overwrite32(bytes, r, format === 'tiff' ? bytes.length : head, format !== 'tiff' || bytes[0] === 0x4d);
  if (format === 'npy') return lieNpy(bytes, r);
  if (format === 'fits') return lieFits(bytes, r);
  if (format === 'png') return liePng(bytes, r);
  return lieTiff(bytes, r);
}
