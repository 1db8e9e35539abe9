/**
 * Axes: one panel of a figure, with matplotlib's drawing calls (imshow, plot, scatter,
 * hist, hist2d, axvline, text, patches, legend, heat maps) and matplotlib's defaults
 * (tab10 colour cycle, 5 % data margins, sticky bar bases, inverted y for images,
 * equal aspect for images, ticks from the MaxNLocator rule).
 *
 * An Axes records artists; nothing is drawn until the figure lays out and renders
 * (`Figure.toSVG`), because tick density, image resampling and label placement depend
 * on the final pixel size of the panel.
 */
import { scaleLinear } from 'd3-scale';
import type { ArrayLike2D, NumericArray } from '../core/types.js';
import { Colormap, TAB10, getColormap, parseColor, toHex, type CmapSpec, type ColorSpec } from './colors.js';
import { colormappedPng, encodeRgbaPng, finiteRange, resample, type EmbeddedPng } from './raster.js';
import { PT, esc, f1, f2, formatNumber, svgText, textWidth } from './text.js';
import { formatTicks, maxNTicks } from './ticks.js';

/** matplotlib's sizes at 100 dpi, in px. */
export const STYLE = {
  font: 10 * PT,
  titleFont: 12 * PT,
  tickLen: 3.5 * PT,
  tickPad: 3.5 * PT,
  tickWidth: 0.8 * PT,
  spineWidth: 0.8 * PT,
  titlePad: 6 * PT,
  labelPad: 4 * PT,
  lineWidth: 1.5 * PT,
  markerSize: 6 * PT,
} as const;

/** A 1-D series: a plain array, a typed array, or a 1-D `{ data, shape }`. */
export type Series = ArrayLike<number> | ArrayLike2D;

/** Something a colour bar can describe: a colour map and its value range. */
export interface Mappable {
  readonly cmap: Colormap;
  readonly vmin: number;
  readonly vmax: number;
}

/** Options of a colour bar. */
export interface ColorbarOptions {
  /** Label along the bar. */
  label?: string;
  /** Tick positions (values); default: automatic. */
  ticks?: readonly number[];
  /** Tick labels, one per tick. */
  ticklabels?: readonly string[];
  /** Draw a thin frame around the bar (default true; seaborn heat maps: false). */
  outline?: boolean;
}

/** Options of {@link Axes.imshow}. */
export interface ImshowOptions {
  /** Colour map name or map (default 'viridis', as matplotlib). Ignored for RGB(A). */
  cmap?: CmapSpec;
  vmin?: number;
  vmax?: number;
  /** [left, right, bottom, top] in data units (default: pixel centres at integers). */
  extent?: readonly [number, number, number, number];
  /** 'upper' (row 0 at the top, default) or 'lower'. */
  origin?: 'upper' | 'lower';
  /** 'equal' (default) keeps square pixels; 'auto' fills the panel. */
  aspect?: 'equal' | 'auto' | number;
  /**
   * How a large image is shrunk to the panel: 'antialiased' (default; box average, or
   * the most frequent class for listed colour maps), 'nearest' (sampling) or 'max'
   * (block maximum: keeps sparse bright pixels such as detected spots visible).
   */
  interpolation?: 'antialiased' | 'nearest' | 'max';
  alpha?: number;
  /** Add a colour bar beside the panel (true or its options). */
  colorbar?: boolean | ColorbarOptions;
}

/** Options of {@link Axes.plot}. */
export interface PlotOptions {
  color?: ColorSpec;
  label?: string;
  linewidth?: number;
  linestyle?: '-' | '--' | ':' | '-.' | 'none' | '';
  marker?: MarkerName | '';
  markersize?: number;
  alpha?: number;
}

/** Marker shapes. */
export type MarkerName = 'o' | '.' | 's' | '+' | 'x' | '^' | 'v' | 'D' | '*';

/** Options of {@link Axes.scatter}. */
export interface ScatterOptions {
  /** One colour, one colour per point, or one value/label per point (mapped through cmap). */
  c?: ColorSpec | Series | readonly ColorSpec[];
  /** Alias of c for a single colour. */
  color?: ColorSpec;
  /** Marker area in points² (matplotlib's s; default 36), one or per point. */
  s?: number | Series;
  cmap?: CmapSpec;
  vmin?: number;
  vmax?: number;
  alpha?: number;
  marker?: MarkerName;
  label?: string;
}

/** Options of {@link Axes.hist}. */
export interface HistOptions {
  /** Number of equal bins (default 10) or the bin edges. */
  bins?: number | readonly number[];
  /** [lo, hi]; values outside are ignored (numpy.histogram semantics). */
  range?: readonly [number, number];
  /** Normalise to a probability density. */
  density?: boolean;
  color?: ColorSpec;
  alpha?: number;
  label?: string;
  histtype?: 'bar' | 'step';
  edgecolor?: ColorSpec;
  /** Log-scaled counts axis. */
  log?: boolean;
}

/** Result of {@link Axes.hist}: numpy.histogram's counts and edges. */
export interface HistResult {
  counts: number[];
  edges: number[];
  color: string;
}

/** Options of {@link Axes.hist2d}. */
export interface Hist2dOptions {
  bins?: number | readonly [number, number];
  range?: readonly [readonly [number, number], readonly [number, number]];
  cmap?: CmapSpec;
  vmin?: number;
  vmax?: number;
  colorbar?: boolean | ColorbarOptions;
}

/** Result of {@link Axes.hist2d}: numpy.histogram2d's counts (x bins × y bins, row-major) and edges. */
export interface Hist2dResult {
  counts: Float64Array;
  xedges: number[];
  yedges: number[];
  image: Mappable;
}

/** Options of a straight reference line. */
export interface RefLineOptions {
  color?: ColorSpec;
  linestyle?: '-' | '--' | ':' | '-.';
  linewidth?: number;
  label?: string;
  alpha?: number;
  /** Fractions of the axes (0 bottom/left … 1 top/right) the line spans. */
  ymin?: number;
  ymax?: number;
}

/** Options of a patch (ellipse, rectangle). */
export interface PatchOptions {
  edgecolor?: ColorSpec;
  facecolor?: ColorSpec;
  linewidth?: number;
  alpha?: number;
  label?: string;
  linestyle?: '-' | '--' | ':' | '-.';
}

/** Options of {@link Axes.text}. */
export interface TextOptions {
  color?: ColorSpec;
  fontsize?: number;
  ha?: 'left' | 'center' | 'right';
  va?: 'top' | 'center' | 'bottom' | 'baseline';
  /** 'data' (default) or 'axes' (0…1 fractions of the panel). */
  transform?: 'data' | 'axes';
  rotation?: number;
  weight?: 'normal' | 'bold';
}

/** Options of {@link Axes.heatmap}. */
export interface HeatmapOptions {
  /** Write each cell's value (default true). */
  annot?: boolean;
  /** Python-style number format for annotations (default '.2g', as seaborn). */
  fmt?: string;
  /** Colour map (default 'rocket', seaborn's). */
  cmap?: CmapSpec;
  vmin?: number;
  vmax?: number;
  xticklabels?: readonly string[];
  yticklabels?: readonly string[];
  /** Colour bar (default true). */
  cbar?: boolean;
  /** Annotation font size in points (default 10). */
  annotSize?: number;
}

/** Options of {@link Axes.legend}. */
export interface LegendOptions {
  /** 'best' (default), 'upper right', 'upper left', 'lower left', 'lower right', 'right', 'center left', 'center right', 'lower center', 'upper center', 'center'. */
  loc?: LegendLoc;
  /** Labels for the labelled-or-not artists in drawing order (matplotlib's `legend(['a', 'b'])`). */
  labels?: readonly string[];
  fontsize?: number;
  title?: string;
}

/** Legend positions. */
export type LegendLoc =
  | 'best'
  | 'upper right'
  | 'upper left'
  | 'lower left'
  | 'lower right'
  | 'right'
  | 'center left'
  | 'center right'
  | 'lower center'
  | 'upper center'
  | 'center';

/** One legend row: how to draw the handle, and the text. */
export interface LegendEntry {
  label: string;
  kind: 'line' | 'marker' | 'patch';
  color: string;
  linestyle?: string;
  marker?: MarkerName | '';
  alpha?: number;
  linewidth?: number;
}

type Dash = '-' | '--' | ':' | '-.' | 'none' | '';

interface ImageArtist {
  kind: 'image';
  data: NumericArray;
  rows: number;
  cols: number;
  channels: number;
  cmap: Colormap;
  vmin: number;
  vmax: number;
  extent: [number, number, number, number];
  origin: 'upper' | 'lower';
  interpolation: 'antialiased' | 'nearest' | 'max';
  alpha: number;
  rgbScale: number;
}
interface LineArtist {
  kind: 'line';
  xs: Float64Array;
  ys: Float64Array;
  color: string;
  width: number;
  dash: Dash;
  marker: MarkerName | '';
  markersize: number;
  alpha: number;
  label?: string;
}
interface ScatterArtist {
  kind: 'scatter';
  xs: Float64Array;
  ys: Float64Array;
  colors: string[] | string;
  sizes: Float64Array | number;
  alpha: number;
  marker: MarkerName;
  label?: string;
}
interface BarsArtist {
  kind: 'bars';
  lefts: number[];
  widths: number[];
  heights: number[];
  color: string;
  alpha: number;
  edgecolor?: string;
  step: boolean;
  label?: string;
}
interface RefLineArtist {
  kind: 'vline' | 'hline';
  v: number;
  color: string;
  width: number;
  dash: Dash;
  alpha: number;
  from: number;
  to: number;
  label?: string;
}
interface PatchArtist {
  kind: 'ellipse' | 'rect';
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
  edge: string;
  face: string;
  width: number;
  alpha: number;
  dash: Dash;
  label?: string;
}
interface TextArtist {
  kind: 'text';
  x: number;
  y: number;
  s: string;
  color: string;
  size: number;
  ha: 'left' | 'center' | 'right';
  va: 'top' | 'center' | 'bottom' | 'baseline';
  axesCoords: boolean;
  rotation: number;
  weight: 'normal' | 'bold';
}
type Artist = ImageArtist | LineArtist | ScatterArtist | BarsArtist | RefLineArtist | PatchArtist | TextArtist;

