/**
 * A progress line for long cells (training): in a tslab notebook one output line that each
 * `update` rewrites in place (tslab's `newDisplay`, sent as Jupyter's `update_display_data`),
 * so a 20-epoch log takes one line of a slide; elsewhere (scripts, tests) every update is
 * printed as its own console line.
 */
import { createRequire } from 'node:module';
import { inNotebook } from './display.js';

interface TslabUpdatable {
  html(s: string): void;
}

/** A line that shows the latest state of a long computation. */
export interface ProgressLine {
  /** Shows `text`, replacing what the line showed before (in a notebook). */
  update(text: string): void;
}

const require = createRequire(import.meta.url);

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Makes a progress line.
 *
 * @returns `{ update(text) }`
 * @example
 *   const line = progressLine();
 *   for (let e = 1; e <= 20; e++) line.update(`epoch ${e}/20`);
 */
export function progressLine(): ProgressLine {
  if (inNotebook()) {
    try {
      const d = (require('tslab') as { newDisplay(): TslabUpdatable }).newDisplay();
      return {
        update(text: string) {
          d.html(`<pre class="nseg-progress" style="margin:0;white-space:pre-wrap">${escapeHtml(text)}</pre>`);
        },
      };
    } catch {
      /* an older tslab without newDisplay: print lines */
    }
  }
  return { update: (text: string) => console.log(text) };
}
