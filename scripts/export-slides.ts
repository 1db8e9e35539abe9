/**
 * Exports executed notebooks (build/notebooks/*.ipynb) to reveal.js slides in
 * build/slides/NAME.slides.html that work offline: reveal.js, require.js, jQuery and
 * MathJax come from this project's node_modules (the npm registry), copied into
 * build/slides/assets/, instead of the CDNs nbconvert's template points at.
 *
 *   npm run slides            # every executed notebook
 *   npm run slides -- 01      # only those whose names contain 01
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUILD_NOTEBOOKS, BUILD_SLIDES, ROOT, findPython, jupyterEnv } from './jupyter.js';

const NM = join(ROOT, 'node_modules');

/** Copies the offline assets the slides load (only the MathJax parts the CommonHTML output uses). */
export function copySlideAssets(dest = join(BUILD_SLIDES, 'assets')): void {
  const copies: [string, string][] = [
    ['reveal.js/dist', 'reveal.js/dist'],
    ['reveal.js/plugin', 'reveal.js/plugin'],
    ['requirejs/require.js', 'require.js'],
    ['jquery/dist/jquery.min.js', 'jquery.min.js'],
    ['mathjax/MathJax.js', 'mathjax/MathJax.js'],
    ['mathjax/config', 'mathjax/config'],
    ['mathjax/extensions', 'mathjax/extensions'],
    ['mathjax/jax/input/TeX', 'mathjax/jax/input/TeX'],
    ['mathjax/jax/output/CommonHTML', 'mathjax/jax/output/CommonHTML'],
    ['mathjax/jax/element', 'mathjax/jax/element'],
    ['mathjax/localization/en', 'mathjax/localization/en'],
    ['mathjax/fonts/HTML-CSS/TeX/woff', 'mathjax/fonts/HTML-CSS/TeX/woff'],
  ];
  for (const [from, to] of copies) {
    const src = join(NM, from);
    if (!existsSync(src)) throw new Error(`slides: ${src} is missing; run npm ci`);
    cpSync(src, join(dest, to), { recursive: true });
  }
  // reveal.js' themes import web fonts from Google: drop those imports so the slides make no
  // network request at all (the themes fall back to local sans-serif fonts).
  const themes = join(dest, 'reveal.js', 'dist', 'theme');
  for (const f of readdirSync(themes).filter((n) => n.endsWith('.css'))) {
    const css = readFileSync(join(themes, f), 'utf8');
    const local = css.replace(/^@import url\(https?:[^)]*\);\s*$/gm, '');
    if (local !== css) writeFileSync(join(themes, f), local);
  }
}

/**
 * Added to every slide file: code longer than the slide is wide wraps instead of running off
 * its right edge (a slide has no horizontal scroll bar; a notebook cell does).
 */
export const SLIDE_CSS =
  '<style id="nseg-slides">.reveal .highlight pre { white-space: pre-wrap; overflow-wrap: anywhere; }\n' +
  // tables of results: a slide holds 15-20 rows at this size, still larger on a projector than in a notebook
  '.reveal .jp-OutputArea-output table { font-size: 0.7em; }\n' +
  '.reveal .jp-OutputArea-output td, .reveal .jp-OutputArea-output th { padding: 0.15em 0.5em; }\n' +
  // the prompt column (In [3]:) costs a sixth of the slide's width; code gets it on a slide
  '.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }</style>';

/**
 * The slide size reveal.js lays out at, then scales to the window: a projector's 1280 × 720
 * (reveal.js' default is 960 × 700, on which a 100-character code line wraps). Written into
 * nbconvert's `Reveal.initialize` call.
 */
export const SLIDE_SIZE = { width: 1280, height: 720 } as const;

/**
 * Added to every slide file after reveal.js starts: figures shrink so that a slide's content
 * fits the slide's height (as reveal.js' `r-stretch` does for a lone element), down to half
 * their size at most; text is never shrunk, so a slide with too much text still overflows and
 * `npm run check-slides` reports it. Runs when the deck is ready and on every slide change,
 * before nbconvert turns a too-tall slide into a scroll box (and undoes that box when the
 * slide fits after all).
 */
