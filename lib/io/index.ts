/** File formats: atomic writes, NPY, FITS, PNG, TIFF. */
export * from './atomic.js';
export * from './npy.js';
export * from './fits.js';
export * from './png.js';
export * from './fitsjs.js';
export * from './tiff.js';
export { DEFAULT_MAX_PAGES, DEFAULT_MAX_PIXELS } from './_file.js';
