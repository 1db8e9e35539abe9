/**
 * FITS read and write (primary-HDU images, or the first image extension when the primary
 * HDU holds no data).
 *
 * Supported: BITPIX 8, 16, 32, -32, -64 with BZERO/BSCALE; NAXIS 1-3 (shape
 * `[NAXIS3, NAXIS2, NAXIS1]`, i.e. rows = NAXIS2, cols = NAXIS1, like astropy).
 *
 * `readFits` returns the RAW dtype where the scaling is the standard unsigned/signed trick
 * (BITPIX 16 + BZERO 32768 → uint16, BITPIX 8 + BZERO -128 → int8, BITPIX 32 + BZERO 2^31
 * → uint32), exactly the values astropy gives. Any other BZERO/BSCALE applies the scaling
 * like astropy: float32 for BITPIX 8/16/-32, float64 for BITPIX 32/-64.
 *
 * Why not only fitsjs (which the users asked for): fitsjs 0.6.6 is browser-era code. It reads
 * through `FileReader`/`Blob`/`XMLHttpRequest`, needs a global `astro`, and reading image
 * frames through it fails (`frameOffsets[frame]` undefined) because its async frame logic
 * assumes a browser Blob. See ./fitsjs.ts: we load fitsjs in a sandbox and use it for what it
 * does right — parsing and verifying header cards — and read the data unit here with a
 * DataView (big-endian, 2880-byte blocks), which is simple, synchronous and fast. fitsjs has
 * no writer at all, so `writeFits` is ours.
 *
 * Bad input (truncated file, header without END, unsupported BITPIX, bad first card, data
 * size not matching NAXISn, a directory or a device instead of a file) raises an Error naming
 * the file and the problem; the header scan is bounded by the file length, so a corrupt file
 * never hangs, and the data unit is read only after its declared size is checked against the
 * bytes present. Files are opened through the readers' shared lib/io/_file.ts. Writing refuses
 * what it could not read back (lib/io/_write.ts): shapes that are not whole numbers, values the
 * declared dtype cannot hold (unless `{ clip: true }`).
 */
import { NDArray } from '../core/ndarray.js';
import type { ArrayLike2D, DType, NumericArray } from '../core/types.js';
import { readAt as readFileAt, withOpenFile } from './_file.js';
import { writableData } from './_write.js';
import { writeFileAtomic } from './atomic.js';
import { fitsjsParseHeader } from './fitsjs.js';

const BLOCK = 2880;
const CARD = 80;

/** A FITS header value. */
export type FitsValue = string | number | boolean | null;

/** One 80-character header card. */
export interface FitsCard {
  key: string;
  value: FitsValue;
  comment: string;
}

/** A parsed FITS header: ordered cards plus keyword lookup. */
export interface FitsHeader {
  /** Cards in file order (without END). */
  cards: FitsCard[];
  /** Value of a keyword (first occurrence), undefined when absent. */
  get(key: string): FitsValue | undefined;
  /** True when the keyword is present. */
  has(key: string): boolean;
  /** Keyword → value (COMMENT/HISTORY/blank cards left out; first occurrence wins). */
  toObject(): Record<string, FitsValue>;
}

/** Parses one card's value field (columns 11-80). Exported for the fitsjs cross-check. */
export function parseCardValue(field: string): { value: FitsValue; comment: string } {
  const s = field;
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  if (s[i] === "'") {
    let j = i + 1;
    let out = '';
    for (;;) {
      if (j >= s.length) break; // unterminated string: take what is there
      if (s[j] === "'") {
        if (s[j + 1] === "'") {
          out += "'";
          j += 2;
          continue;
        }
        j++;
        break;
      }
      out += s[j];
      j++;
    }
    const rest = s.slice(j);
    const slash = rest.indexOf('/');
    return { value: out.replace(/ +$/, ''), comment: slash >= 0 ? rest.slice(slash + 1).trim() : '' };
  }
  const slash = s.indexOf('/', i);
  const raw = (slash >= 0 ? s.slice(i, slash) : s.slice(i)).trim();
  const comment = slash >= 0 ? s.slice(slash + 1).trim() : '';
  if (raw === '') return { value: null, comment };
  if (raw === 'T') return { value: true, comment };
  if (raw === 'F') return { value: false, comment };
  const num = Number(raw.replace(/[dD]/, 'E'));
  if (raw !== '' && Number.isFinite(num)) return { value: num, comment };
  return { value: raw, comment };
}

