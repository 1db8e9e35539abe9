/** Filters with scikit-image semantics, the spot cleaner, tiles and numpy histograms. */
export * from './median.js';
export * from './convolve.js';
export * from './basic.js';
export * from './histogram.js';
