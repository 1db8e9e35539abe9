export * from './classification.js';
export * from './topology.js';