function makeHeader(cards: FitsCard[]): FitsHeader {
  const map = new Map<string, FitsValue>();
  for (const c of cards) if (c.key && c.key !== 'COMMENT' && c.key !== 'HISTORY' && !map.has(c.key)) map.set(c.key, c.value);
  return {
    cards,
    get: (key) => map.get(key.toUpperCase()),
    has: (key) => map.has(key.toUpperCase()),
    toObject: () => Object.fromEntries(map),
  };
}

/** Parses header cards from raw header bytes (a multiple of 80 bytes, END excluded). */
export function parseFitsCards(text: string): FitsCard[] {
  const cards: FitsCard[] = [];
  for (let o = 0; o + CARD <= text.length; o += CARD) {
    const card = text.slice(o, o + CARD);
    const key = card.slice(0, 8).trim();
    if (key === 'END') break;
    if (card.slice(8, 10) === '= ' && key !== 'COMMENT' && key !== 'HISTORY') {
      const { value, comment } = parseCardValue(card.slice(10));
      cards.push({ key, value, comment });
    } else {
      cards.push({ key, value: null, comment: card.slice(8).replace(/ +$/, '') });
    }
  }
  return cards;
}

interface HduInfo {
  header: FitsHeader;
  headerText: string;
  headerStart: number;
  dataStart: number;
  dataBytes: number;
  bitpix: number;
  axes: number[];
}

