export * from './types.js';
export * from './ndarray.js';
export * from './random.js';
