/**
 * Rich output in tslab notebooks, with a plain-text fallback elsewhere (scripts, tests).
 *
 * tslab's `display` only works while the kernel executes a cell; outside it throws
 * "Not ready". The tslab module is loaded lazily and only if installed, so the library
 * imports in any Node program.
 */
import { createRequire } from 'node:module';

interface TslabDisplay {
  html(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  markdown(s: string): void;
}

const require = createRequire(import.meta.url);
let cached: TslabDisplay | null | undefined;

/** tslab's display object when running inside the tslab kernel, else null. */
export function tslabDisplay(): TslabDisplay | null {
  if (cached === undefined) {
    try {
      cached = (require('tslab') as { display: TslabDisplay }).display;
    } catch {
      cached = null;
    }
  }
  if (!cached) return null;
  try {
    // lastWriteDisplayData is set only while a cell executes in the kernel.
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
    return jupyter.lastWriteDisplayData ? cached : null;
  } catch {
    return null;
  }
}

/** True inside a tslab notebook cell. */
export function inNotebook(): boolean {
  return tslabDisplay() !== null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A table cell value. */
export type Cell = string | number | boolean | null | undefined;

/**
 * Shows rows as a table: HTML in a notebook, aligned text in a terminal.
 *
 * @param headers column names
 * @param rows one array of cells per row (numbers are shown with up to 4 significant digits)
 * @param caption optional caption above the table
 * @example
 *   showTable(['method', 'recall'], [['baseline', 0.09], ['1-NN', 0.41]]);
 */
export function showTable(headers: readonly string[], rows: readonly (readonly Cell[])[], caption?: string): void {
  const d = tslabDisplay();
  if (d) {
    const th = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
    const body = rows
      .map((r) => `<tr>${r.map((c) => `<td style="text-align:${typeof c === 'number' ? 'right' : 'left'}">${escapeHtml(formatCell(c))}</td>`).join('')}</tr>`)
      .join('');
    d.html(`<table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`);
  } else {
    console.log((caption ? caption + '\n' : '') + formatTable(headers, rows));
  }
  // Nothing is returned: tslab would print a returned value a second time as text.
}

/** A table cell as text: integers as they are, other numbers with 4 significant digits. */
function formatCell(v: Cell): string {
  if (typeof v !== 'number') return String(v ?? '');
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toPrecision(4);
}

/**
 * A table as aligned plain text (what {@link showTable} prints outside a notebook).
 *
 * @param headers column names
 * @param rows one array of cells per row
 * @returns the text, one line per row, columns padded with two spaces between them
 * @example
 *   formatTable(['method', 'recall'], [['baseline', 0.09]]); // 'method    recall\nbaseline  0.09000'
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [headers.map(String), ...rows.map((r) => r.map(formatCell))];
  const widths = headers.map((_, j) => Math.max(...text.map((r) => (r[j] ?? '').length)));
  return text.map((r) => r.map((c, j) => c.padEnd(widths[j]!)).join('  ').trimEnd()).join('\n');
}