function scanHdu(fd: number, fileSize: number, start: number, name: string, primary: boolean): HduInfo {
  const where = `readFits ${name}`;
  const readAt = (pos: number, n: number): Buffer => readFileAt('readFits', name, fd, pos, n);
  let text = '';
  let pos = start;
  let endAt = -1;
  while (endAt < 0) {
    if (pos >= fileSize) {
      throw new Error(`${where}: header has no END card (file truncated or not FITS; scanned ${pos - start} bytes)`);
    }
    const block = readAt(pos, BLOCK);
    const t = block.toString('latin1');
    // The first card decides whether this is FITS at all, before any talk of truncation.
    if (text.length === 0 && primary && !t.startsWith('SIMPLE  ='.slice(0, Math.min(9, t.length)))) {
      throw new Error(`${where}: bad magic: file does not start with 'SIMPLE  =' (not a FITS file: no SIMPLE card)`);
    }
    if (text.length === 0 && !primary && !t.startsWith('XTENSION='.slice(0, Math.min(9, t.length)))) {
      throw new Error(`${where}: extension at byte ${start} does not start with 'XTENSION=' (corrupt file or wrong data size in the previous HDU)`);
    }
    if (block.length < BLOCK) {
      // Header blocks are 2880 bytes, END or not: a shorter one means the file was cut.
      throw new Error(`${where}: file truncated inside the header, after ${fileSize} of ${pos + BLOCK} bytes`);
    }
    for (let o = 0; o + CARD <= BLOCK; o += CARD) {
      if (t.slice(o, o + 8) === 'END     ') {
        endAt = text.length + o;
        break;
      }
    }
    text += t;
    pos += BLOCK;
  }
  const header = makeHeader(parseFitsCards(text.slice(0, endAt)));
  if (primary && header.get('SIMPLE') !== true) {
    throw new Error(`${where}: not a FITS file: SIMPLE = ${String(header.get('SIMPLE'))} (a standard FITS file starts with SIMPLE = T)`);
  }
  const bitpix = header.get('BITPIX');
  const naxis = header.get('NAXIS');
  if (typeof bitpix !== 'number') throw new Error(`${where}: header has no BITPIX`);
  if (typeof naxis !== 'number' || !Number.isInteger(naxis) || naxis < 0 || naxis > 999) {
    throw new Error(`${where}: header has no valid NAXIS`);
  }
  const axes: number[] = [];
  for (let k = 1; k <= naxis; k++) {
    const v = header.get(`NAXIS${k}`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${where}: NAXIS${k} missing or invalid`);
    axes.push(v);
  }
  if (![8, 16, 32, -32, -64].includes(bitpix)) {
    throw new Error(`${where}: unsupported BITPIX ${bitpix} (supported: 8, 16, 32, -32, -64)`);
  }
  // fitsjs verifies the structure (SIMPLE/XTENSION first, BITPIX, NAXIS range, ...);
  // its values for the structural keywords must agree with ours.
  const fj = fitsjsParseHeader(text.slice(0, endAt + CARD), name);
  if (fj.get('BITPIX') !== bitpix || fj.get('NAXIS') !== naxis || axes.some((v, k) => fj.get(`NAXIS${k + 1}`) !== v)) {
    throw new Error(`${where}: header parsers disagree on BITPIX/NAXIS (fitsjs vs ours); corrupt header?`);
  }
  let n = naxis === 0 ? 0 : axes.reduce((a, b) => a * b, 1);
  if (!primary) {
    const pcount = header.get('PCOUNT') ?? 0;
    const gcount = header.get('GCOUNT') ?? 1;
    if (typeof pcount !== 'number' || !Number.isSafeInteger(pcount) || pcount < 0 || typeof gcount !== 'number' || !Number.isSafeInteger(gcount) || gcount < 0) {
      throw new Error(`${where}: extension at byte ${start} has an invalid PCOUNT or GCOUNT (${String(pcount)}, ${String(gcount)})`);
    }
    n = gcount * (pcount + n);
  }
  const dataBytes = (Math.abs(bitpix) / 8) * n;
  return { header, headerText: text, headerStart: start, dataStart: pos, dataBytes, bitpix, axes };
}

/** Options for readFits / readFitsHeader. */
export interface ReadFitsOptions {
  /**
   * Which HDU to read: 0 = primary. Default: the primary HDU, or the first image extension
   * when the primary HDU has no data (NAXIS = 0).
   */
  hdu?: number;
}

function locateHdu(fd: number, fileSize: number, name: string, opts: ReadFitsOptions): HduInfo {
  const want = opts.hdu;
  if (want !== undefined && (!Number.isInteger(want) || want < 0)) throw new Error(`readFits ${name}: hdu must be a non-negative integer, got ${want}`);
  let info = scanHdu(fd, fileSize, 0, name, true);
  let index = 0;
  const target = want ?? (info.dataBytes === 0 ? 1 : 0);
  while (index < target) {
    const next = info.dataStart + Math.ceil(info.dataBytes / BLOCK) * BLOCK;
    if (next >= fileSize) {
      if (want === undefined) return info; // no extension: an empty primary image
      throw new Error(`readFits ${name}: HDU ${want} not found (file has ${index + 1})`);
    }
    info = scanHdu(fd, fileSize, next, name, false);
    index++;
  }
  return info;
}

/**
 * Reads the header of a FITS image HDU (only the header blocks are read).
 *
 * @param path the file
 * @param opts `{hdu}` (default: primary, or first extension when the primary is empty)
 * @returns the header: `cards`, `get(key)`, `has(key)`, `toObject()`
 * @example
 *   const h = readFitsHeader('data/spots/mixture12_00001.fits');
 *   h.get('BITPIX'); // 16
 *   h.get('NAXIS1'); // columns
 */
export function readFitsHeader(path: string, opts: ReadFitsOptions = {}): FitsHeader {
  return withOpenFile('readFitsHeader', path, (fd, size) => locateHdu(fd, size, path, opts).header);
}

/** Decodes a big-endian data unit into the raw typed array of BITPIX. */
function decodeData(bytes: Uint8Array, bitpix: number, n: number): NumericArray {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (bitpix) {
    case 8:
      return Uint8Array.from(bytes.subarray(0, n));
    case 16: {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i);
      return out;
    }
    case 32: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i);
      return out;
    }
    case -32: {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i);
      return out;
    }
    case -64: {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i);
      return out;
    }
    default:
      throw new Error(`unsupported BITPIX ${bitpix}`);
  }
}

/** Applies BZERO/BSCALE like astropy, keeping the raw unsigned/signed dtypes. */
function applyScaling(raw: NumericArray, bitpix: number, bzero: number, bscale: number): { data: NumericArray; dtype: DType } {
  const n = raw.length;
  if (bscale === 1 && bzero === 0) {
    const dtype: DType = bitpix === 8 ? 'uint8' : bitpix === 16 ? 'int16' : bitpix === 32 ? 'int32' : bitpix === -32 ? 'float32' : 'float64';
    return { data: raw, dtype };
  }
  if (bscale === 1 && bitpix === 16 && bzero === 32768) {
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = raw[i]! + 32768;
    return { data: out, dtype: 'uint16' };
  }
  if (bscale === 1 && bitpix === 8 && bzero === -128) {
    const out = new Int8Array(n);
    for (let i = 0; i < n; i++) out[i] = raw[i]! - 128;
    return { data: out, dtype: 'int8' };
  }
  if (bscale === 1 && bitpix === 32 && bzero === 2147483648) {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = raw[i]! + 2147483648;
    return { data: out, dtype: 'uint32' };
  }
  // General linear scaling, same result dtype as astropy.
  if (bitpix === 8 || bitpix === 16 || bitpix === -32) {
    const out = new Float32Array(n);
    if (bitpix === -32) {
      // astropy scales float32 data in float32 arithmetic.
      const z = Math.fround(bzero);
      const s = Math.fround(bscale);
      for (let i = 0; i < n; i++) out[i] = Math.fround(Math.fround(raw[i]! * s) + z);
    } else {
      for (let i = 0; i < n; i++) out[i] = raw[i]! * bscale + bzero;
    }
    return { data: out, dtype: 'float32' };
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = raw[i]! * bscale + bzero;
  return { data: out, dtype: 'float64' };
}

/**
 * Reads a FITS image (see the module header for dtypes and scaling).
 *
 * @param path the file
 * @param opts `{hdu}` (default: primary, or first image extension when the primary is empty)
 * @returns NDArray with shape `[NAXIS2, NAXIS1]` (or `[NAXIS3, NAXIS2, NAXIS1]`, `[NAXIS1]`),
 *   raw dtype, e.g. uint16 counts
 * @example
 *   const img = readFits('data/spots/mixture12_00001.fits'); // NDArray(uint16, [rows, cols])
 *   const f = asFloat32(img);
 */
export function readFits(path: string, opts: ReadFitsOptions = {}): NDArray {
  return withOpenFile('readFits', path, (fd, size) => {
    const where = `readFits ${path}`;
    const info = locateHdu(fd, size, path, opts);
    const { bitpix, axes, header } = info;
    if (axes.length === 0 && opts.hdu === undefined) {
      throw new Error(`${where}: no image in the file: the primary HDU has NAXIS = 0 and no image extension follows (an empty or truncated file?)`);
    }
    const xt = header.get('XTENSION');
    if (typeof xt === 'string' && xt.trim() !== 'IMAGE') throw new Error(`${where}: HDU is a ${xt.trim()} extension, not an image`);
    if (axes.length > 3) throw new Error(`${where}: NAXIS = ${axes.length} images are not supported (1 to 3 axes)`);
    const n = axes.length === 0 ? 0 : axes.reduce((a, b) => a * b, 1);
    const have = Math.max(0, size - info.dataStart);
    if (have < info.dataBytes) {
      throw new Error(`${where}: file truncated: NAXIS [${axes.join(', ')}] of BITPIX ${bitpix} needs ${info.dataBytes} data bytes, found ${have}`);
    }
    const bytes = readFileAt('readFits', path, fd, info.dataStart, info.dataBytes);
    if (bytes.length < info.dataBytes) throw new Error(`${where}: file truncated while reading the data unit`);
    const raw = decodeData(bytes, bitpix, n);
    const bzero = header.get('BZERO') ?? 0;
    const bscale = header.get('BSCALE') ?? 1;
    if (typeof bzero !== 'number' || typeof bscale !== 'number') throw new Error(`${where}: BZERO/BSCALE are not numbers`);
    const { data, dtype } = applyScaling(raw, bitpix, bzero, bscale);
    const shape = axes.length === 0 ? [0] : [...axes].reverse();
    return new NDArray(data, shape, dtype);
  });
}

// ---------------------------------------------------------------------------------------
// Writing

/** Options for writeFits. */
export interface WriteFitsOptions {
  /**
   * Extra header cards, keyword → value (keywords up to 8 characters of A-Z 0-9 _ -).
   * `COMMENT` / `HISTORY` take a string or string[]. Structural keywords (SIMPLE, BITPIX,
   * NAXIS*, EXTEND, BZERO, BSCALE, END) are set by the writer and rejected here.
   */
  header?: Record<string, FitsValue | string[]>;
  /**
   * Round and clip values the declared dtype cannot hold (NaN → 0) instead of refusing them;
   * default false (e.g. float data declared uint16 with a NaN or 70000 in it is an error).
   */
  clip?: boolean;
}

function padCard(s: string): string {
  if (s.length > CARD) throw new Error(`writeFits: header card longer than 80 characters: ${s}`);
  return s.padEnd(CARD, ' ');
}

function formatValue(v: FitsValue, key: string): string {
  if (v === null) return ''.padStart(20);
  if (typeof v === 'boolean') return (v ? 'T' : 'F').padStart(20);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`writeFits: header value for ${key} must be finite, got ${v}`);
    if (Number.isInteger(v) && Math.abs(v) < 1e18) return String(v).padStart(20);
    let t = String(v).toUpperCase();
    if (!t.includes('.') && !t.includes('E')) t += '.0';
    if (t.includes('E') && !t.split('E')[0]!.includes('.')) t = t.replace('E', '.0E');
    return t.padStart(20);
  }
  const str = String(v);
  if (!/^[\x20-\x7e]*$/.test(str)) throw new Error(`writeFits: header string for ${key} must be printable ASCII`);
  const quoted = `'${str.replace(/'/g, "''").padEnd(8, ' ')}'`;
  if (quoted.length > 70) throw new Error(`writeFits: header string for ${key} is too long (max 68 characters)`);
  return quoted.padEnd(20, ' ');
}

