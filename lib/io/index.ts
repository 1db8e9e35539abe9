/**
 * io — files in and out: FITS (astropy's reading of neutron frames), NPY (numpy arrays),
 * PNG and TIFF images. Every reader returns an NDArray and names the file and the problem
 * when a file is broken; every writer writes atomically (a half-written file never appears).
 *
 * Public: the readers and writers below. Internal (import by path): the in-memory codecs
 * (`encodeNpy`, `parseNpy`, `encodePng`, `decodePng`, `decodeTiff`, `encodeFits`), the FITS
 * card parser, the fitsjs bridge (`fitsjs.ts`) and `writeFileAtomic` (`atomic.ts`).
 */
export { readFits, readFitsHeader, writeFits } from './fits.js';
export type { FitsCard, FitsHeader, FitsValue, ReadFitsOptions, WriteFitsOptions } from './fits.js';
export { readNpy, writeNpy } from './npy.js';
export { readPng, writePng } from './png.js';
export { readTiff } from './tiff.js';
export type { ReadTiffOptions } from './tiff.js';
