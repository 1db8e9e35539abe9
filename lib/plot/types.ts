/**
 * The plotting API's public types: the options each drawing call takes and what it returns,
 * in one place so a reader can see the whole vocabulary of a figure without reading code.
 *
 * Design: plain interfaces, named after matplotlib's keyword arguments (`cmap`, `vmin`,
 * `linestyle`, `loc`, ...), so a matplotlib user recognises every field. Nothing here runs.
 * The records an Axes keeps of what was drawn (artists) are internal and live in
 * `artists.ts`.
 */
import type { ArrayLike2D } from '../core/types.js';
import type { Axes } from './axes.js';
import type { CmapSpec, ColorSpec, Colormap } from './colors.js';

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

/** Options of {@link Axes.arrow}. */
export interface ArrowOptions {
  /** colour of line and head (default black) */
  color?: ColorSpec;
  /** line width in points (default 1.5) */
  linewidth?: number;
  /** length of the head in points (default 4 × linewidth + 4) */
  headlength?: number;
  alpha?: number;
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

/** The pixel rectangle of a panel. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Options of `subplots` and `figure`. */
export interface FigureOptions {
  /** [width, height] in inches (default [6.4, 4.8], matplotlib's). */
  figsize?: readonly [number, number];
  /** Dots per inch of the PNG export and of the layout (default 100). */
  dpi?: number;
}

/** Options of `Figure.legend`. */
export interface FigureLegendOptions {
  /** Labels; default: the labelled artists of all panels (each label once). */
  labels?: readonly string[];
  /**
   * Where: 'right' / 'center right' (outside, a column is reserved), 'lower center'
   * (below the panels, space reserved), 'upper right' etc. (over the figure), or
   * inside a given panel with `ax` (e.g. the empty 10th cell of a 2 × 5 grid).
   */
  loc?: LegendLoc | 'outside right' | 'outside bottom';
  /** Put the legend inside this panel's cell (the panel itself is hidden when empty). */
  ax?: Axes;
  fontsize?: number;
  title?: string;
}
