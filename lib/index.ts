/**
 * neutron-seg-ts: the library behind the lecture notebooks.
 *
 * The data flows one way, one folder per stage:
 *   io (files) → core (typed images) → filters (features) → cluster / classify / nn (models)
 *   → metrics → plot (figures). `data` generates the lecture's stand-in data; `frames`
 *   bridges to danfojs DataFrames.
 */
export * from './core/index.js';
export * from './io/index.js';
export * from './filters/index.js';
export * from './frames/index.js';
export * from './cluster/index.js';
export * from './classify/index.js';
export * from './metrics/index.js';
export * from './plot/index.js';
export * from './nn/index.js';
export * from './data/index.js';
export * from './notebook/index.js';
