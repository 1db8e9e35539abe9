/**
 * Figures: a grid of Axes laid out and rendered to one standalone SVG, with PNG export
 * (resvg), atomic saving, and inline display in tslab notebooks.
 *
 * Design:
 * - Sizes follow matplotlib: `figsize` in inches at 100 dpi, fonts in points.
 * - Layout is always "tight" (`tightLayout` in layout.ts): each panel's ticks, labels, title
 *   and colour bar are measured (DejaVu Sans widths, see text.ts) and the grid cells are
 *   sized so nothing overlaps; panels with equal aspect (images) shrink inside their cell.
 * - Display: a tslab cell whose last expression is a Figure shows it (through
 *   `util.inspect.custom`, which tslab's `console.log` of the value calls) and prints no
 *   text; `show()` displays explicitly. The output is one Jupyter display bundle holding
 *   image/svg+xml and, when it fits the size budget, an image/png fallback: JupyterLab
 *   and the classic Notebook drop SVG from untrusted notebooks (e.g. one executed
 *   headless and opened later) and fall back to the PNG; nbconvert's HTML and slides use
 *   the SVG. Outside a notebook nothing is written but a one-line note.
 * - resvg-js (a native module) is loaded lazily, so importing the library stays cheap.
 */
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { writeFileAtomic } from '../io/atomic.js';
import { tslabDisplay } from '../notebook/display.js';
import { Axes } from './axes.js';
import { tightLayout } from './layout.js';
import { renderLegend } from './legend.js';
import { STYLE } from './style.js';
import { FONT_FAMILY, PT, svgText } from './text.js';
import type { Box, ColorbarOptions, FigureLegendOptions, FigureOptions, LegendEntry, LegendLoc, Mappable } from './types.js';

const require = createRequire(import.meta.url);

/** Size budget (bytes) under which the SVG joins the PNG in the notebook display. */
const DISPLAY_BUDGET = 900_000;

let figureCounter = 0;

/** A figure: panels on a grid, rendered to SVG / PNG. */
export class Figure {
  /** Width and height in inches. */
  readonly figsize: [number, number];
  readonly dpi: number;
  /** Panels, row-major (like `axes.ravel()`). */
  readonly axes: Axes[] = [];
  private rows: number;
  private cols: number;
  private suptitleText = '';
  private figLegend?: FigureLegendOptions;
  private readonly uid: string;