/** The pixel rectangle of a panel. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Space a panel needs around its box for ticks, labels, title and colour bar. */
export interface Decorations {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface TickSet {
  values: number[];
  labels: string[];
  /** Multiplier text shown at the axis end ('1e6'), as matplotlib's offset text. */
  offset?: string;
}

function isArrayLike2D(v: unknown): v is ArrayLike2D {
  return typeof v === 'object' && v !== null && 'data' in v && 'shape' in v;
}

function isSeries(v: unknown): v is Series {
  if (isArrayLike2D(v)) return true;
  return (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number')) || ArrayBuffer.isView(v);
}

/** Copies a series to Float64Array (a `{data, shape}` must be 1-D or have one column). */
function toF64(v: Series, what: string): Float64Array {
  if (isArrayLike2D(v)) {
    const nonUnit = v.shape.filter((s) => s !== 1).length;
    if (nonUnit > 1) throw new Error(`${what}: expected a 1-D series, got shape [${v.shape.join(', ')}]`);
    return Float64Array.from(v.data as ArrayLike<number>);
  }
  if (!(Array.isArray(v) || ArrayBuffer.isView(v))) throw new Error(`${what}: expected an array of numbers`);
  return Float64Array.from(v as ArrayLike<number>);
}

/** Splits y into series: a 2-D `{data, shape: [n, k]}` gives k columns (matplotlib's plot(Y)). */
function toSeriesList(v: Series, what: string): Float64Array[] {
  if (isArrayLike2D(v) && v.shape.length === 2 && v.shape[0] > 1 && v.shape[1] > 1) {
    const [n, k] = v.shape;
    const out: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = v.data[i * k + j];
      out.push(col);
    }
    return out;
  }
  return [toF64(v, what)];
}

const FMT_RE = /^(?<color>[bgrcmykw])?(?<marker>[.o,s^v+x*D])?(?<line>--|-\.|-|:)?(?<marker2>[.o,s^v+x*D])?$/;

function parseFmt(fmt: string): { color?: string; marker?: MarkerName; linestyle?: Dash } {
  const m = FMT_RE.exec(fmt) ?? /^(?<marker>[.o,s^v+x*D])?(?<line>--|-\.|-|:)?(?<color>[bgrcmykw])?$/.exec(fmt);
  if (!m || !m.groups) throw new Error(`plot: cannot read format string '${fmt}' (use e.g. 'r-', 'b--', 'go', 'k:')`);
  const g = m.groups;
  const marker = (g.marker ?? g.marker2) as MarkerName | ',' | undefined;
  return {
    color: g.color,
    marker: marker === ',' ? '.' : marker,
    linestyle: (g.line as Dash | undefined) ?? (marker ? 'none' : undefined),
  };
}

function dashArray(d: Dash, lw: number): string {
  switch (d) {
    case '--':
      return `${f2(3.7 * lw)} ${f2(1.6 * lw)}`;
    case ':':
      return `${f2(lw)} ${f2(1.65 * lw)}`;
    case '-.':
      return `${f2(6.4 * lw)} ${f2(1.6 * lw)} ${f2(lw)} ${f2(1.6 * lw)}`;
    default:
      return '';
  }
}

/** SVG path data of `n` markers of one shape centred at the given pixel points. */
function markerPath(marker: MarkerName, pts: readonly number[], r: number): { d: string; stroke: boolean } {
  let d = '';
  const R = f2(r);
  const D = f2(2 * r);
  for (let i = 0; i < pts.length; i += 2) {
    const x = pts[i];
    const y = pts[i + 1];
    switch (marker) {
      case 's':
        d += `M${f1(x - r)} ${f1(y - r)}h${D}v${D}h-${D}z`;
        break;
      case '^':
        d += `M${f1(x)} ${f1(y - r)}l${R} ${D}h-${D}z`;
        break;
      case 'v':
        d += `M${f1(x)} ${f1(y + r)}l${R} -${D}h-${D}z`;
        break;
      case 'D':
        d += `M${f1(x)} ${f1(y - r)}l${R} ${R}l-${R} ${R}l-${R} -${R}z`;
        break;
      case '+':
        d += `M${f1(x - r)} ${f1(y)}h${D}M${f1(x)} ${f1(y - r)}v${D}`;
        break;
      case 'x':
        d += `M${f1(x - r)} ${f1(y - r)}l${D} ${D}M${f1(x - r)} ${f1(y + r)}l${D} -${D}`;
        break;
      case '*': {
        for (let k = 0; k < 10; k++) {
          const a = -Math.PI / 2 + (k * Math.PI) / 5;
          const rr = k % 2 ? r * 0.4 : r;
          d += `${k ? 'L' : 'M'}${f1(x + rr * Math.cos(a))} ${f1(y + rr * Math.sin(a))}`;
        }
        d += 'z';
        break;
      }
      default:
        // a circle as two arcs
        d += `M${f1(x - r)} ${f1(y)}a${R} ${R} 0 1 0 ${D} 0a${R} ${R} 0 1 0 -${D} 0z`;
    }
  }
  return { d, stroke: marker === '+' || marker === 'x' };
}

/** Relative luminance (WCAG), as seaborn uses to pick dark or light annotation text. */
function luminance(hex: string): number {
  const [r, g, b] = parseColor(hex).map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * numpy.histogram: equal-width bins over [lo, hi] (data min/max by default; a degenerate
 * range widens to ±0.5), the last bin closed, values outside ignored; or explicit edges.
 */
export function histogramCounts(values: ArrayLike<number>, bins: number | readonly number[], range?: readonly [number, number]): { counts: number[]; edges: number[] } {
  let edges: number[];
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) throw new Error(`hist: bins must be a positive integer or an array of edges, got ${bins}`);
    let lo: number;
    let hi: number;
    if (range) [lo, hi] = range;
    else {
      lo = Infinity;
      hi = -Infinity;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo === Infinity) [lo, hi] = [0, 1];
    }
    if (!(hi >= lo)) throw new Error(`hist: range must be [lo, hi] with lo <= hi, got [${lo}, ${hi}]`);
    if (lo === hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    edges = [];
    for (let i = 0; i <= bins; i++) edges.push(lo + ((hi - lo) * i) / bins);
    edges[bins] = hi;
  } else {
    edges = [...bins];
    if (edges.length < 2 || edges.some((e, i) => i > 0 && e < edges[i - 1])) throw new Error('hist: bin edges must be ascending with at least two entries');
  }
  const nb = edges.length - 1;
  const counts = new Array<number>(nb).fill(0);
  const lo = edges[0];
  const hi = edges[nb];
  const uniform = typeof bins === 'number';
  const norm = nb / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    let k: number;
    if (uniform) {
      k = Math.floor((v - lo) * norm);
      if (k >= nb) k = nb - 1;
      if (k > 0 && v < edges[k]) k--;
      else if (k < nb - 1 && v >= edges[k + 1]) k++;
    } else {
      let a = 0;
      let b = nb;
      while (b - a > 1) {
        const m = (a + b) >> 1;
        if (v >= edges[m]) a = m;
        else b = m;
      }
      k = a;
    }
    counts[k]++;
  }
  return { counts, edges };
}

/**
 * One panel of a figure. Create with `subplots` or `figure().addSubplot()`; the method
 * names follow matplotlib in camelCase (`set_title` → `setTitle`).
 */
export class Axes {
  /** Grid position (row, column) in the figure. */
  readonly row: number;
  readonly col: number;
  private readonly artists: Artist[] = [];
  private lineCycle = 0;
  private patchCycle = 0;
  private title = '';
  private titleSize: number = STYLE.titleFont;
  private xlabel = '';
  private ylabel = '';
  private xlimUser?: [number, number];
  private ylimUser?: [number, number];
  private aspect: 'auto' | 'equal' | number = 'auto';
  private axisOn = true;
  private spines = true;
  private xticksUser?: { values: number[]; labels?: string[]; rotation?: number };
  private yticksUser?: { values: number[]; labels?: string[]; rotation?: number };
  private xTop = false;
  private yInvertUser = false;
  private legendOpts?: LegendOptions;
  private grid = false;
  /** The colour bar attached to this panel, if any. */
  colorbarSpec?: { mappable: Mappable; opts: ColorbarOptions };
  // layout results
  private view = { x0: 0, x1: 1, y0: 0, y1: 1 };
  private xt: TickSet = { values: [], labels: [] };
  private yt: TickSet = { values: [], labels: [] };
  private cbt: TickSet = { values: [], labels: [] };

  /** @param row grid row  @param col grid column */
  constructor(row = 0, col = 0) {
    this.row = row;
    this.col = col;
  }

  private nextLineColor(): string {
    return TAB10[this.lineCycle++ % TAB10.length];
  }

  private nextPatchColor(): string {
    return TAB10[this.patchCycle++ % TAB10.length];
  }

