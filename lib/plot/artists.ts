/**
 * What an Axes records: one artist per drawing call, and the panel's settings (title,
 * labels, limits, ticks, aspect, legend, colour bar). Layout (`layout.ts`) and rendering
 * (`render.ts`, `legend.ts`, `colorbar.ts`, `raster.ts`) read these records; only the
 * Axes (`axes.ts`) writes them.
 *
 * Design: plain data, no methods, so the jobs can live in separate modules (as
 * matplotlib separates artists, layout and backends) and nothing is drawn until the
 * figure knows each panel's final pixel size.
 */
import type { NumericArray } from '../core/types.js';
import type { Colormap } from './colors.js';
import type { ColorbarOptions, LegendOptions, Mappable, MarkerName } from './types.js';

/** A line style: solid, dashed, dotted, dash-dot, or none. */
export type Dash = '-' | '--' | ':' | '-.' | 'none' | '';

export interface ImageArtist {
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
export interface LineArtist {
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
export interface ScatterArtist {
  kind: 'scatter';
  xs: Float64Array;
  ys: Float64Array;
  colors: string[] | string;
  sizes: Float64Array | number;
  alpha: number;
  marker: MarkerName;
  label?: string;
}
export interface BarsArtist {
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
export interface RefLineArtist {
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
export interface PatchArtist extends FilledStyle {
  kind: 'ellipse' | 'rect';
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
}
/** A filled polygon (matplotlib's `ax.fill`). */
export interface PolygonArtist extends FilledStyle {
  kind: 'polygon';
  xs: Float64Array;
  ys: Float64Array;
}
/** The look of a filled shape (patches and polygons): edge and face colours ('none' for none), edge width in px. */
export interface FilledStyle {
  edge: string;
  face: string;
  width: number;
  alpha: number;
  dash: Dash;
  label?: string;
}
/** An arrow from (x, y) to (x + dx, y + dy); its head is sized in points, so it keeps its shape at any aspect. */
export interface ArrowArtist {
  kind: 'arrow';
  x: number;
  y: number;
  dx: number;
  dy: number;
  color: string;
  width: number;
  head: number;
  alpha: number;
  dash: Dash;
}
export interface TextArtist {
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
export type Artist =
  ImageArtist | LineArtist | ScatterArtist | BarsArtist | RefLineArtist | PatchArtist | PolygonArtist | ArrowArtist | TextArtist;

/** Space a panel needs around its box for ticks, labels, title and colour bar. */
export interface Decorations {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface TickSet {
  values: number[];
  labels: string[];
  /** Multiplier text shown at the axis end ('1e6'), as matplotlib's offset text. */
  offset?: string;
}

/** Tick positions and labels set by the user (`setXticks`, `setYticks`, heat maps). */
export interface UserTicks {
  values: number[];
  labels?: string[];
  rotation?: number;
}

/** Everything an Axes records about its panel. */
export interface PanelState {
  /** Grid position (row, column) in the figure. */
  readonly row: number;
  readonly col: number;
  readonly artists: Artist[];
  title: string;
  titleSize: number;
  xlabel: string;
  ylabel: string;
  xlimUser?: [number, number];
  ylimUser?: [number, number];
  aspect: 'auto' | 'equal' | number;
  axisOn: boolean;
  spines: boolean;
  xticksUser?: UserTicks;
  yticksUser?: UserTicks;
  /** x ticks on top (matshow). */
  xTop: boolean;
  yInvertUser: boolean;
  legendOpts?: LegendOptions;
  grid: boolean;
  colorbarSpec?: { mappable: Mappable; opts: ColorbarOptions };
}

/** What layout works out for a panel of a given size: view limits and ticks. */
export interface PanelLayout {
  view: { x0: number; x1: number; y0: number; y1: number };
  xt: TickSet;
  yt: TickSet;
  /** Colour-bar ticks (empty without a colour bar). */
  cbt: TickSet;
}
