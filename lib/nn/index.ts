export {};
export * from './backend.js';
export { registerWasmTrainingKernels } from './kernels/wasm-train.js';