  /**
   * Shows an image: a 2-D array through a colour map, or an RGB(A) stack `[rows, cols, 3|4]`
   * (uint8 0…255 or floats 0…1).
   *
   * @param image `{ data, shape }` (an NDArray, a typed matrix)
   * @param opts cmap, vmin, vmax, extent, origin, aspect, interpolation, alpha, colorbar
   * @returns the mappable (pass to `fig.colorbar`)
   * @example
   *   axes[0].imshow(img, { cmap: 'gray', vmin: 0, vmax: 4000 });
   */
  imshow(image: ArrayLike2D, opts: ImshowOptions = {}): Mappable {
    if (!isArrayLike2D(image)) throw new Error('imshow: image must have .data and .shape');
    const shape = image.shape;
    let rows: number;
    let cols: number;
    let channels = 1;
    if (shape.length === 2) [rows, cols] = shape;
    else if (shape.length === 3 && (shape[2] === 3 || shape[2] === 4)) [rows, cols, channels] = shape;
    else if (shape.length === 3 && shape[2] === 1) [rows, cols] = shape;
    else throw new Error(`imshow: image must be [rows, cols] or [rows, cols, 3|4], got shape [${shape.join(', ')}]`);
    if (rows < 1 || cols < 1) throw new Error(`imshow: empty image of shape [${shape.join(', ')}]`);
    if (image.data.length !== rows * cols * channels) throw new Error(`imshow: data length ${image.data.length} does not match shape [${shape.join(', ')}]`);
    const cmap = getColormap(opts.cmap ?? 'viridis');
    let vmin = opts.vmin;
    let vmax = opts.vmax;
    if (channels === 1 && (vmin === undefined || vmax === undefined)) {
      const [lo, hi] = finiteRange(image.data);
      vmin ??= lo;
      vmax ??= hi;
    }
    const origin = opts.origin ?? 'upper';
    const extent: [number, number, number, number] = opts.extent
      ? [...opts.extent]
      : origin === 'upper'
        ? [-0.5, cols - 0.5, rows - 0.5, -0.5]
        : [-0.5, cols - 0.5, -0.5, rows - 0.5];
    const isUint8 = image.data instanceof Uint8Array || image.data instanceof Uint8ClampedArray;
    const art: ImageArtist = {
      kind: 'image',
      data: image.data,
      rows,
      cols,
      channels,
      cmap,
      vmin: vmin ?? 0,
      vmax: vmax ?? 1,
      extent,
      origin,
      interpolation: opts.interpolation ?? 'antialiased',
      alpha: opts.alpha ?? 1,
      rgbScale: isUint8 ? 1 : 255,
    };
    this.artists.push(art);
    if (opts.aspect !== undefined) this.aspect = opts.aspect;
    else if (!this.artists.some((a) => a.kind !== 'image')) this.aspect = 'equal';
    if (opts.colorbar) this.colorbar(art, opts.colorbar === true ? {} : opts.colorbar);
    return art;
  }

  /**
   * Shows a matrix like matplotlib's `matshow`: nearest-neighbour cells, integer ticks,
   * x ticks on top.
   *
   * @param matrix `{ data, shape: [rows, cols] }`
   * @param opts as imshow
   * @returns the mappable
   * @example
   *   ax.matshow(confusion, { cmap: 'Blues' });
   */
  matshow(matrix: ArrayLike2D, opts: ImshowOptions = {}): Mappable {
    const m = this.imshow(matrix, { interpolation: 'nearest', ...opts });
    this.xTop = true;
    return m;
  }