export function slideFitScript(prefix: string): string {
  return `<script id="nseg-fit">
require(["${prefix}assets/reveal.js/dist/reveal.js"], function (Reveal) {
  // a figure's cell also prints an empty line (tslab logs the cell's value): no blank box for it
  Array.prototype.forEach.call(document.querySelectorAll('.jp-OutputArea-output[data-mime-type="text/plain"]'), function (o) {
    if (!o.textContent.trim() && !o.querySelector('img, table')) o.closest('.jp-OutputArea-child').style.display = 'none';
  });
  function fit() {
    var s = Reveal.getCurrentSlide();
    if (!s) return;
    var H = Reveal.getConfig().height;
    var imgs = Array.prototype.slice.call(s.querySelectorAll('.jp-OutputArea-output img'));
    s.style.height = 'auto'; s.style.overflowY = 'visible';
    imgs.forEach(function (im) { im.style.height = ''; im.style.width = ''; });
    var excess = s.scrollHeight - H;
    var total = imgs.reduce(function (a, im) { return a + im.getBoundingClientRect().height / Reveal.getScale(); }, 0);
    if (excess > 0 && total > 0) {
      var k = Math.max(0.5, (total - excess) / total);
      imgs.forEach(function (im) {
        var h = im.getBoundingClientRect().height / Reveal.getScale();
        im.style.height = Math.floor(h * k) + 'px'; im.style.width = 'auto';
      });
    }
    if (s.scrollHeight <= H) { s.style.height = ''; s.style.overflowY = ''; s.style.marginTop = ''; }
  }
  Reveal.on('ready', fit);
  Reveal.on('slidechanged', fit);
  if (Reveal.isReady()) fit();
});
</script>`;
}

/** Executed notebooks in build/notebooks/, exercises as `exercises/NAME.ipynb`. */
function executedNotebooks(): string[] {
  const pick = (dir: string, prefix: string): string[] =>
    existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ipynb')).map((f) => prefix + f) : [];
  return [...pick(BUILD_NOTEBOOKS, ''), ...pick(join(BUILD_NOTEBOOKS, 'exercises'), 'exercises/')];
}

/** Exports the named executed notebooks; returns the written slide files. */
export function exportSlides(names?: readonly string[]): string[] {
  const python = findPython('nbconvert');
  const list = (names ?? executedNotebooks()).slice().sort();
  mkdirSync(BUILD_SLIDES, { recursive: true });
  copySlideAssets();
  const written: string[] = [];
  for (const name of list) {
    const src = join(BUILD_NOTEBOOKS, name);
    // Exercise notebooks live one folder down: their slides point one level up for the assets.
    const up = '../'.repeat(name.split('/').length - 1);
    const outDir = join(BUILD_SLIDES, dirname(name));
    if (!existsSync(src)) throw new Error(`slides: ${src} does not exist; execute the notebook first (npm run notebooks)`);
    const r = spawnSync(
      python,
      [
        '-m', 'nbconvert', '--to', 'slides', src, '--output-dir', outDir,
        `--SlidesExporter.reveal_url_prefix=${up}assets/reveal.js`,
        `--SlidesExporter.require_js_url=${up}assets/require.js`,
        `--SlidesExporter.jquery_url=${up}assets/jquery.min.js`,
        `--SlidesExporter.mathjax_url=${up}assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe`,
        // nbconvert passes SVG outputs through its HTML cleaner, which strips the embedded raster
        // images of our figures: prefer the PNG that every figure output also carries.
        '--NbConvertBase.display_data_priority=["text/html","application/pdf","text/latex","image/png","image/svg+xml","image/jpeg","text/markdown","text/plain"]',
        '--SlidesExporter.reveal_theme=simple',
        '--SlidesExporter.reveal_transition=none',
        '--SlidesExporter.reveal_scroll=True',
      ],
      { env: jupyterEnv(), encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`slides: nbconvert failed for ${name}:\n${r.stderr}`);
    const out = join(BUILD_SLIDES, name.replace(/\.ipynb$/, '.slides.html'));
    const html = readFileSync(out, 'utf8');
    let page = html.includes(SLIDE_CSS) ? html : html.replace('</head>', `${SLIDE_CSS}\n</head>`);
    page = page.replace(/Reveal\.initialize\(\{(?!\s*width)/, `Reveal.initialize({\n            width: ${SLIDE_SIZE.width}, height: ${SLIDE_SIZE.height},`);
    if (!page.includes('id="nseg-fit"')) page = page.replace(/<\/html>\s*$/, `${slideFitScript(up)}\n</html>\n`);
    if (page !== html) writeFileSync(out, page);
    written.push(out);
    console.log(`slides: ${out}`);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const filters = process.argv.slice(2);
  const all = executedNotebooks();
  exportSlides(filters.length ? all.filter((f) => filters.some((w) => f.includes(w))) : all);
}
