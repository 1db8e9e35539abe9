/**
 * A tiny builder the lecture notebooks were first written with: each notebook is a list of
 * markdown and code cells with their slide type, written as a Jupyter notebook (nbformat 4.5)
 * on the project's tslab kernel.
 *
 * The .ipynb files in notebooks/ are the source of truth that students and teachers edit;
 * these scripts are kept so the first version can be read as plain text and regenerated
 * (`npx tsx scripts/notebooks-src/build.ts [NAME]`), which overwrites the notebook.
 * Cell ids are derived from the notebook name and the cell's position, so regenerating an
 * unchanged notebook gives an identical file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** reveal.js slide types understood by nbconvert's slides exporter. */
export type SlideType = 'slide' | 'subslide' | 'fragment' | 'skip' | 'notes' | '-';

export interface Cell {
  kind: 'markdown' | 'code';
  slide: SlideType;
  source: string;
  /** hide the input on slides (nbconvert honours the `remove_input` tag with TagRemovePreprocessor) */
  tags?: string[];
}

/** Strips the common indentation and the first and last blank lines of a template literal. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(ind)).join('\n');
}

/** A markdown cell. */
export function md(slide: SlideType, text: string): Cell {
  return { kind: 'markdown', slide, source: dedent(text) };
}

/** A code cell (TypeScript on tslab). */
export function code(slide: SlideType, text: string, tags?: string[]): Cell {
  return { kind: 'code', slide, source: dedent(text), tags };
}

function lines(s: string): string[] {
  const parts = s.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? l + '\n' : l)).filter((l) => l !== '');
}

/** Writes the notebook atomically; returns its JSON text. */
export function writeNotebook(path: string, title: string, cells: readonly Cell[]): string {
  const name = path.split('/').pop()!;
  const nb = {
    cells: cells.map((c, i) => {
      const id = createHash('sha1').update(`${name}:${i}`).digest('hex').slice(0, 8);
      const metadata: Record<string, unknown> = { slideshow: { slide_type: c.slide } };
      if (c.tags?.length) metadata.tags = c.tags;
      return c.kind === 'markdown'
        ? { cell_type: 'markdown', id, metadata, source: lines(c.source) }
        : { cell_type: 'code', execution_count: null, id, metadata, outputs: [], source: lines(c.source) };
    }),
    metadata: {
      kernelspec: { display_name: 'TypeScript (neutron-seg)', language: 'typescript', name: 'tslab' },
      language_info: {
        codemirror_mode: { name: 'javascript', typescript: true },
        file_extension: '.ts',
        mimetype: 'text/typescript',
        name: 'typescript',
      },
      rise: { scroll: true, theme: 'simple', transition: 'none' },
      title,
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const text = JSON.stringify(nb, null, 1) + '\n';
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return text;
}