  /**
   * A seaborn-style heat map: one cell per matrix entry with its value written in it
   * (dark text on light cells, white on dark), labels at the cell centres, a colour bar.
   *
   * @param matrix `{ data, shape: [rows, cols] }` or nested arrays (e.g. `confusionMatrix` output)
   * @param opts annot, fmt, cmap (default 'rocket'), vmin, vmax, xticklabels, yticklabels, cbar
   * @returns the mappable
   * @example
   *   ax.heatmap(confusionMatrix(gt, pred, { normalize: 'all' }), {
   *     annot: true, xticklabels: ['Negative', 'Positive'], yticklabels: ['Negative', 'Positive'] });
   */
  heatmap(matrix: ArrayLike2D | readonly (readonly number[])[], opts: HeatmapOptions = {}): Mappable {
    let data: Float64Array;
    let rows: number;
    let cols: number;
    if (isArrayLike2D(matrix)) {
      if (matrix.shape.length !== 2) throw new Error(`heatmap: matrix must be 2-D, got shape [${matrix.shape.join(', ')}]`);
      [rows, cols] = matrix.shape;
      data = Float64Array.from(matrix.data as ArrayLike<number>);
    } else {
      rows = matrix.length;
      cols = rows ? matrix[0].length : 0;
      if (!rows || !cols || matrix.some((r) => r.length !== cols)) throw new Error('heatmap: matrix must be a non-empty rectangular array of rows');
      data = Float64Array.from(matrix.flat());
    }
    const m = this.imshow({ data, shape: [rows, cols] }, {
      cmap: opts.cmap ?? 'rocket',
      vmin: opts.vmin,
      vmax: opts.vmax,
      extent: [0, cols, rows, 0],
      aspect: 'auto',
      interpolation: 'nearest',
    });
    this.spines = false;
    const xl = opts.xticklabels ?? Array.from({ length: cols }, (_, i) => String(i));
    const yl = opts.yticklabels ?? Array.from({ length: rows }, (_, i) => String(i));
    this.setXticks(xl.map((_, i) => i + 0.5), xl);
    this.setYticks(yl.map((_, i) => i + 0.5), yl);
    this.yticksUser = { ...this.yticksUser!, rotation: 90 };
    if (opts.annot ?? true) {
      const size = (opts.annotSize ?? 10) * PT;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const v = data[r * cols + c];
          const t = m.vmax > m.vmin ? (v - m.vmin) / (m.vmax - m.vmin) : 0;
          const cell = m.cmap.hex(t);
          this.artists.push({
            kind: 'text', x: c + 0.5, y: r + 0.5, s: formatNumber(v, opts.fmt ?? '.2g'),
            color: luminance(cell) > 0.408 ? '#262626' : '#ffffff', size, ha: 'center', va: 'center',
            axesCoords: false, rotation: 0, weight: 'normal',
          });
        }
      }
    }
    if (opts.cbar ?? true) this.colorbar(m, { outline: false });
    return m;
  }

  /**
   * Draws lines. Forms: `plot(y)`, `plot(x, y)`, `plot(x, y, 'r--')`, `plot(x, y, { color, label })`;
   * a 2-D y `[n, k]` draws its k columns (matplotlib's `plot(Y)`).
   *
   * @returns the colours of the lines drawn (e.g. for `buildCMap`)
   * @example
   *   const colors = ax.plot(wavelength, spectra);   // k spectra, tab10 colours
   */
  plot(x: Series, y?: Series | string | PlotOptions, fmt?: string | PlotOptions, opts?: PlotOptions): string[] {
    let xs: Float64Array | undefined;
    let ys: Float64Array[];
    let o: PlotOptions = {};
    let f: string | undefined;
    if (y !== undefined && isSeries(y)) {
      xs = toF64(x, 'plot x');
      ys = toSeriesList(y, 'plot y');
      if (typeof fmt === 'string') f = fmt;
      else if (fmt) o = fmt;
      if (opts) o = opts;
    } else {
      ys = toSeriesList(x, 'plot y');
      if (typeof y === 'string') {
        f = y;
        if (fmt && typeof fmt !== 'string') o = fmt;
      } else if (y) o = y as PlotOptions;
    }
    const parsed = f ? parseFmt(f) : {};
    const colors: string[] = [];
    for (const yv of ys) {
      const xv = xs ?? Float64Array.from({ length: yv.length }, (_, i) => i);
      if (xv.length !== yv.length) throw new Error(`plot: x and y must have the same length, got ${xv.length} and ${yv.length}`);
      const color = toHex(o.color ?? parsed.color ?? this.nextLineColor());
      colors.push(color);
      const marker = (o.marker ?? parsed.marker ?? '') as MarkerName | '';
      this.artists.push({
        kind: 'line', xs: xv, ys: yv, color,
        width: (o.linewidth ?? 1.5) * PT,
        dash: o.linestyle ?? parsed.linestyle ?? '-',
        marker,
        markersize: (o.markersize ?? (marker === '.' ? 3 : 6)) * PT,
        alpha: o.alpha ?? 1,
        label: ys.length === 1 ? o.label : o.label ? `${o.label}` : undefined,
      });
    }
    return colors;
  }

  /**
   * Scatter plot; points coloured by one colour, per-point colours, or values/labels
   * through a colour map (default viridis).
   *
   * @param x x values
   * @param y y values
   * @param opts c, s (points², default 36), cmap, vmin, vmax, alpha, marker, label
   * @returns the mappable when colours come from values, else null
   * @example
   *   ax.scatter(X.col(0), X.col(1), { c: labels, cmap: 'viridis', s: 20 });
   */
  scatter(x: Series, y: Series, opts: ScatterOptions = {}): Mappable | null {
    const xs = toF64(x, 'scatter x');
    const ys = toF64(y, 'scatter y');
    if (xs.length !== ys.length) throw new Error(`scatter: x and y must have the same length, got ${xs.length} and ${ys.length}`);
    const n = xs.length;
    let colors: string[] | string;
    let mappable: Mappable | null = null;
    const c = opts.c ?? opts.color;
    if (c === undefined) colors = this.nextPatchColor();
    else if (typeof c === 'string' || (Array.isArray(c) && c.length >= 3 && c.length <= 4 && n !== c.length && typeof c[0] === 'number')) colors = toHex(c as ColorSpec);
    else if (Array.isArray(c) && typeof c[0] === 'string') {
      if (c.length !== n) throw new Error(`scatter: ${c.length} colours for ${n} points`);
      colors = (c as string[]).map((cc) => toHex(cc));
    } else {
      const vals = toF64(c as Series, 'scatter c');
      if (vals.length !== n) throw new Error(`scatter: c has ${vals.length} values for ${n} points`);
      const cmap = getColormap(opts.cmap ?? 'viridis');
      const [lo, hi] = finiteRange(vals);
      const vmin = opts.vmin ?? lo;
      const vmax = opts.vmax ?? hi;
      const span = vmax - vmin;
      const lut: string[] = [];
      for (let i = 0; i < cmap.n; i++) lut.push(cmap.hex((i + 0.5) / cmap.n));
      colors = Array.from(vals, (v) => lut[Math.max(0, cmap.index(span > 0 ? (v - vmin) / span : 0))]);
      mappable = { cmap, vmin, vmax };
    }
    const s = opts.s ?? 36;
    this.artists.push({
      kind: 'scatter', xs, ys, colors,
      sizes: typeof s === 'number' ? s : toF64(s, 'scatter s'),
      alpha: opts.alpha ?? 1,
      marker: opts.marker ?? 'o',
      label: opts.label,
    });
    return mappable;
  }

  /**
   * Histogram with numpy.histogram semantics (equal bins over the data range, last bin
   * closed), drawn as bars.
   *
   * @param values the samples (any array, typed array, or `{ data }` of any shape: flattened)
   * @param opts bins (default 10), range, density, color, alpha, label, histtype, log
   * @returns counts and edges (like `np.histogram`) and the bar colour
   * @example
   *   const { counts, edges } = axes[1].hist(img, { bins: 10 });
   */
  hist(values: Series, opts: HistOptions = {}): HistResult {
    const data = isArrayLike2D(values) ? values.data : values;
    const { counts, edges } = histogramCounts(data as ArrayLike<number>, opts.bins ?? 10, opts.range);
    let heights = counts.slice();
    if (opts.density) {
      const total = counts.reduce((a, b) => a + b, 0);
      heights = counts.map((c, i) => (total ? c / total / (edges[i + 1] - edges[i]) : 0));
    }
    const color = toHex(opts.color ?? this.nextPatchColor());
    this.artists.push({
      kind: 'bars',
      lefts: edges.slice(0, -1),
      widths: edges.slice(1).map((e, i) => e - edges[i]),
      heights,
      color,
      alpha: opts.alpha ?? 1,
      edgecolor: opts.edgecolor !== undefined ? toHex(opts.edgecolor) : undefined,
      step: opts.histtype === 'step',
      label: opts.label,
    });
    return { counts: heights, edges, color };
  }

  /**
   * Bar chart.
   *
   * @param x bar centres
   * @param heights bar heights
   * @param opts width (default 0.8), color, alpha, label
   * @example
   *   ax.bar([0, 1, 2], [3, 5, 2]);
   */
  bar(x: Series, heights: Series, opts: { width?: number; color?: ColorSpec; alpha?: number; label?: string } = {}): void {
    const xs = toF64(x, 'bar x');
    const hs = toF64(heights, 'bar heights');
    if (xs.length !== hs.length) throw new Error(`bar: ${xs.length} positions for ${hs.length} heights`);
    const w = opts.width ?? 0.8;
    this.artists.push({
      kind: 'bars', lefts: Array.from(xs, (v) => v - w / 2), widths: Array.from(xs, () => w), heights: Array.from(hs),
      color: toHex(opts.color ?? this.nextPatchColor()), alpha: opts.alpha ?? 1, step: false, label: opts.label,
    });
  }

  /**
   * 2-D histogram (numpy.histogram2d) drawn as an image with y up, like matplotlib's hist2d.
   *
   * @param x x samples
   * @param y y samples
   * @param opts bins (default 10, or [nx, ny]), range [[xlo, xhi], [ylo, yhi]], cmap, vmin, vmax, colorbar
   * @returns counts (nx × ny, row-major, as numpy) with the edges and the image mappable
   * @example
   *   ax.hist2d(f.data, d.data, { bins: 100 });
   */
  hist2d(x: Series, y: Series, opts: Hist2dOptions = {}): Hist2dResult {
    const xs = isArrayLike2D(x) ? x.data : x;
    const ys = isArrayLike2D(y) ? y.data : y;
    if (xs.length !== ys.length) throw new Error(`hist2d: x and y must have the same length, got ${xs.length} and ${ys.length}`);
    const [nx, ny] = typeof opts.bins === 'number' || opts.bins === undefined ? [opts.bins ?? 10, opts.bins ?? 10] : opts.bins;
    const ex = histogramCounts([], nx, opts.range?.[0] ?? finiteRange(Float64Array.from(xs as ArrayLike<number>))).edges;
    const ey = histogramCounts([], ny, opts.range?.[1] ?? finiteRange(Float64Array.from(ys as ArrayLike<number>))).edges;
    const counts = new Float64Array(nx * ny);
    const sx = nx / (ex[nx] - ex[0]);
    const sy = ny / (ey[ny] - ey[0]);
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i];
      const b = ys[i];
      if (!(a >= ex[0] && a <= ex[nx] && b >= ey[0] && b <= ey[ny])) continue;
      let ix = Math.floor((a - ex[0]) * sx);
      let iy = Math.floor((b - ey[0]) * sy);
      if (ix >= nx) ix = nx - 1;
      if (iy >= ny) iy = ny - 1;
      if (ix > 0 && a < ex[ix]) ix--;
      else if (ix < nx - 1 && a >= ex[ix + 1]) ix++;
      if (iy > 0 && b < ey[iy]) iy--;
      else if (iy < ny - 1 && b >= ey[iy + 1]) iy++;
      counts[ix * ny + iy]++;
    }
    // image rows = y bins (bottom up), columns = x bins
    const img = new Float64Array(nx * ny);
    for (let ix = 0; ix < nx; ix++) for (let iy = 0; iy < ny; iy++) img[iy * nx + ix] = counts[ix * ny + iy];
    const image = this.imshow({ data: img, shape: [ny, nx] }, {
      cmap: opts.cmap, vmin: opts.vmin, vmax: opts.vmax, origin: 'lower',
      extent: [ex[0], ex[nx], ey[0], ey[ny]], aspect: 'auto', interpolation: 'nearest', colorbar: opts.colorbar,
    });
    return { counts, xedges: ex, yedges: ey, image };
  }

  /**
   * A vertical line across the panel at x (matplotlib's axvline).
   *
   * @example
   *   ax.axvline(0.4, { color: 'r', label: 'threshold' });
   */
  axvline(x: number, opts: RefLineOptions = {}): void {
    this.refLine('vline', x, opts);
  }

  /** A horizontal line across the panel at y (matplotlib's axhline). */
  axhline(y: number, opts: RefLineOptions = {}): void {
    this.refLine('hline', y, opts);
  }

  private refLine(kind: 'vline' | 'hline', v: number, opts: RefLineOptions): void {
    if (!Number.isFinite(v)) throw new Error(`ax${kind}: position must be a finite number, got ${v}`);
    this.artists.push({
      kind, v, color: toHex(opts.color ?? this.nextLineColor()), width: (opts.linewidth ?? 1.5) * PT,
      dash: opts.linestyle ?? '-', alpha: opts.alpha ?? 1, from: opts.ymin ?? 0, to: opts.ymax ?? 1, label: opts.label,
    });
  }

  /**
   * An ellipse patch in data coordinates (matplotlib's `patches.Ellipse` + `add_patch`).
   *
   * @param xy centre [x, y]
   * @param width full width in data units
   * @param height full height in data units
   * @param opts edgecolor, facecolor (default 'none'), linewidth, alpha, angle (degrees), label
   * @example
   *   ax.addEllipse([470, 0.3], 60, 0.25, { edgecolor: 'red', linewidth: 2 });
   */
  addEllipse(xy: readonly [number, number], width: number, height: number, opts: PatchOptions & { angle?: number } = {}): void {
    this.patch('ellipse', xy, width, height, opts);
  }

  /**
   * A rectangle patch; xy is the corner with the smallest data coordinates.
   *
   * @example
   *   ax.addRectangle([600, 600], 256, 256, { edgecolor: 'red' });
   */
  addRectangle(xy: readonly [number, number], width: number, height: number, opts: PatchOptions = {}): void {
    this.patch('rect', [xy[0] + width / 2, xy[1] + height / 2], width, height, opts);
  }

  private patch(kind: 'ellipse' | 'rect', xy: readonly [number, number], w: number, h: number, opts: PatchOptions & { angle?: number }): void {
    if (![xy[0], xy[1], w, h].every(Number.isFinite)) throw new Error(`add${kind === 'rect' ? 'Rectangle' : 'Ellipse'}: xy, width and height must be finite numbers`);
    this.artists.push({
      kind, cx: xy[0], cy: xy[1], w, h, angle: opts.angle ?? 0,
      edge: opts.edgecolor === undefined ? '#000000' : toHex(opts.edgecolor),
      face: opts.facecolor === undefined || opts.facecolor === 'none' ? 'none' : toHex(opts.facecolor),
      width: (opts.linewidth ?? 1) * PT, alpha: opts.alpha ?? 1, dash: opts.linestyle ?? '-', label: opts.label,
    });
  }

  /**
   * Text at a data position (or axes fraction with `transform: 'axes'`).
   *
   * @example
   *   ax.text(10, 20, 'spot', { color: 'white', ha: 'center' });
   */
  text(x: number, y: number, s: string, opts: TextOptions = {}): void {
    this.artists.push({
      kind: 'text', x, y, s: String(s), color: toHex(opts.color ?? 'black'), size: (opts.fontsize ?? 10) * PT,
      ha: opts.ha ?? 'left', va: opts.va ?? 'baseline', axesCoords: opts.transform === 'axes',
      rotation: opts.rotation ?? 0, weight: opts.weight ?? 'normal',
    });
  }

  /** Sets the panel title (fontsize in points, default 12). */
  setTitle(title: string, opts: { fontsize?: number } = {}): void {
    this.title = String(title);
    this.titleSize = (opts.fontsize ?? 12) * PT;
  }

  /** Sets the x-axis label (`$…$` mathtext subset allowed). */
  setXlabel(label: string): void {
    this.xlabel = String(label);
  }

  /** Sets the y-axis label. */
  setYlabel(label: string): void {
    this.ylabel = String(label);
  }

  /** Fixes the x range [left, right] (right < left flips the axis). */
  setXlim(left: number, right: number): void {
    this.xlimUser = [left, right];
  }

  /** Fixes the y range [bottom, top] (top < bottom flips the axis, as images do). */
  setYlim(bottom: number, top: number): void {
    this.ylimUser = [bottom, top];
  }

  /** Sets tick positions and optional labels on x. */
  setXticks(values: readonly number[], labels?: readonly string[]): void {
    if (labels && labels.length !== values.length) throw new Error(`setXticks: ${labels.length} labels for ${values.length} ticks`);
    this.xticksUser = { values: [...values], labels: labels ? [...labels] : undefined };
  }

  /** Sets tick positions and optional labels on y. */
  setYticks(values: readonly number[], labels?: readonly string[]): void {
    if (labels && labels.length !== values.length) throw new Error(`setYticks: ${labels.length} labels for ${values.length} ticks`);
    this.yticksUser = { values: [...values], labels: labels ? [...labels] : undefined };
  }

  /** Flips the y axis. */
  invertYaxis(): void {
    this.yInvertUser = !this.yInvertUser;
  }

  /**
   * 'equal' keeps one data unit the same length on both axes (the panel shrinks to fit),
   * 'auto' fills the panel, a number sets the y/x unit ratio.
   */
  setAspect(aspect: 'equal' | 'auto' | number): void {
    if (!(aspect === 'equal' || aspect === 'auto' || (typeof aspect === 'number' && aspect > 0))) throw new Error(`setAspect: expected 'equal', 'auto' or a positive number, got ${String(aspect)}`);
    this.aspect = aspect;
  }

  /**
   * matplotlib's `axis(...)`: 'off' hides spines, ticks and axis labels (the title stays),
   * 'on' shows them, 'equal' / 'square' set equal aspect.
   */
  axis(mode: 'off' | 'on' | 'equal' | 'square' | 'auto'): void {
    if (mode === 'off') this.axisOn = false;
    else if (mode === 'on') this.axisOn = true;
    else if (mode === 'equal' || mode === 'square') this.aspect = 'equal';
    else if (mode === 'auto') this.aspect = 'auto';
    else throw new Error(`axis: unknown mode '${String(mode)}'`);
  }

  /** Light grid lines at the ticks. */
  setGrid(on = true): void {
    this.grid = on;
  }

  /**
   * Legend of the labelled artists (or of all artists with `labels`).
   *
   * @example
   *   ax.legend();                                   // labels given to plot/hist/axvline
   *   ax.legend({ labels: ['Sample', 'Background'], loc: 'center left' });
   */
  legend(opts: LegendOptions | readonly string[] = {}): void {
    this.legendOpts = Array.isArray(opts) ? { labels: opts as readonly string[] } : (opts as LegendOptions);
  }

  /**
   * Adds a colour bar for a mappable (an image, a coloured scatter) beside this panel.
   *
   * @example
   *   const im = ax.imshow(labels, { cmap }); ax.colorbar(im, { label: 'cluster' });
   */
  colorbar(mappable?: Mappable, opts: ColorbarOptions = {}): void {
    const m = mappable ?? [...this.artists].reverse().find((a): a is ImageArtist => a.kind === 'image');
    if (!m) throw new Error('colorbar: no image on this axes; pass the mappable returned by imshow/scatter');
    if (opts.ticklabels && (!opts.ticks || opts.ticks.length !== opts.ticklabels.length)) throw new Error('colorbar: ticklabels need ticks of the same length');
    this.colorbarSpec = { mappable: m, opts };
  }

  /** Legend rows of this panel's artists (labelled ones, or all when labels are given). */
  legendEntries(labels?: readonly string[]): LegendEntry[] {
    const out: LegendEntry[] = [];
    let k = 0;
    for (const a of this.artists) {
      if (a.kind === 'image' || a.kind === 'text') continue;
      const label = labels ? labels[k++] : a.label;
      if (label === undefined || label === '' || label.startsWith('_')) continue;
      if (a.kind === 'line') out.push({ label, kind: a.dash === 'none' || a.dash === '' ? 'marker' : 'line', color: a.color, linestyle: a.dash, marker: a.marker, alpha: a.alpha, linewidth: a.width });
      else if (a.kind === 'scatter') out.push({ label, kind: 'marker', color: typeof a.colors === 'string' ? a.colors : a.colors[0] ?? '#000000', marker: a.marker, alpha: a.alpha });
      else if (a.kind === 'bars') out.push({ label, kind: 'patch', color: a.color, alpha: a.alpha });
      else if (a.kind === 'vline' || a.kind === 'hline') out.push({ label, kind: 'line', color: a.color, linestyle: a.dash, alpha: a.alpha, linewidth: a.width });
      else if (a.kind === 'ellipse' || a.kind === 'rect') out.push({ label, kind: 'patch', color: a.face === 'none' ? a.edge : a.face, alpha: a.alpha });
    }
    return out;
  }

  /** True when nothing has been drawn and the panel is switched off (an empty grid cell). */
  isBlank(): boolean {
    return !this.axisOn && this.artists.length === 0 && !this.title;
  }

  // ---------------------------------------------------------------- layout

  private dataLimits(): { x0: number; x1: number; y0: number; y1: number } {
    let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
    let img: ImageArtist | undefined;
    let barsBase = false;
    const upd = (x: number, y: number): void => {
      if (Number.isFinite(x)) {
        if (x < xmin) xmin = x;
        if (x > xmax) xmax = x;
      }
      if (Number.isFinite(y)) {
        if (y < ymin) ymin = y;
        if (y > ymax) ymax = y;
      }
    };
    for (const a of this.artists) {
      switch (a.kind) {
        case 'image':
          img ??= a;
          break;
        case 'line':
        case 'scatter':
          for (let i = 0; i < a.xs.length; i++) upd(a.xs[i], a.ys[i]);
          break;
        case 'bars':
          barsBase = true;
          a.lefts.forEach((l, i) => {
            upd(l, 0);
            upd(l + a.widths[i], a.heights[i]);
          });
          break;
        case 'vline':
          upd(a.v, NaN);
          break;
        case 'hline':
          upd(NaN, a.v);
          break;
        case 'ellipse':
        case 'rect':
          upd(a.cx - a.w / 2, a.cy - a.h / 2);
          upd(a.cx + a.w / 2, a.cy + a.h / 2);
          break;
        default:
          break;
      }
    }
    if (img) {
      let [x0, x1, y0, y1] = img.extent;
      for (const a of this.artists) {
        if (a.kind !== 'image') continue;
        x0 = Math.min(x0, Math.min(a.extent[0], a.extent[1]));
        x1 = Math.max(x1, Math.max(a.extent[0], a.extent[1]));
      }
      // images fix the view; other artists only widen it (sticky edges)
      const flipY = y0 > y1;
      const lo = Math.min(y0, y1);
      const hi = Math.max(y0, y1);
      const ylo = Math.min(lo, ymin);
      const yhi = Math.max(hi, ymax);
      x0 = Math.min(x0, xmin);
      x1 = Math.max(x1, xmax);
      return { x0, x1, y0: flipY ? yhi : ylo, y1: flipY ? ylo : yhi };
    }
    if (xmin === Infinity) [xmin, xmax] = [0, 1];
    if (ymin === Infinity) [ymin, ymax] = [0, 1];
    const pad = (lo: number, hi: number): [number, number] => {
      if (lo === hi) {
        const d = lo === 0 ? 0.055 : Math.abs(lo) * 0.055;
        return [lo - d, hi + d];
      }
      const m = (hi - lo) * 0.05;
      return [lo - m, hi + m];
    };
    const [x0, x1] = pad(xmin, xmax);
    let [y0, y1] = pad(ymin, ymax);
    if (barsBase) {
      if (ymin >= 0) y0 = 0;
      if (ymax <= 0) y1 = 0;
    }
    return { x0, x1, y0, y1 };
  }

  /** Works out view limits and ticks for a panel of w × h px; returns the space it needs around. */
  prepare(w: number, h: number): Decorations {
    const lim = this.dataLimits();
    const x = this.xlimUser ?? [lim.x0, lim.x1];
    let y = this.ylimUser ?? [lim.y0, lim.y1];
    if (this.yInvertUser) y = [y[1], y[0]];
    this.view = { x0: x[0], x1: x[1], y0: y[0], y1: y[1] };
    const font = STYLE.font;
    const nbx = Math.max(1, Math.min(9, Math.floor((w * 0.72) / 30)));
    const nby = Math.max(1, Math.min(9, Math.floor((h * 0.72) / 20)));
    this.xt = this.ticksFor(this.xticksUser, x[0], x[1], nbx);
    // fewer x ticks when their labels would touch (matplotlib lets them overlap)
    for (let nb = nbx - 1; nb >= 1 && !this.xticksUser && this.xLabelsCrowded(w); nb--) this.xt = this.ticksFor(undefined, x[0], x[1], nb);
    this.yt = this.ticksFor(this.yticksUser, y[0], y[1], nby);
    const d: Decorations = { left: 0, right: 0, top: 0, bottom: 0 };
    if (this.axisOn) {
      const tk = STYLE.tickLen + STYLE.tickPad;
      const yRot = this.yticksUser?.rotation === 90;
      const ytw = yRot ? font * 1.2 : Math.max(0, ...this.yt.labels.map((l) => textWidth(l, font)));
      d.left = tk + ytw + (this.ylabel ? STYLE.labelPad + font * 1.25 : 0);
      const xth = this.xt.labels.length ? font * 1.25 : 0;
      if (this.xTop) d.top += tk + xth;
      else d.bottom = tk + xth + (this.xlabel ? STYLE.labelPad + font * 1.25 : 0);
      if (this.xTop && this.xlabel) d.bottom = STYLE.labelPad + font * 1.25;
      // labels of the first/last x tick may stick out sideways; the top y label half a line up
      if (this.xt.labels.length) {
        const last = this.xt.labels[this.xt.labels.length - 1];
        d.right = Math.max(d.right, textWidth(last, font) / 2 - 2);
      }
      d.top = Math.max(d.top, this.yt.offset ? font * 1.3 : font * 0.6);
    }
    if (this.title) d.top += this.titleSize * 1.2 + STYLE.titlePad + (this.yt.offset ? font * 1.1 : 0);
    if (this.colorbarSpec) d.right = Math.max(d.right, this.colorbarWidth(h));
    return d;
  }

  private xLabelsCrowded(w: number): boolean {
    const n = this.xt.labels.length;
    if (n < 2) return false;
    const widest = Math.max(...this.xt.labels.map((l) => textWidth(l, STYLE.font)));
    const span = Math.abs(this.view.x1 - this.view.x0);
    const gap = (Math.abs(this.xt.values[1] - this.xt.values[0]) / span) * w;
    return widest + 0.6 * STYLE.font > gap;
  }

  private ticksFor(user: { values: number[]; labels?: string[] } | undefined, a: number, b: number, nb: number): TickSet {
    if (user) return { values: user.values, labels: user.labels ?? formatTicks(user.values) };
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const values = maxNTicks(lo, hi, nb).filter((v) => v >= lo - 1e-9 * (hi - lo) && v <= hi + 1e-9 * (hi - lo));
    const maxAbs = Math.max(0, ...values.map(Math.abs));
    // matplotlib's ScalarFormatter: from 1e6 on, labels are scaled and an offset text (1e6) is shown
    if (maxAbs >= 1e6 && maxAbs < 1e15) {
      const k = Math.floor(Math.log10(maxAbs));
      return { values, labels: formatTicks(values.map((v) => v / 10 ** k)), offset: `1e${k}` };
    }
    return { values, labels: formatTicks(values) };
  }

  private colorbarGeometry(h: number): { pad: number; width: number } {
    return { pad: Math.max(8, Math.min(20, h * 0.05)), width: Math.max(10, Math.min(22, h / 20)) };
  }

  private colorbarWidth(h: number): number {
    const spec = this.colorbarSpec!;
    const { pad, width } = this.colorbarGeometry(h);
    const m = spec.mappable;
    const nb = Math.max(1, Math.min(9, Math.floor((h * 0.72) / 20)));
    this.cbt = spec.opts.ticks
      ? { values: [...spec.opts.ticks], labels: spec.opts.ticklabels ? [...spec.opts.ticklabels] : formatTicks(spec.opts.ticks) }
      : this.ticksFor(undefined, m.vmin, m.vmax, nb);
    const lw = Math.max(0, ...this.cbt.labels.map((l) => textWidth(l, STYLE.font)));
    return pad + width + STYLE.tickLen + STYLE.tickPad + lw + (spec.opts.label ? STYLE.labelPad + STYLE.font * 1.25 : 0) + 4;
  }

  /** The panel box after applying the aspect ratio inside the cell box (centred, like matplotlib's anchor 'C'). */
  fitBox(cell: Box): Box {
    if (this.aspect === 'auto') return cell;
    const ratio = (this.aspect === 'equal' ? 1 : this.aspect) * Math.abs((this.view.y1 - this.view.y0) / (this.view.x1 - this.view.x0));
    if (!Number.isFinite(ratio) || ratio <= 0) return cell;
    let w = cell.w;
    let h = w * ratio;
    if (h > cell.h) {
      h = cell.h;
      w = h / ratio;
    }
    return { x: cell.x + (cell.w - w) / 2, y: cell.y + (cell.h - h) / 2, w, h };
  }

  // ---------------------------------------------------------------- rendering

  /**
   * SVG of the panel in `box` (after {@link prepare}). `uid` makes clip-path ids unique
   * within a page that shows several figures.
   */
  render(box: Box, uid: string): string {
    const { x, y, w, h } = box;
    const sx = scaleLinear().domain([this.view.x0, this.view.x1]).range([x, x + w]);
    const sy = scaleLinear().domain([this.view.y0, this.view.y1]).range([y + h, y]);
    const parts: string[] = [];
    const clip = `${uid}-c`;
    parts.push(`<clipPath id="${clip}"><rect x="${f2(x)}" y="${f2(y)}" width="${f2(w)}" height="${f2(h)}"/></clipPath>`);
    if (this.grid && this.axisOn) {
      let g = '';
      for (const v of this.xt.values) g += `M${f2(sx(v))} ${f2(y)}v${f2(h)}`;
      for (const v of this.yt.values) g += `M${f2(x)} ${f2(sy(v))}h${f2(w)}`;
      parts.push(`<path d="${g}" stroke="#b0b0b0" stroke-width="${f2(0.8 * PT)}" fill="none"/>`);
    }
    const body: string[] = [];
    for (const a of this.artists) {
      const s = this.renderArtist(a, sx, sy, box);
      if (s) body.push(s);
    }
    parts.push(`<g clip-path="url(#${clip})">${body.filter((s) => !s.startsWith('<text')).join('')}</g>`);
    parts.push(body.filter((s) => s.startsWith('<text')).join(''));
    if (this.axisOn) parts.push(this.renderAxes(box, sx, sy));
    if (this.title) {
      const ty = y - STYLE.titlePad - (this.xTop && this.axisOn ? STYLE.tickLen + STYLE.tickPad + STYLE.font * 1.25 : 0) - (this.yt.offset && this.axisOn ? STYLE.font * 1.1 : 0);
      parts.push(svgText(x + w / 2, ty, this.title, { size: this.titleSize, anchor: 'middle', valign: 'bottom' }));
    }
    if (this.legendOpts) {
      const entries = this.legendEntries(this.legendOpts.labels);
      if (entries.length) parts.push(renderLegend(entries, box, this.legendOpts, this.legendAvoid(sx, sy)));
    }
    if (this.colorbarSpec) parts.push(this.renderColorbar(box, uid));
    return `<g class="axes">${parts.join('')}</g>`;
  }

  private legendAvoid(sx: (v: number) => number, sy: (v: number) => number): number[] {
    const pts: number[] = [];
    for (const a of this.artists) {
      if (a.kind !== 'line' && a.kind !== 'scatter') continue;
      const step = Math.max(1, Math.floor(a.xs.length / 1000));
      for (let i = 0; i < a.xs.length; i += step) pts.push(sx(a.xs[i]), sy(a.ys[i]));
    }
    return pts;
  }

  private renderArtist(a: Artist, sx: (v: number) => number, sy: (v: number) => number, box: Box): string {
    const op = (alpha: number): string => (alpha < 1 ? ` opacity="${f2(alpha)}"` : '');
    switch (a.kind) {
      case 'image':
        return this.renderImage(a, sx, sy, box);
      case 'line': {
        let out = '';
        if (a.dash !== 'none' && a.dash !== '') {
          let d = '';
          let pen = false;
          let lastX = NaN;
          let lastY = NaN;
          for (let i = 0; i < a.xs.length; i++) {
            const px = sx(a.xs[i]);
            const py = sy(a.ys[i]);
            if (!Number.isFinite(px) || !Number.isFinite(py)) {
              pen = false;
              continue;
            }
            const X = f1(px);
            const Y = f1(py);
            if (pen && Math.abs(px - lastX) < 0.25 && Math.abs(py - lastY) < 0.25 && i < a.xs.length - 1) continue;
            d += `${pen ? 'L' : 'M'}${X} ${Y}`;
            pen = true;
            lastX = px;
            lastY = py;
          }
          const da = dashArray(a.dash, a.width);
          out += `<path d="${d}" fill="none" stroke="${a.color}" stroke-width="${f2(a.width)}" stroke-linejoin="round" stroke-linecap="${a.dash === '-' ? 'square' : 'butt'}"${da ? ` stroke-dasharray="${da}"` : ''}${op(a.alpha)}/>`;
        }
        if (a.marker) {
          const pts: number[] = [];
          for (let i = 0; i < a.xs.length; i++) pts.push(sx(a.xs[i]), sy(a.ys[i]));
          const { d, stroke } = markerPath(a.marker, pts, a.markersize / 2);
          out += stroke
            ? `<path d="${d}" fill="none" stroke="${a.color}" stroke-width="${f2(PT)}"${op(a.alpha)}/>`
            : `<path d="${d}" fill="${a.color}"${op(a.alpha)}/>`;
        }
        return out;
      }
      case 'scatter': {
        const groups = new Map<string, number[]>();
        const uniform = typeof a.sizes === 'number';
        const n = a.xs.length;
        const r0 = uniform ? (Math.sqrt(a.sizes as number) / 2) * PT : 0;
        let out = '';
        if (uniform) {
          for (let i = 0; i < n; i++) {
            const c = typeof a.colors === 'string' ? a.colors : a.colors[i];
            let g = groups.get(c);
            if (!g) groups.set(c, (g = []));
            g.push(sx(a.xs[i]), sy(a.ys[i]));
          }
          for (const [c, pts] of groups) {
            const { d, stroke } = markerPath(a.marker, pts, r0);
            out += stroke ? `<path d="${d}" fill="none" stroke="${c}" stroke-width="${f2(PT)}"${op(a.alpha)}/>` : `<path d="${d}" fill="${c}"${op(a.alpha)}/>`;
          }
        } else {
          const sz = a.sizes as Float64Array;
          for (let i = 0; i < n; i++) {
            const c = typeof a.colors === 'string' ? a.colors : a.colors[i];
            const { d, stroke } = markerPath(a.marker, [sx(a.xs[i]), sy(a.ys[i])], (Math.sqrt(sz[i % sz.length]) / 2) * PT);
            out += stroke ? `<path d="${d}" fill="none" stroke="${c}"${op(a.alpha)}/>` : `<path d="${d}" fill="${c}"${op(a.alpha)}/>`;
          }
        }
        return out;
      }
      case 'bars': {
        if (a.step) {
          let d = `M${f1(sx(a.lefts[0]))} ${f1(sy(0))}`;
          a.lefts.forEach((l, i) => {
            d += `L${f1(sx(l))} ${f1(sy(a.heights[i]))}L${f1(sx(l + a.widths[i]))} ${f1(sy(a.heights[i]))}`;
          });
          d += `L${f1(sx(a.lefts[a.lefts.length - 1] + a.widths[a.widths.length - 1]))} ${f1(sy(0))}`;
          return `<path d="${d}" fill="none" stroke="${a.color}" stroke-width="${f2(STYLE.lineWidth)}"${op(a.alpha)}/>`;
        }
        let d = '';
        a.lefts.forEach((l, i) => {
          const x0 = sx(l);
          const x1 = sx(l + a.widths[i]);
          const y0 = sy(0);
          const y1 = sy(a.heights[i]);
          d += `M${f2(Math.min(x0, x1))} ${f2(Math.min(y0, y1))}h${f2(Math.abs(x1 - x0))}v${f2(Math.abs(y1 - y0))}h${f2(-Math.abs(x1 - x0))}z`;
        });
        return `<path class="bars" d="${d}" fill="${a.color}"${a.edgecolor ? ` stroke="${a.edgecolor}" stroke-width="${f2(PT)}"` : ''}${op(a.alpha)}/>`;
      }
      case 'vline':
      case 'hline': {
        const da = dashArray(a.dash, a.width);
        const common = `stroke="${a.color}" stroke-width="${f2(a.width)}"${da ? ` stroke-dasharray="${da}"` : ''}${op(a.alpha)}`;
        if (a.kind === 'vline') {
          const px = sx(a.v);
          return `<path d="M${f2(px)} ${f2(box.y + box.h * (1 - a.from))}V${f2(box.y + box.h * (1 - a.to))}" ${common}/>`;
        }
        const py = sy(a.v);
        return `<path d="M${f2(box.x + box.w * a.from)} ${f2(py)}H${f2(box.x + box.w * a.to)}" ${common}/>`;
      }
      case 'ellipse':
      case 'rect': {
        const cx = sx(a.cx);
        const cy = sy(a.cy);
        const rw = Math.abs(sx(a.cx + a.w / 2) - cx);
        const rh = Math.abs(sy(a.cy + a.h / 2) - cy);
        const da = dashArray(a.dash, a.width);
        const style = `fill="${a.face}" stroke="${a.edge}" stroke-width="${f2(a.width)}"${da ? ` stroke-dasharray="${da}"` : ''}${op(a.alpha)}${a.angle ? ` transform="rotate(${f2(-a.angle)} ${f2(cx)} ${f2(cy)})"` : ''}`;
        return a.kind === 'ellipse'
          ? `<ellipse cx="${f2(cx)}" cy="${f2(cy)}" rx="${f2(rw)}" ry="${f2(rh)}" ${style}/>`
          : `<rect x="${f2(cx - rw)}" y="${f2(cy - rh)}" width="${f2(2 * rw)}" height="${f2(2 * rh)}" ${style}/>`;
      }
      case 'text': {
        const px = a.axesCoords ? box.x + a.x * box.w : sx(a.x);
        const py = a.axesCoords ? box.y + (1 - a.y) * box.h : sy(a.y);
        return svgText(px, py, a.s, {
          size: a.size, color: a.color, weight: a.weight, rotate: a.rotation ? -a.rotation : undefined,
          anchor: a.ha === 'center' ? 'middle' : a.ha === 'right' ? 'end' : 'start',
          valign: a.va === 'center' ? 'middle' : a.va,
        });
      }
    }
  }

  private renderImage(a: ImageArtist, sx: (v: number) => number, sy: (v: number) => number, box: Box): string {
    // pixel edges of the whole image
    const [e0, e1, e2, e3] = a.extent;
    // row 0 sits at the 'top' extent value for origin upper, at 'bottom' for lower
    const yRow0 = a.origin === 'upper' ? e3 : e2;
    const yRowN = a.origin === 'upper' ? e2 : e3;
    const px0 = sx(e0);
    const px1 = sx(e1);
    const py0 = sy(yRow0);
    const py1 = sy(yRowN);
    // visible window in source pixel units
    const colAt = (px: number): number => ((px - px0) / (px1 - px0)) * a.cols;
    const rowAt = (py: number): number => ((py - py0) / (py1 - py0)) * a.rows;
    const cA = colAt(box.x);
    const cB = colAt(box.x + box.w);
    const rA = rowAt(box.y);
    const rB = rowAt(box.y + box.h);
    const c0 = Math.max(0, Math.floor(Math.min(cA, cB)));
    const c1 = Math.min(a.cols, Math.ceil(Math.max(cA, cB)));
    const r0 = Math.max(0, Math.floor(Math.min(rA, rB)));
    const r1 = Math.min(a.rows, Math.ceil(Math.max(rA, rB)));
    if (c1 <= c0 || r1 <= r0) return '';
    // pixel rectangle of that window
    const wx0 = px0 + ((px1 - px0) * c0) / a.cols;
    const wx1 = px0 + ((px1 - px0) * c1) / a.cols;
    const wy0 = py0 + ((py1 - py0) * r0) / a.rows;
    const wy1 = py0 + ((py1 - py0) * r1) / a.rows;
    const flipX = wx0 > wx1;
    const flipY = wy0 > wy1;
    const sw = c1 - c0;
    const sh = r1 - r0;
    const dw = Math.max(1, Math.round(Math.abs(wx1 - wx0)));
    const dh = Math.max(1, Math.round(Math.abs(wy1 - wy0)));
    // Shrink to the displayed size; enlarge small images by a whole factor with
    // nearest-neighbour (sharp blocks in every renderer, whatever its smoothing).
    const outW = sw >= dw ? dw : sw * Math.ceil(dw / sw);
    const outH = sh >= dh ? dh : sh * Math.ceil(dh / sh);
    const emb = this.rasterise(a, r0, r1, c0, c1, outH, outW, flipX, flipY);
    const b64 = Buffer.from(emb.png.buffer, emb.png.byteOffset, emb.png.byteLength).toString('base64');
    const pix = outW > dw || outH > dh;
    return `<image x="${f2(Math.min(wx0, wx1))}" y="${f2(Math.min(wy0, wy1))}" width="${f2(Math.abs(wx1 - wx0))}" height="${f2(Math.abs(wy1 - wy0))}" preserveAspectRatio="none"${pix ? ' image-rendering="optimizeSpeed" style="image-rendering:pixelated"' : ''}${a.alpha < 1 ? ` opacity="${f2(a.alpha)}"` : ''} xlink:href="data:image/png;base64,${b64}"/>`;
  }

  private rasterise(a: ImageArtist, r0: number, r1: number, c0: number, c1: number, outH: number, outW: number, flipX: boolean, flipY: boolean): EmbeddedPng {
    const sw = c1 - c0;
    const sh = r1 - r0;
    // a compact copy of the visible window (all channels)
    let win: NumericArray = a.data;
    if (r0 !== 0 || c0 !== 0 || sw !== a.cols || sh !== a.rows) {
      const W = new Float32Array(sw * sh * a.channels);
      for (let r = 0; r < sh; r++) {
        const src = ((r0 + r) * a.cols + c0) * a.channels;
        for (let k = 0; k < sw * a.channels; k++) W[r * sw * a.channels + k] = a.data[src + k];
      }
      win = W;
    }
    const discrete = a.channels === 1 && (a.cmap.listed || a.interpolation !== 'antialiased');
    const flip = (v: Float32Array): Float32Array => {
      if (!flipX && !flipY) return v;
      const o = new Float32Array(v.length);
      for (let i = 0; i < outH; i++) {
        const si = flipY ? outH - 1 - i : i;
        for (let j = 0; j < outW; j++) o[i * outW + j] = v[si * outW + (flipX ? outW - 1 - j : j)];
      }
      return o;
    };
    if (a.channels === 1) {
      let vals: Float32Array;
      if (outH > sh || outW > sw) vals = resample(win, sh, sw, outH, outW, 'nearest');
      else if (a.interpolation === 'max') vals = resample(win, sh, sw, outH, outW, 'max');
      else if (a.interpolation === 'antialiased' && a.cmap.listed) vals = modeResample(win, sh, sw, outH, outW, a);
      else vals = resample(win, sh, sw, outH, outW, discrete ? 'nearest' : 'area');
      return colormappedPng(flip(vals), outW, outH, a.cmap, a.vmin, a.vmax);
    }
    const rgba = new Uint8Array(outW * outH * 4);
    for (let ch = 0; ch < 4; ch++) {
      if (ch === 3 && a.channels === 3) {
        for (let i = 0; i < outW * outH; i++) rgba[4 * i + 3] = 255;
        continue;
      }
      const v = flip(resample(win, sh, sw, outH, outW, a.interpolation === 'nearest' || outH > sh || outW > sw ? 'nearest' : 'area', a.channels, ch));
      for (let i = 0; i < v.length; i++) rgba[4 * i + ch] = Math.max(0, Math.min(255, Math.round(v[i] * a.rgbScale)));
    }
    return { png: encodeRgbaPng(outW, outH, rgba), width: outW, height: outH };
  }

  private renderAxes(box: Box, sx: (v: number) => number, sy: (v: number) => number): string {
    const { x, y, w, h } = box;
    const font = STYLE.font;
    const out: string[] = [];
    if (this.spines) out.push(`<rect x="${f2(x)}" y="${f2(y)}" width="${f2(w)}" height="${f2(h)}" fill="none" stroke="#000" stroke-width="${f2(STYLE.spineWidth)}" stroke-linejoin="miter"/>`);
    let ticks = '';
    const labels: string[] = [];
    const tl = STYLE.tickLen;
    const inX = (px: number): boolean => px >= x - 0.5 && px <= x + w + 0.5;
    const inY = (py: number): boolean => py >= y - 0.5 && py <= y + h + 0.5;
    this.xt.values.forEach((v, i) => {
      const px = sx(v);
      if (!inX(px)) return;
      if (this.xTop) {
        ticks += `M${f2(px)} ${f2(y)}v${f2(-tl)}`;
        labels.push(svgText(px, y - tl - STYLE.tickPad, this.xt.labels[i], { size: font, anchor: 'middle', valign: 'bottom' }));
      } else {
        ticks += `M${f2(px)} ${f2(y + h)}v${f2(tl)}`;
        labels.push(svgText(px, y + h + tl + STYLE.tickPad, this.xt.labels[i], { size: font, anchor: 'middle', valign: 'top' }));
      }
    });
    const yRot = this.yticksUser?.rotation === 90;
    this.yt.values.forEach((v, i) => {
      const py = sy(v);
      if (!inY(py)) return;
      ticks += `M${f2(x)} ${f2(py)}h${f2(-tl)}`;
      labels.push(
        yRot
          ? svgText(x - tl - STYLE.tickPad - font * 0.25, py, this.yt.labels[i], { size: font, anchor: 'middle', rotate: -90 })
          : svgText(x - tl - STYLE.tickPad, py, this.yt.labels[i], { size: font, anchor: 'end', valign: 'middle' }),
      );
    });
    out.push(`<path class="ticks" d="${ticks}" stroke="#000" stroke-width="${f2(STYLE.tickWidth)}"/>`);
    out.push(`<g class="ticklabels">${labels.join('')}</g>`);
    if (this.yt.offset) out.push(svgText(x, y - 2, this.yt.offset, { size: font, valign: 'bottom' }));
    if (this.xt.offset) out.push(svgText(x + w, y + h + tl + STYLE.tickPad + font * 1.3, this.xt.offset, { size: font, anchor: 'end', valign: 'top' }));
    if (this.xlabel) {
      const ly = this.xTop ? y + h + STYLE.labelPad : y + h + tl + STYLE.tickPad + font * 1.25 + STYLE.labelPad;
      out.push(svgText(x + w / 2, ly, this.xlabel, { size: font, anchor: 'middle', valign: 'top' }));
    }
    if (this.ylabel) {
      const ytw = yRot ? font * 1.2 : Math.max(0, ...this.yt.labels.map((l) => textWidth(l, font)));
      const lx = x - tl - STYLE.tickPad - ytw - STYLE.labelPad - font * 0.25;
      out.push(svgText(lx, y + h / 2, this.ylabel, { size: font, anchor: 'middle', rotate: -90 }));
    }
    return out.join('');
  }

  private renderColorbar(box: Box, uid: string): string {
    const spec = this.colorbarSpec!;
    const m = spec.mappable;
    const { pad, width } = this.colorbarGeometry(box.h);
    const x = box.x + box.w + pad;
    const y = box.y;
    const h = box.h;
    const out: string[] = [];
    const cm = m.cmap;
    const span = m.vmax - m.vmin;
    const vy = (v: number): number => y + h - (span > 0 ? ((v - m.vmin) / span) * h : 0);
    if (cm.listed || cm.n <= 32) {
      for (let i = 0; i < cm.n; i++) {
        const y0 = y + h - ((i + 1) / cm.n) * h;
        out.push(`<rect x="${f2(x)}" y="${f2(y0)}" width="${f2(width)}" height="${f2(h / cm.n + 0.3)}" fill="${cm.hex((i + 0.5) / cm.n)}"/>`);
      }
    } else {
      const gid = `${uid}-g`;
      let stops = '';
      const N = 32;
      for (let i = 0; i <= N; i++) stops += `<stop offset="${f2(i / N)}" stop-color="${cm.hex(Math.min(i / N, 0.9999))}"/>`;
      out.push(`<linearGradient id="${gid}" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient>`);
      out.push(`<rect class="colorbar" x="${f2(x)}" y="${f2(y)}" width="${f2(width)}" height="${f2(h)}" fill="url(#${gid})"/>`);
    }
    if (spec.opts.outline ?? true) out.push(`<rect x="${f2(x)}" y="${f2(y)}" width="${f2(width)}" height="${f2(h)}" fill="none" stroke="#000" stroke-width="${f2(STYLE.spineWidth)}"/>`);
    let ticks = '';
    const labels: string[] = [];
    let maxw = 0;
    this.cbt.values.forEach((v, i) => {
      const py = vy(v);
      if (py < y - 0.5 || py > y + h + 0.5) return;
      ticks += `M${f2(x + width)} ${f2(py)}h${f2(STYLE.tickLen)}`;
      labels.push(svgText(x + width + STYLE.tickLen + STYLE.tickPad, py, this.cbt.labels[i], { size: STYLE.font, valign: 'middle' }));
      maxw = Math.max(maxw, textWidth(this.cbt.labels[i], STYLE.font));
    });
    out.push(`<path d="${ticks}" stroke="#000" stroke-width="${f2(STYLE.tickWidth)}"/>`);
    out.push(labels.join(''));
    if (spec.opts.label) {
      const lx = x + width + STYLE.tickLen + STYLE.tickPad + maxw + STYLE.labelPad + STYLE.font * 0.9;
      out.push(svgText(lx, y + h / 2, spec.opts.label, { size: STYLE.font, anchor: 'middle', rotate: -90 }));
    }
    return `<g class="colorbar">${out.join('')}</g>`;
  }
}

