/**
 * neutron-seg: the library behind the lecture "Machine learning to segment neutron images".
 *
 * `import { … } from 'neutron-seg'` offers what a student calls, one group per stage; the data
 * flows one way:
 *
 * | stage | folder | what it offers |
 * |---|---|---|
 * | images | `core` | `NDArray`, the typed image every stage passes on |
 * | files | `io` | `readFits`, `readNpy`, `readPng`, `readTiff` and the writers |
 * | features | `filters` | median, Gaussian, Sobel, spot cleaning, tiles, numpy histograms |
 * | tables | `frames` | danfojs DataFrames from typed columns and back |
 * | models | `cluster`, `classify`, `nn` | k-means, k-NN, U-Nets (backend, training, losses, transfer) |
 * | scores | `metrics` | confusion matrix, precision, recall, Dice, IoU, topology scores |
 * | figures | `plot` | `subplots`, `Axes` (matplotlib's calls), colour maps, nodeplotlib's `plot` |
 * | notebooks | `notebook` | tables, environment report |
 *
 * Each folder's `index.ts` lists its public names on purpose (scikit-image's way); anything
 * else is internal and reached by path (tests do that). The lecture's own helpers — stand-in
 * data generators, hit-map figures, run profiles — are a second entry point,
 * `neutron-seg/lecture` (`lecture.ts`). `test/api-public.test.ts` pins both lists, so a
 * change to the API is a deliberate diff.
 */
export * from './core/index.js';
export * from './io/index.js';
export * from './filters/index.js';
export * from './frames/index.js';
export * from './cluster/index.js';
export * from './classify/index.js';
export * from './nn/index.js';
export * from './metrics/index.js';
export * from './plot/index.js';
export * from './notebook/index.js';
