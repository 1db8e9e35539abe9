export * from './types.js';
export * from './ndarray.js';