/**
 * Shrinks discrete data (class labels, hit codes) by blocks, keeping each block's most
 * frequent class: an average of two labels would show a third class's colour.
 */
function modeResample(win: NumericArray, rows: number, cols: number, outH: number, outW: number, a: ImageArtist): Float32Array {
  const cm = a.cmap;
  const span = a.vmax - a.vmin;
  const idxOf = (v: number): number => (v !== v ? -1 : cm.index(span > 0 ? (v - a.vmin) / span : 0));
  const rep = new Float64Array(cm.n).fill(NaN); // a data value for each class, to map back
  const out = new Float32Array(outH * outW);
  const counts = new Int32Array(cm.n);
  const rb = Array.from({ length: outH + 1 }, (_, i) => Math.round((i * rows) / outH));
  const cb = Array.from({ length: outW + 1 }, (_, j) => Math.round((j * cols) / outW));
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      counts.fill(0);
      for (let r = rb[i]; r < Math.max(rb[i] + 1, rb[i + 1]); r++) {
        for (let c = cb[j]; c < Math.max(cb[j] + 1, cb[j + 1]); c++) {
          const v = win[r * cols + c];
          const k = idxOf(v);
          if (k >= 0) {
            counts[k]++;
            rep[k] = v;
          }
        }
      }
      let best = -1;
      for (let k = 0; k < cm.n; k++) if (counts[k] > 0 && (best < 0 || counts[k] > counts[best])) best = k;
      out[i * outW + j] = best < 0 ? NaN : rep[best];
    }
  }
  return out;
}

