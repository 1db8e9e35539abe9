export * from './knn.js';
