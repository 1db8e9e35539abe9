export type { NumericArray, DType, ArrayLike2D, Matrix } from './types.js';