/** Size of a legend box for the entries. */
export function legendSize(entries: readonly LegendEntry[], fontsize?: number, title?: string): { w: number; h: number } {
  const fs = (fontsize ?? 10) * PT;
  const lw = Math.max(0, ...entries.map((e) => textWidth(e.label, fs)), title ? textWidth(title, fs) - 2.8 * fs : 0);
  return { w: 0.4 * fs + 2 * fs + 0.8 * fs + lw + 0.4 * fs + 2, h: 0.4 * fs + (entries.length + (title ? 1 : 0)) * fs * 1.3 + 0.3 * fs };
}

/** SVG of a legend inside `box` at `loc` ('best' picks the corner covering fewest of `avoid`'s points). */
export function renderLegend(entries: readonly LegendEntry[], box: Box, opts: LegendOptions, avoid: readonly number[] = []): string {
  const fs = (opts.fontsize ?? 10) * PT;
  const { w, h } = legendSize(entries, opts.fontsize, opts.title);
  const m = 0.5 * fs;
  const positions: Record<Exclude<LegendLoc, 'best'>, [number, number]> = {
    'upper right': [box.x + box.w - m - w, box.y + m],
    'upper left': [box.x + m, box.y + m],
    'lower left': [box.x + m, box.y + box.h - m - h],
    'lower right': [box.x + box.w - m - w, box.y + box.h - m - h],
    right: [box.x + box.w - m - w, box.y + (box.h - h) / 2],
    'center left': [box.x + m, box.y + (box.h - h) / 2],
    'center right': [box.x + box.w - m - w, box.y + (box.h - h) / 2],
    'lower center': [box.x + (box.w - w) / 2, box.y + box.h - m - h],
    'upper center': [box.x + (box.w - w) / 2, box.y + m],
    center: [box.x + (box.w - w) / 2, box.y + (box.h - h) / 2],
  };
  let loc = opts.loc ?? 'best';
  if (loc === 'best') {
    let best: Exclude<LegendLoc, 'best'> = 'upper right';
    let bestN = Infinity;
    for (const k of Object.keys(positions) as Exclude<LegendLoc, 'best'>[]) {
      const [lx, ly] = positions[k];
      let n = 0;
      for (let i = 0; i < avoid.length; i += 2) if (avoid[i] >= lx && avoid[i] <= lx + w && avoid[i + 1] >= ly && avoid[i + 1] <= ly + h) n++;
      if (n < bestN) {
        bestN = n;
        best = k;
      }
    }
    loc = best;
  }
  const pos = positions[loc as Exclude<LegendLoc, 'best'>];
  if (!pos) throw new Error(`legend: unknown loc '${String(loc)}'`);
  const [lx, ly] = pos;
  const out: string[] = [`<g class="legend">`, `<rect x="${f2(lx)}" y="${f2(ly)}" width="${f2(w)}" height="${f2(h)}" rx="${f2(0.2 * fs)}" fill="#ffffff" fill-opacity="0.8" stroke="#cccccc" stroke-width="${f2(PT)}"/>`];
  let rowY = ly + 0.4 * fs + fs * 0.65;
  if (opts.title) {
    out.push(svgText(lx + w / 2, rowY, opts.title, { size: fs, anchor: 'middle', valign: 'middle' }));
    rowY += fs * 1.3;
  }
  for (const e of entries) {
    const hx = lx + 0.4 * fs;
    const op = e.alpha !== undefined && e.alpha < 1 ? ` opacity="${f2(e.alpha)}"` : '';
    if (e.kind === 'line') {
      const lw = e.linewidth ?? STYLE.lineWidth;
      const da = dashArray((e.linestyle ?? '-') as Dash, lw);
      out.push(`<path d="M${f2(hx)} ${f2(rowY)}h${f2(2 * fs)}" stroke="${e.color}" stroke-width="${f2(lw)}"${da ? ` stroke-dasharray="${da}"` : ''}${op}/>`);
      if (e.marker) out.push(`<path d="${markerPath(e.marker, [hx + fs, rowY], 3 * PT).d}" fill="${e.color}"${op}/>`);
    } else if (e.kind === 'marker') {
      const { d, stroke } = markerPath((e.marker || 'o') as MarkerName, [hx + fs, rowY], 3 * PT);
      out.push(stroke ? `<path d="${d}" fill="none" stroke="${e.color}"${op}/>` : `<path d="${d}" fill="${e.color}"${op}/>`);
    } else {
      out.push(`<rect x="${f2(hx)}" y="${f2(rowY - 0.35 * fs)}" width="${f2(2 * fs)}" height="${f2(0.7 * fs)}" fill="${e.color}"${op}/>`);
    }
    out.push(svgText(hx + 2.8 * fs, rowY, e.label, { size: fs, valign: 'middle' }));
    rowY += fs * 1.3;
  }
  out.push('</g>');
  return out.join('');
}

/** Escaped plain text (re-exported for the figure module). */
export { esc };
