/**
 * frames — the lecture's pandas steps with danfojs DataFrames: build a frame from typed
 * columns without one JS object per row, and read columns back as typed arrays.
 *
 * Public: `frameFromColumns`, `columnArray`, `frameToColumns` (`frames.ts`). Internal:
 * `loadDanfo` and the one function that touches danfo's private stores (`danfo-store.ts`).
 */
export { columnArray, frameFromColumns, frameToColumns } from './frames.js';
export type { FrameColumn } from './frames.js';
