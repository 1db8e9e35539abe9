/**
 * notebook — what a tslab notebook needs beyond figures: tables shown as HTML (and as text
 * outside a notebook), whether a cell runs in a notebook, and the environment report.
 *
 * Public: `showTable`, `formatTable`, `inNotebook` (`display.ts`); `environmentReport`
 * (`environment.ts`); a slide-sized model summary, `showModelSummary` (`summary.ts`); a
 * progress line rewritten in place, `progressLine` (`progress.ts`). The lecture's run
 * profiles (`profile.ts`) are exported from `neutron-seg/lecture`; `tslabDisplay` (the bridge
 * to tslab's display) is internal.
 */
export { formatTable, inNotebook, showTable } from './display.js';
export type { Cell } from './display.js';
export { environmentReport } from './environment.js';
export { modelSummary, showModelSummary } from './summary.js';
export type { SummaryRow } from './summary.js';
export { progressLine } from './progress.js';
export type { ProgressLine } from './progress.js';
export type { EnvironmentRow } from './environment.js';