function card(key: string, value: FitsValue, comment = ''): string {
  const body = `${key.padEnd(8)}= ${formatValue(value, key)}`;
  return padCard(comment && body.length + 3 + comment.length <= CARD ? `${body} / ${comment}` : body.slice(0, CARD));
}

const RESERVED = /^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|BZERO|BSCALE|END|XTENSION|PCOUNT|GCOUNT)$/;

interface Layout {
  bitpix: number;
  bzero: number;
  /** Writes element i as big-endian raw value. */
  encode: (src: NumericArray, out: DataView) => void;
}

function layoutFor(dtype: DType): Layout {
  switch (dtype) {
    case 'uint8':
    case 'bool':
      return { bitpix: 8, bzero: 0, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setUint8(i, s[i]!); } };
    case 'int8':
      return { bitpix: 8, bzero: -128, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setUint8(i, s[i]! + 128); } };
    case 'int16':
      return { bitpix: 16, bzero: 0, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setInt16(2 * i, s[i]!); } };
    case 'uint16':
      return { bitpix: 16, bzero: 32768, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setInt16(2 * i, s[i]! - 32768); } };
    case 'int32':
      return { bitpix: 32, bzero: 0, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setInt32(4 * i, s[i]!); } };
    case 'uint32':
      return { bitpix: 32, bzero: 2147483648, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setInt32(4 * i, s[i]! - 2147483648); } };
    case 'float32':
      return { bitpix: -32, bzero: 0, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setFloat32(4 * i, s[i]!); } };
    case 'float64':
      return { bitpix: -64, bzero: 0, encode: (s, o) => { for (let i = 0; i < s.length; i++) o.setFloat64(8 * i, s[i]!); } };
    default:
      throw new Error(`writeFits: unsupported dtype ${String(dtype)}`);
  }
}

