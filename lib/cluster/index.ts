/**
 * cluster — k-means with scikit-learn's options and results (k-means++ seeding, several
 * initialisations, inertia) in ml-kmeans' shape.
 *
 * Public: `kmeans` and its result class `KMeansFit` (`kmeans.ts`). Internal: numpy's
 * RandomState (`random.ts`, for seeding as scikit-learn does) and the distance kernels.
 */
export { KMeansFit, kmeans } from './kmeans.js';
export type { KMeansClusterInfo, KMeansInput, KMeansOptions, KMeansProgress } from './kmeans.js';