  /**
   * @param rows grid rows
   * @param cols grid columns
   * @param opts figsize, dpi
   */
  constructor(rows = 1, cols = 1, opts: FigureOptions = {}) {
    const fs = opts.figsize ?? [6.4, 4.8];
    if (!(fs.length === 2 && fs[0] > 0 && fs[1] > 0)) throw new Error(`figure: figsize must be [width, height] in inches, got [${fs.join(', ')}]`);
    if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 1 && cols >= 1)) throw new Error(`subplots: rows and cols must be positive integers, got ${rows}, ${cols}`);
    this.figsize = [fs[0], fs[1]];
    this.dpi = opts.dpi ?? 100;
    this.rows = rows;
    this.cols = cols;
    this.uid = `f${(++figureCounter).toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  }

  /** Width × height in px at 100 dpi (the SVG's user units). */
  get size(): [number, number] {
    return [Math.round(this.figsize[0] * 100), Math.round(this.figsize[1] * 100)];
  }

  /**
   * Adds a panel (matplotlib's `add_subplot(rows, cols, index)`, index from 1).
   *
   * @example
   *   const fig = figure({ figsize: [5, 5] }); const ax = fig.addSubplot();
   */
  addSubplot(rows = 1, cols = 1, index = 1): Axes {
    if (this.axes.length === 0) {
      this.rows = rows;
      this.cols = cols;
    } else if (rows !== this.rows || cols !== this.cols) {
      throw new Error(`addSubplot: this figure uses a ${this.rows}×${this.cols} grid, got ${rows}×${cols}`);
    }
    if (!(index >= 1 && index <= rows * cols)) throw new Error(`addSubplot: index must be 1…${rows * cols}, got ${index}`);
    const ax = new Axes(Math.floor((index - 1) / cols), (index - 1) % cols);
    this.axes.push(ax);
    return ax;
  }

  /** The current (last added) panel, created if there is none (matplotlib's `gca`). */
  gca(): Axes {
    return this.axes[this.axes.length - 1] ?? this.addSubplot();
  }

  /** A title over all panels. */
  suptitle(text: string): void {
    this.suptitleText = String(text);
  }

  /**
   * A colour bar for a mappable beside a panel (default: the panel that drew it, else the last).
   *
   * @example
   *   const im = axes[2].imshow(labels, { cmap: buildCMap(colors) }); fig.colorbar(im, { ax: axes[2] });
   */
  colorbar(mappable: Mappable, opts: ColorbarOptions & { ax?: Axes } = {}): void {
    const ax = opts.ax ?? this.axes[this.axes.length - 1];
    if (!ax) throw new Error('colorbar: the figure has no axes');
    ax.colorbar(mappable, opts);
  }

  /**
   * A legend for the whole figure (matplotlib's `fig.legend`).
   *
   * @example
   *   fig.legend({ labels: ['Training', 'Validation'], ax: axes[9] });
   */
  legend(opts: FigureLegendOptions | readonly string[] = {}): void {
    this.figLegend = Array.isArray(opts) ? { labels: opts as readonly string[] } : (opts as FigureLegendOptions);
  }

  private figureLegendEntries(): LegendEntry[] {
    const o = this.figLegend!;
    if (o.labels) {
      for (const ax of this.axes) {
        const e = ax.legendEntries(o.labels);
        if (e.length) return e;
      }
      return [];
    }
    const seen = new Set<string>();
    const out: LegendEntry[] = [];
    for (const ax of this.axes) {
      for (const e of ax.legendEntries()) {
        if (seen.has(e.label)) continue;
        seen.add(e.label);
        out.push(e);
      }
    }
    return out;
  }

  /** Computes the panel boxes (tight layout) and the figure legend's box. */
  private layout(): { boxes: Box[]; legendBox?: Box } {
    const [width, height] = this.size;
    const lg = this.figLegend;
    return tightLayout(this.axes, {
      rows: this.rows,
      cols: this.cols,
      width,
      height,
      suptitle: Boolean(this.suptitleText),
      legend: lg && !lg.ax ? { entries: this.figureLegendEntries(), fontsize: lg.fontsize, title: lg.title, loc: lg.loc } : undefined,
      legendPanel: lg?.ax,
    });
  }

  /**
   * The figure as a standalone SVG document (images embedded as PNG at display size).
   *
   * @returns SVG text
   * @example
   *   writeFileSync('fig.svg', fig.toSVG());
   */
  toSVG(): string {
    const [W, H] = this.size;
    const { boxes, legendBox } = this.layout();
    const parts: string[] = [];
    parts.push(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT_FAMILY}">`,
      `<rect width="100%" height="100%" fill="#ffffff"/>`,
    );
    if (this.suptitleText) parts.push(svgText(W / 2, 1.08 * 10 * PT, this.suptitleText, { size: STYLE.titleFont * 1.2, anchor: 'middle', valign: 'top' }));
    const legendAx = this.figLegend?.ax;
    this.axes.forEach((ax, i) => {
      if (ax === legendAx && ax.isBlank()) return;
      parts.push(ax.render(boxes[i], `${this.uid}-${i}`));
    });
    if (this.figLegend && legendBox) {
      const entries = this.figureLegendEntries();
      if (entries.length) {
        const loc: LegendLoc = this.figLegend.ax ? ((this.figLegend.loc as LegendLoc | undefined) ?? 'center') : 'center';
        parts.push(renderLegend(entries, legendBox, { loc, fontsize: this.figLegend.fontsize, title: this.figLegend.title }));
      }
    } else if (this.figLegend) {
      const entries = this.figureLegendEntries();
      if (entries.length) {
        const loc = (this.figLegend.loc ?? 'upper right') as LegendLoc;
        parts.push(renderLegend(entries, { x: 0, y: 0, w: W, h: H }, { loc, fontsize: this.figLegend.fontsize, title: this.figLegend.title }));
      }
    }
    parts.push('</svg>');
    return parts.join('\n');
  }

  /**
   * The figure as PNG bytes, rendered from the SVG by resvg.
   *
   * @param opts dpi (default the figure's, 100)
   * @returns PNG file bytes
   * @example
   *   const png = fig.toPNG({ dpi: 150 });
   */
  toPNG(opts: { dpi?: number } = {}): Uint8Array {
    const svg = this.toSVG();
    return svgToPng(svg, (opts.dpi ?? this.dpi) / 100);
  }

  /**
   * Saves the figure; the format follows the extension (.svg or .png). The write is atomic.
   *
   * @param path target file
   * @param opts dpi for PNG
   * @returns the absolute path written
   * @example
   *   fig.savefig('build/figures/hitmap-knn.png');
   */
  savefig(path: string, opts: { dpi?: number } = {}): string {
    if (typeof path !== 'string' || !path) throw new Error('savefig: path must be a non-empty string');
    const ext = path.toLowerCase().split('.').pop();
    if (ext === 'svg') return writeFileAtomic(path, this.toSVG());
    if (ext === 'png') return writeFileAtomic(path, this.toPNG(opts));
    throw new Error(`savefig: ${path}: unsupported extension (use .svg or .png)`);
  }

  /**
   * Shows the figure inline in a tslab notebook (SVG, plus a PNG fallback when small
   * enough); outside a notebook prints a one-line note and writes nothing.
   *
   * Returns nothing, so a cell ending in `fig.show()` prints no value.
   * @example
   *   fig.show();
   */
  show(): void {
    if (tslabDisplay()) {
      displayFigure(this);
      return;
    }
    console.log(`${this.describe()} (not in a notebook: use savefig(path) to write it)`);
  }

  /** A short text description. */
  describe(): string {
    const [W, H] = this.size;
    return `<Figure size ${W}x${H} with ${this.axes.length} Axes>`;
  }

  /** tslab prints the last expression of a cell with console.log → this hook displays it. */
  [inspect.custom](): string {
    if (tslabDisplay()) {
      displayFigure(this);
      return '';
    }
    return this.describe();
  }
}

