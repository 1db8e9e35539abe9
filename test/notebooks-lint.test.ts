/**
 * Notebooks read as slides: every cell carries slide metadata, code lines are at most 100
 * characters, cells are short enough for one slide, and the executed copies hold no errors.
 *
 * Limits: a code or markdown cell shown on a slide has at most 20 lines (a cell tagged
 * `long-ok` in its metadata may have up to 25, for the few that cannot be split without
 * losing their idea); cells skipped on slides (`slide_type: skip`, the bookkeeping) are exempt
 * from the cell length, not from the line length.
 *
 * Bookkeeping (results files, run-profile switches) lives in its own cells, tagged
 * `bookkeeping` and skipped on slides, never in a teaching cell: a code cell that calls
 * `writeFileAtomic` or `byProfile` or touches `build/results` must carry both.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_NOTEBOOKS, NOTEBOOK_DIR } from '../scripts/jupyter.js';

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { slideshow?: { slide_type?: string }; tags?: string[] };
  outputs?: { output_type: string; name?: string; ename?: string; evalue?: string }[];
}

const SLIDE_TYPES = ['slide', 'subslide', 'fragment', 'skip', 'notes', '-'];
const MAX_LINE = 100;
const MAX_CELL = 20;
const MAX_LONG_OK = 25;
const BOOKKEEPING = /writeFileAtomic\(|byProfile\(|build\/results/;

const names = [
  ...readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith('.ipynb')),
  ...readdirSync(join(NOTEBOOK_DIR, 'exercises')).filter((f) => f.endsWith('.ipynb')).map((f) => `exercises/${f}`),
];

function cells(path: string): Cell[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { cells: Cell[] }).cells;
}
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);

describe('notebook lint', () => {
  it('finds the notebooks', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of names) {
    it(`${name}: slide metadata, line and cell lengths`, () => {
      const problems: string[] = [];
      cells(join(NOTEBOOK_DIR, name)).forEach((c, i) => {
        const type = c.metadata?.slideshow?.slide_type;
        if (!type || !SLIDE_TYPES.includes(type)) problems.push(`cell ${i}: no slideshow.slide_type`);
        const lines = text(c).replace(/\n$/, '').split('\n');
        lines.forEach((l, j) => {
          if (c.cell_type === 'code' && l.length > MAX_LINE) problems.push(`cell ${i} line ${j + 1}: ${l.length} characters`);
        });
        const limit = c.metadata?.tags?.includes('long-ok') ? MAX_LONG_OK : MAX_CELL;
        if (c.cell_type === 'code' && BOOKKEEPING.test(text(c)) && (type !== 'skip' || !c.metadata?.tags?.includes('bookkeeping'))) {
          problems.push(`cell ${i}: bookkeeping (results files, profiles) in a cell not tagged 'bookkeeping' and skipped on slides`);
        }
        if (type !== 'skip' && lines.length > limit) problems.push(`cell ${i}: ${lines.length} lines (at most ${limit})`);
      });
      expect(problems).toEqual([]);
    });
  }

  it('executed copies hold no error outputs', () => {
    const problems: string[] = [];
    for (const name of names) {
      const path = join(BUILD_NOTEBOOKS, name);
      if (!existsSync(path)) continue;
      cells(path).forEach((c, i) => {
        for (const o of c.outputs ?? []) {
          if (o.output_type === 'error') problems.push(`${name} cell ${i}: ${o.ename}: ${o.evalue}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });
});
