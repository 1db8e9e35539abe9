/**
 * fitsjs (the FITS package the users asked for) made usable in Node — for header parsing
 * and verification only.
 *
 * What we found running fitsjs 0.6.6 in Node 20 on files written by astropy 5.2 (see
 * test/io-fits.test.ts, which keeps checking these findings):
 * - It is browser code: loading it needs globals `File` and `Blob` (it patches
 *   `File.prototype.slice` at load time) and a global `astro`; reading a path goes through
 *   `XMLHttpRequest`, reading a Blob through `FileReader`, and `Image.getFrame` decodes in a
 *   Web `Worker` built from `window.URL.createObjectURL` — none of which Node has.
 * - The earlier failure `frameOffsets[frame]` undefined comes from `getFrame`'s FileReader
 *   path: it stores the frame number on the reader (`reader.frame`) and reads it back as
 *   `e.target.frame`; a FileReader shim whose event target is not the reader loses it. With an
 *   ArrayBuffer from the *same realm* (the XHR path) the frame buffers exist, but then
 *   `getFrame` needs `window`/`Worker`.
 * - Calling its decoder (`Image._getFrame`) directly gives WRONG data for two of our cases:
 *   uint16 images (BITPIX 16 + BZERO 32768) are scaled inside an Int16Array, so every count
 *   ≥ 32768 wraps negative (41743 reads as −23793); BITPIX −64 is decoded as float32 pairs
 *   (garbage). BITPIX 8 comes back as Uint16Array. Only BITPIX −32 and plain 16/32 are right.
 * - Its header parser is right for the structural keywords and verifies them (SIMPLE or
 *   XTENSION first, BITPIX in {8, 16, 32, −32, −64}, NAXIS in 0..999, NAXISn present), but it
 *   splits values at ' /' (breaks strings containing ' /'), does not unescape '' in strings,
 *   and stops after 600 cards.
 *
 * So: we load fitsjs once into a `vm` sandbox (no global pollution) with stub `File`/`Blob`,
 * and use its `Header` class to verify every header `readFits`/`readFitsHeader` read (its
 * thrown strings become Errors naming the file). The card values users see come from our
 * own parser (./fits.ts), and the data unit is decoded by ./fits.ts as well.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createContext, runInContext } from 'node:vm';

/** The parts of fitsjs's Header class we use. */
export interface FitsjsHeader {
  get(key: string): unknown;
  contains(key: string): boolean;
  isPrimary(): boolean;
  isExtension(): boolean;
  hasDataUnit(): boolean;
  getDataLength(): number;
  getDataType(): string | null;
  cards: Record<string, { index: number; value: unknown; comment: string }>;
}

interface FitsjsModule {
  FITS: { Header: new (block: string) => FitsjsHeader; version: string };
}

let cached: { astro: FitsjsModule; warnings: string[] } | undefined;

/**
 * Loads fitsjs into a sandbox (once) and returns its `astro` namespace.
 *
 * @returns `{ astro, warnings }`; `astro.FITS.Header` is fitsjs's header class
 * @example
 *   const { astro } = loadFitsjs();
 *   astro.FITS.version; // '0.6.5' (the 0.6.6 package reports 0.6.5)
 */
export function loadFitsjs(): { astro: FitsjsModule; warnings: string[] } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const file = require.resolve('fitsjs');
  const source = readFileSync(file, 'utf8');
  const warnings: string[] = [];
  class BlobStub {
    slice(): never {
      throw new Error('fitsjs in Node: Blob reading is not available (the data unit is read by lib/io/fits.ts)');
    }
  }
  class FileStub extends BlobStub {}
  const sandbox: Record<string, unknown> = {
    astro: {},
    File: FileStub,
    Blob: BlobStub,
    console: { warn: (m: unknown) => warnings.push(String(m)), log: () => undefined, error: (m: unknown) => warnings.push(String(m)) },
  };
  createContext(sandbox);
  runInContext(source, sandbox, { filename: file });
  cached = { astro: sandbox.astro as FitsjsModule, warnings };
  return cached;
}

/**
 * Parses and verifies FITS header text with fitsjs's `Header` class.
 *
 * @param text the header blocks as a latin1 string (cards up to and including END)
 * @param name the file name used in error messages
 * @returns fitsjs's Header (values via `get`, e.g. `get('BITPIX')`)
 * @throws Error naming the file when fitsjs's verification rejects the header
 *   (e.g. "BITPIX value 12 is not permitted")
 * @example
 *   const h = fitsjsParseHeader(headerText, 'frame.fits');
 *   h.get('NAXIS1');
 */
export function fitsjsParseHeader(text: string, name = '<buffer>'): FitsjsHeader {
  const { astro, warnings } = loadFitsjs();
  warnings.length = 0;
  try {
    return new astro.FITS.Header(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`readFits ${name}: invalid header (fitsjs): ${msg}`);
  }
}