interface ResvgModule {
  Resvg: new (svg: string, opts: object) => { render(): { asPng(): Buffer } };
}

/** Renders SVG text to PNG bytes with resvg (scale 1 = the SVG's px size). */
export function svgToPng(svg: string, scale = 1): Uint8Array {
  let mod: ResvgModule;
  try {
    mod = require('@resvg/resvg-js') as ResvgModule;
  } catch (err) {
    throw new Error(`toPNG: @resvg/resvg-js is not available (${(err as Error).message}); save as .svg instead`);
  }
  const r = new mod.Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  const buf = r.render().asPng();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

interface JupyterBridge {
  lastWriteDisplayData: ((msg: { data: Record<string, string>; metadata: object; transient: object }, update: boolean) => void) | null;
}

/** The Jupyter display bundle of a figure: SVG, and PNG when the pair fits the budget. */
export function figureBundle(fig: Figure): Record<string, string> {
  const svg = fig.toSVG();
  const data: Record<string, string> = { 'text/plain': fig.describe() };
  // The PNG always goes in: it is what untrusted notebooks, nbconvert's slides (whose HTML
  // cleaner strips the images embedded in an SVG) and every viewer can show. The SVG, sharper
  // on screen, joins it while the pair stays within the budget.
  let png = '';
  try {
    const bytes = svgToPng(svg, 1);
    png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  } catch {
    /* no resvg: SVG only */
  }
  if (png) data['image/png'] = png;
  if (!png || svg.length + png.length < DISPLAY_BUDGET) data['image/svg+xml'] = svg;
  return data;
}

/** Sends a figure to the running tslab cell as one display bundle. */
function displayFigure(fig: Figure): void {
  const bundle = figureBundle(fig);
  try {
    const jupyter = require('tslab/dist/jupyter') as JupyterBridge;
    if (jupyter.lastWriteDisplayData) {
      jupyter.lastWriteDisplayData({ data: bundle, metadata: {}, transient: {} }, false);
      return;
    }
  } catch {
    /* fall through to the public API */
  }
  tslabDisplay()?.svg(bundle['image/svg+xml']);
}

/**
 * A figure with a grid of panels (matplotlib's `plt.subplots`).
 *
 * @param rows grid rows (default 1)
 * @param cols grid columns (default 1)
 * @param opts figsize [w, h] in inches, dpi
 * @returns [figure, axes] — axes is always a flat array, row-major (like `axes.ravel()`)
 * @example
 *   const [fig, axes] = subplots(1, 3, { figsize: [15, 5] });
 *   axes[0].imshow(img, { cmap: 'gray' }); axes[1].hist(img, { bins: 10 }); axes[2].plot(x, y);
 *   fig; // last expression of a tslab cell: shown inline
 */
export function subplots(rows = 1, cols = 1, opts: FigureOptions = {}): [Figure, Axes[]] {
  const fig = new Figure(rows, cols, opts);
  for (let i = 0; i < rows * cols; i++) fig.addSubplot(rows, cols, i + 1);
  return [fig, fig.axes];
}

/**
 * An empty figure (matplotlib's `plt.figure`); add panels with `addSubplot` or use `gca()`.
 *
 * @example
 *   const fig = figure({ figsize: [8, 4] }); fig.gca().plot([1, 2, 3]);
 */
export function figure(opts: FigureOptions = {}): Figure {
  return new Figure(1, 1, opts);
}
