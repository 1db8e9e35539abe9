/**
 * Slides export: the executed environment notebook becomes reveal.js slides that open in
 * headless Chromium with every network request blocked, and show the first slide.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUILD_SLIDES } from '../scripts/jupyter.js';
import { runNotebooks } from '../scripts/run-notebooks.js';
import { exportSlides } from '../scripts/export-slides.js';
import { projectChromium } from '../scripts/install/record.js';
import { needs } from './helpers/needs.js';
import { pythonHas } from './helpers/python.js';

const CHROMIUM = projectChromium();

describe('slides export (needs Jupyter nbconvert and Chromium)', () => {
  beforeEach((ctx) => {
    needs(ctx, 'Jupyter (nbclient, nbconvert) in the project Python', pythonHas('nbclient', 'nbconvert'));
    needs(ctx, `Chromium (${CHROMIUM ?? 'none found; NSEG_CHROMIUM picks one'})`, CHROMIUM !== null && existsSync(CHROMIUM));
  });
  it('exports 00-environment and shows its first slide offline', async () => {
    const [run] = runNotebooks(['00-environment.ipynb'], 'quick', 300);
    expect(run?.ok, run?.error).toBe(true);
    const [file] = exportSlides(['00-environment.ipynb']);
    expect(file).toBe(join(BUILD_SLIDES, '00-environment.slides.html'));
    const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const external: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        external.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(file!).href);
      await page.waitForFunction(() => document.querySelector('.reveal.ready') !== null, null, { timeout: 30_000 });
      const present = await page.locator('.reveal .slides section.present').first().innerText();
      expect(present).toContain('Machine learning to segment neutron images');
      expect(external).toEqual([]);
      // The figure check of 00 shows as a decoded image (nbconvert's cleaner would strip an SVG's
      // embedded raster, leaving an empty frame).
      const figures = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.jp-RenderedImage img')).map((img) => (img as HTMLImageElement).naturalWidth),
      );
      expect(figures.length).toBeGreaterThan(0);
      expect(Math.min(...figures)).toBeGreaterThan(100);
      expect(await page.locator('.jp-RenderedSVG').count()).toBe(0);
      // long code lines wrap on a slide instead of running off its edge
      const ws = await page.evaluate(() => {
        const pre = document.querySelector('.reveal .highlight pre');
        return pre ? getComputedStyle(pre).whiteSpace : null;
      });
      expect(ws).toBe('pre-wrap');
    } finally {
      await browser.close();
    }
  });
});
