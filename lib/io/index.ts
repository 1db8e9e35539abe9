/**
 * io — files in and out: FITS (astropy's reading of neutron frames), NPY (numpy arrays),
 * PNG and TIFF images. Every reader returns an NDArray and names the file and the problem
 * when a file is broken, and refuses an image over a pixel limit (`DEFAULT_MAX_PIXELS`, raised
 * per call with `maxPixels`) before allocating it; every writer writes atomically (a half-written
 * file never appears) and refuses data it could not read back.
 *
 * Public: the readers and writers below. Internal (import by path): the in-memory codecs
 * (`encodeNpy`, `parseNpy`, `encodePng`, `decodePng`, `decodeTiff`, `encodeFits`), the FITS
 * card parser, the fitsjs bridge (`fitsjs.ts`), `writeFileAtomic` and `removeStaleTempFiles`
 * (`atomic.ts`), the shared file reader (`_file.ts`) and the writers' checks (`_write.ts`).
 */
export { readFits, readFitsHeader, writeFits } from './fits.js';
export type { FitsCard, FitsHeader, FitsValue, ReadFitsOptions, WriteFitsOptions } from './fits.js';
export { readNpy, writeNpy } from './npy.js';
export type { WriteNpyOptions } from './npy.js';
export { readPng, writePng } from './png.js';
export type { ReadPngOptions, WritePngOptions } from './png.js';
export { readTiff } from './tiff.js';
export type { ReadTiffOptions } from './tiff.js';
export { DEFAULT_MAX_PAGES, DEFAULT_MAX_PIXELS } from './_file.js';
