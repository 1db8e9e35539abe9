/**
 * classify — the k-nearest-neighbour classifier with ml-knn's API (`new KNN(X, y, { k })`,
 * `predict`), exact and fast enough for the lecture's two million training pixels.
 *
 * Public: `KNN` and its option and progress types (`knn.ts`).
 */
export { KNN } from './knn.js';
export type { KNNLabels, KNNOptions, KNNPredictOptions, KNNProgress } from './knn.js';
