/**
 * Checks on the executed lecture notebooks: they tell the lecture's story on the stand-in data.
 *
 * Notebooks 02–04 write their key numbers to build/results/<notebook>.json and save their
 * executed copies to build/notebooks/. When a result is missing or older than its notebook
 * or the built library (a fresh clone, an edited notebook), this test first executes the
 * notebooks it needs through the tslab kernel with the quick profile (the runner of
 * scripts/run-notebooks.ts), so `npm test` checks real results in CI. That takes a few
 * minutes on two cores; results from a lecture run (`npm start`) are used as they are.
 *
 * What is checked:
 * - every code cell that draws a figure has an image in its outputs, and no cell has an
 *   error or stderr output;
 * - 4-cluster k-means separates the four material classes of the time-of-flight cube (each
 *   cluster is dominated by a different class);
 * - recall on the test region: baseline < k-NN < U-Net; the U-Net also beats the baseline on
 *   its own test crop.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_NOTEBOOKS, NOTEBOOK_DIR, ROOT, ensureData } from '../scripts/jupyter.js';
import { runNotebooks } from '../scripts/run-notebooks.js';

const RESULTS = join(ROOT, 'build', 'results');
const NOTEBOOKS = ['02-unsupervised.ipynb', '03-supervised.ipynb', '04-unet-spots.ipynb'] as const;

interface NbOutput {
  output_type: string;
  name?: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  text?: string | string[];
}
interface NbCell {
  cell_type: string;
  source: string | string[];
  outputs?: NbOutput[];
  metadata?: { tags?: string[] };
}

const mtime = (p: string): number => (existsSync(p) ? statSync(p).mtimeMs : 0);
const src = (c: NbCell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);

/** True when the notebook's result and executed copy exist and are newer than the notebook and the library build. */
function fresh(nb: string): boolean {
  const result = join(RESULTS, nb.replace(/\.ipynb$/, '.json'));
  const executed = join(BUILD_NOTEBOOKS, nb);
  const newest = Math.max(mtime(join(NOTEBOOK_DIR, nb)), mtime(join(ROOT, 'lib', 'dist', 'index.js')));
  return mtime(result) > newest && mtime(executed) > newest;
}

function readJson<T>(nb: string): T {
  return JSON.parse(readFileSync(join(RESULTS, nb.replace(/\.ipynb$/, '.json')), 'utf8')) as T;
}

/** A code cell draws a figure when it builds one with subplots or a figure helper. */
const FIGURE_CALL = /\b(subplots|magnifyRegion|showHitMap|showHitCases)\s*\(/;

describe('executed lecture notebooks tell the lecture story', () => {
  const ran: string[] = [];

  beforeAll(() => {
    const stale = NOTEBOOKS.filter((nb) => !fresh(nb));
    if (stale.length === 0) return;
    ensureData();
    // 04 reads the hit maps 03 saved: run from the first stale notebook on, in order
    const from = NOTEBOOKS.indexOf(stale[0]);
    const names = NOTEBOOKS.slice(from);
    const runs = runNotebooks(names, 'quick');
    ran.push(...runs.map((r) => `${r.notebook} ${r.seconds.toFixed(0)} s`));
    const failed = runs.find((r) => !r.ok);
    if (failed) throw new Error(`executing ${failed.notebook} failed:\n${failed.error ?? ''}`);
  }, 1_500_000);

  it.each(NOTEBOOKS)('%s: figures in every figure cell, no error or stderr output', (nb) => {
    const cells = (JSON.parse(readFileSync(join(BUILD_NOTEBOOKS, nb), 'utf8')) as { cells: NbCell[] }).cells;
    const code = cells.filter((c) => c.cell_type === 'code');
    expect(code.length).toBeGreaterThan(5);
    for (const [i, c] of code.entries()) {
      const outs = c.outputs ?? [];
      const bad = outs.filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'));
      expect(bad, `${nb} code cell ${i} has error output:\n${JSON.stringify(bad).slice(0, 1000)}`).toEqual([]);
      // a bookkeeping cell (hidden on slides) may make a figure only to save it
      if (FIGURE_CALL.test(src(c)) && !(c.metadata?.tags ?? []).includes('bookkeeping')) {
        const images = outs.filter((o) => o.data && ('image/svg+xml' in o.data || 'image/png' in o.data));
        expect(images.length, `${nb} code cell ${i} draws a figure but shows none:\n${src(c).slice(0, 300)}`).toBeGreaterThan(0);
      }
    }
  });

  it('02: 4-cluster k-means separates the four material classes', () => {
    const r = readJson<{ purity: number[]; majorityClass: number[] }>('02-unsupervised.ipynb');
    expect(r.purity).toHaveLength(4);
    // each cluster is dominated by one class …
    for (const p of r.purity) expect(p).toBeGreaterThan(0.8);
    // … and the four clusters are dominated by four different classes
    expect([...r.majorityClass].sort()).toEqual([0, 1, 2, 3]);
  });

  it('03/04: recall baseline < k-NN < U-Net; each method pays with precision', () => {
    type PR = { recall: number; precision: number };
    const s = readJson<{ baseline: PR; knn: PR }>('03-supervised.ipynb');
    const u = readJson<{ unet: PR; baselineOnCrop: PR; profile: string }>('04-unet-spots.ipynb');
    expect(s.baseline.recall).toBeLessThan(s.knn.recall);
    expect(s.knn.recall).toBeLessThan(u.unet.recall);
    expect(u.baselineOnCrop.recall).toBeLessThan(u.unet.recall);
    // the baseline is the most precise, the U-Net the least (it finds more and more false alarms)
    expect(s.baseline.precision).toBeGreaterThan(s.knn.precision);
    for (const v of [s.baseline, s.knn, u.unet]) {
      expect(v.recall).toBeGreaterThanOrEqual(0);
      expect(v.recall).toBeLessThanOrEqual(1);
      expect(v.precision).toBeGreaterThan(0);
    }
    if (ran.length) console.log(`executed for this test: ${ran.join(', ')}`);
  });
});
