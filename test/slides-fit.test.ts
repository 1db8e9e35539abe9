/**
 * Slides that fit the screen: every executed notebook in build/notebooks/ (the test command
 * executes them all before vitest runs) is exported to reveal.js slides, and every slide is
 * visited in headless Chromium at 1280 × 720. A slide whose content is taller or wider than
 * the slide, that shows an error or stderr output, or that asks for something on the network
 * fails the test. `npm run check-slides` runs the same check on the slides of `npm start`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSlides, chromiumPath } from '../scripts/check-slides.js';
import { exportSlides } from '../scripts/export-slides.js';
import { BUILD_NOTEBOOKS, NOTEBOOK_DIR, findPython } from '../scripts/jupyter.js';
import { needs } from './helpers/needs.js';

function list(dir: string, prefix = ''): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ipynb')).map((f) => prefix + f) : [];
}

function hasNbconvert(): boolean {
  try {
    findPython('nbconvert');
    return true;
  } catch {
    return false;
  }
}

describe('slides fit a 1280 × 720 screen', () => {
  it('every slide of every executed notebook', async (ctx) => {
    needs(ctx, 'Chromium', existsSync(chromiumPath()));
    needs(ctx, 'Jupyter nbconvert', hasNbconvert());
    const sources = [...list(NOTEBOOK_DIR), ...list(join(NOTEBOOK_DIR, 'exercises'), 'exercises/')];
    const executed = sources.filter((n) => existsSync(join(BUILD_NOTEBOOKS, n)));
    needs(ctx, 'every notebook executed in build/notebooks (npm test executes them first)', executed.length === sources.length);
    const files = exportSlides(executed);
    const problems = await checkSlides(files);
    expect(problems.map((p) => `${p.file} ${p.slide}: ${p.problem}`)).toEqual([]);
  }, 600_000);
});
