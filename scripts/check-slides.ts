/**
 * Opens exported slides (build/slides/*.slides.html) in headless Chromium at a projector's
 * size, visits every slide and reports the ones a lecturer could not show as they are:
 * - content taller or wider than the slide (reveal.js scales the whole slide to the window, so
 *   what does not fit the slide's own size — 960 × 700 by default — becomes a scroll box or
 *   runs off the edge);
 * - an error or stderr output on the slide (a traceback, a warning from a library);
 * - a request that leaves the machine (the slides must work offline).
 *
 *   npm run check-slides                  # every file in build/slides
 *   npm run check-slides -- 04 05         # only those whose names contain 04 or 05
 *
 * The test suite runs the same check on the slides of the notebooks it executes
 * (test/slides-fit.test.ts). Chromium: NSEG_CHROMIUM, else /usr/bin/chromium.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { BUILD_SLIDES } from './jupyter.js';

/** One slide that does not fit or shows an error. */
export interface SlideProblem {
  /** slide file, relative to build/slides */
  file: string;
  /** reveal.js address of the slide, e.g. `#/4/1` */
  slide: string;
  /** what is wrong, in words */
  problem: string;
}

/** The Chromium the checks drive. */
export function chromiumPath(): string {
  return process.env.NSEG_CHROMIUM ?? '/usr/bin/chromium';
}

/** Slide files under build/slides (exercises one folder down). */
export function slideFiles(dir = BUILD_SLIDES): string[] {
  if (!existsSync(dir)) return [];
  const pick = (d: string): string[] =>
    existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.slides.html')).map((f) => join(d, f)) : [];
  return [...pick(dir), ...pick(join(dir, 'exercises'))].sort();
}

interface SlideMeasure {
  h: number;
  v: number;
  title: string;
  height: number;
  width: number;
  errors: number;
}

/**
 * Visits every slide of each file at `viewport` and returns the problems found.
 *
 * @param files - slide HTML files
 * @param viewport - window size; default 1280 × 720 (a projector)
 * @returns one entry per slide that overflows or shows an error output, and one per external request
 */
export async function checkSlides(
  files: readonly string[],
  viewport: { width: number; height: number } = { width: 1280, height: 720 },
): Promise<SlideProblem[]> {
  const exe = chromiumPath();
  if (!existsSync(exe)) throw new Error(`checkSlides: Chromium not found at ${exe} (set NSEG_CHROMIUM)`);
  const browser = await chromium.launch({
    executablePath: exe,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const problems: SlideProblem[] = [];
  try {
    for (const file of files) {
      const name = relative(BUILD_SLIDES, file);
      const page = await browser.newPage({ viewport });
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
        problems.push({ file: name, slide: '-', problem: `requests ${url} (slides must work offline)` });
        return route.abort();
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => document.querySelector('.reveal.ready') !== null, null, { timeout: 60_000 });
      const measures = await page.evaluate(async () => {
        // reveal.js is loaded through require.js: take the instance from its module registry
        const registry = (window as unknown as { require: { s: { contexts: { _: { defined: Record<string, unknown> } } } } })
          .require.s.contexts._.defined;
        const entry = Object.entries(registry).find(([k]) => k.endsWith('reveal.js/dist/reveal.js'));
        if (!entry) throw new Error('reveal.js is not loaded');
        const R = entry[1] as RevealApi;
        const { width, height } = R.getConfig();
        const out: SlideMeasure[] = [];
        for (const [h, stack] of Array.from(document.querySelectorAll('.reveal .slides > section')).entries()) {
          const inner = stack.querySelectorAll(':scope > section');
          const count = Math.max(1, inner.length);
          for (let v = 0; v < count; v++) {
            R.slide(h, v);
            await new Promise((r) => requestAnimationFrame(() => r(null)));
            const s = R.getCurrentSlide();
            // the natural size of the content, whatever scroll box nbconvert put around it
            s.style.height = 'auto';
            s.style.overflowY = 'visible';
            const heading = s.querySelector('h1, h2, h3');
            out.push({
              h, v,
              title: (heading?.textContent ?? s.textContent ?? '').trim().slice(0, 60),
              height: s.scrollHeight,
              width: s.scrollWidth,
              errors: s.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length,
            });
          }
        }
        return { width, height, slides: out };
        interface RevealApi {
          getConfig(): { width: number; height: number };
          slide(h: number, v: number): void;
          getCurrentSlide(): HTMLElement;
        }
      });
      for (const m of measures.slides) {
        const where = `#/${m.h}/${m.v}`;
        const label = `"${m.title}"`;
        if (m.height > measures.height) {
          problems.push({ file: name, slide: where, problem: `${label} is ${m.height} px tall; the slide is ${measures.height}` });
        }
        if (m.width > measures.width + 1) {
          problems.push({ file: name, slide: where, problem: `${label} is ${m.width} px wide; the slide is ${measures.width}` });
        }
        if (m.errors) problems.push({ file: name, slide: where, problem: `${label} shows ${m.errors} error/stderr output(s)` });
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const filters = process.argv.slice(2);
  const all = slideFiles();
  const files = filters.length ? all.filter((f) => filters.some((w) => f.includes(w))) : all;
  if (!files.length) {
    console.error('check-slides: no slides in build/slides; run npm start (or npm run slides) first');
    process.exit(2);
  }
  const problems = await checkSlides(files);
  for (const p of problems) console.log(`${p.file} ${p.slide}: ${p.problem}`);
  console.log(`check-slides: ${files.length} files, ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}