/**
 * Encodes an image as FITS bytes (primary HDU).
 *
 * @param image 1-D, 2-D `[rows, cols]` or 3-D `[planes, rows, cols]` array; dtype decides
 *   BITPIX (uint8/bool 8, int8 8+BZERO -128, int16 16, uint16 16+BZERO 32768, int32 32,
 *   uint32 32+BZERO 2^31, float32 -32, float64 -64)
 * @param opts `{header}` extra cards, `{clip}` to round and clip values the dtype cannot hold
 * @returns the file bytes (a multiple of 2880)
 * @throws when the shape is not 1-3 whole numbers >= 0 matching the data, a value does not fit
 *   the declared dtype, or a header card is invalid
 * @example
 *   const bytes = encodeFits(NDArray.zeros([64, 64], 'uint16'));
 */
export function encodeFits(image: ArrayLike2D, opts: WriteFitsOptions = {}): Uint8Array {
  const { dtype, data, shape } = writableData('writeFits', image, opts);
  if (shape.length < 1 || shape.length > 3) throw new Error(`writeFits: image must have 1 to 3 axes, got shape [${shape.join(', ')}]`);
  const n = data.length;
  const lay = layoutFor(dtype);
  const cards: string[] = [
    card('SIMPLE', true, 'conforms to FITS standard'),
    card('BITPIX', lay.bitpix, 'array data type'),
    card('NAXIS', shape.length, 'number of array dimensions'),
  ];
  const axes = [...shape].reverse();
  axes.forEach((v, k) => cards.push(card(`NAXIS${k + 1}`, v)));
  cards.push(card('EXTEND', true));
  if (lay.bzero !== 0) {
    cards.push(card('BZERO', lay.bzero, 'offset data range to that of unsigned/signed'));
    cards.push(card('BSCALE', 1, 'default scaling factor'));
  }
  for (const [rawKey, value] of Object.entries(opts.header ?? {})) {
    const key = rawKey.toUpperCase();
    if (!/^[A-Z0-9_-]{1,8}$/.test(key)) throw new Error(`writeFits: header keyword '${rawKey}' must be 1-8 characters of A-Z 0-9 _ -`);
    if (RESERVED.test(key)) throw new Error(`writeFits: header keyword '${key}' is set by the writer`);
    if (key === 'COMMENT' || key === 'HISTORY') {
      const lines = Array.isArray(value) ? value : [String(value)];
      for (const line of lines) {
        if (!/^[\x20-\x7e]*$/.test(line)) throw new Error(`writeFits: ${key} text must be printable ASCII`);
        for (let o = 0; o < Math.max(1, line.length); o += 72) cards.push(padCard(`${key.padEnd(8)}${line.slice(o, o + 72)}`));
      }
      continue;
    }
    if (Array.isArray(value)) throw new Error(`writeFits: header value for ${key} must be a string, number, boolean or null`);
    cards.push(card(key, value));
  }
  cards.push(padCard('END'));
  const headerBytes = Math.ceil((cards.length * CARD) / BLOCK) * BLOCK;
  const itemBytes = Math.abs(lay.bitpix) / 8;
  const dataBytes = Math.ceil((n * itemBytes) / BLOCK) * BLOCK;
  const out = new Uint8Array(headerBytes + dataBytes);
  out.fill(0x20, 0, headerBytes);
  out.set(Buffer.from(cards.join(''), 'latin1'), 0);
  lay.encode(data, new DataView(out.buffer, headerBytes, n * itemBytes));
  return out;
}

/**
 * Writes an image as a FITS file (primary HDU; atomic: temporary file + rename).
 *
 * @param path target file; parent directories are created
 * @param image 1-3 axis array; dtype decides BITPIX (see encodeFits)
 * @param opts `{header}` extra header cards, e.g. `{OBJECT: 'spots', EXPTIME: 30}`
 * @returns the absolute path written
 * @example
 *   writeFits('data/spots/mixture12_00001.fits', counts, { header: { OBJECT: 'mixture 12' } });
 *   // astropy.io.fits.getdata(...) gives the same uint16 array back
 */
export function writeFits(path: string, image: ArrayLike2D, opts: WriteFitsOptions = {}): string {
  return writeFileAtomic(path, encodeFits(image, opts));
}
