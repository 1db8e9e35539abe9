/**
 * filters — image filters with scikit-image's semantics, the lecture's spot cleaner and
 * tiles, and numpy's histograms.
 *
 * Public: `medianFilter` (`median.ts`); `gaussianFilter`, `sobelH`, `sobelV` (`convolve.ts`);
 * `absDiff`, `normalizeImage`, `thresholdImage`, `spotCleaner`, `splitTiles` (`basic.ts`);
 * `histogram`, `histogram2d` (`histogram.ts`, also the core of the figures' `hist` and
 * `hist2d`). Internal (import by path): argument checks and `imgAsFloat` (`util.ts`),
 * `gaussianKernel1d`, the histogram cores.
 */
export { medianFilter } from './median.js';
export { gaussianFilter, sobelH, sobelV } from './convolve.js';
export type { GaussianOptions, SobelOptions } from './convolve.js';
export { absDiff, normalizeImage, spotCleaner, splitTiles, thresholdImage } from './basic.js';
export type { SpotCleanerResult, TilesOptions } from './basic.js';
export { histogram, histogram2d } from './histogram.js';
export type { Histogram2dResult, HistogramInput, HistogramResult } from './histogram.js';
