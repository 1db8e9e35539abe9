export * from './kmeans.js';
export { NumpyRandomState } from './random.js';
