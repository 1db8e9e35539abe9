/**
 * Plotting: matplotlib-shaped figures rendered to standalone SVG (PNG via resvg), shown
 * inline in tslab notebooks; the lecture's helpers; nodeplotlib-compatible `plot`.
 */
export { Figure, figure, subplots } from './figure.js';
export { Axes } from './axes.js';
export { Colormap, buildCMap, getColormap } from './colors.js';
export type { CmapSpec, ColorSpec } from './colors.js';
export { magnifyRegion, showHitMap, showHitCases, HIT_COLORS, HIT_NAMES } from './lecture.js';
export type { HitMapOptions, MagnifyOptions } from './lecture.js';
export { plot, plotlyFigure } from './plotly.js';
export type { PlotlyLayout, PlotlyTrace } from './plotly.js';
export type {
  ColorbarOptions, FigureLegendOptions, FigureOptions, HeatmapOptions, Hist2dOptions, Hist2dResult, HistOptions,
  HistResult, ImshowOptions, LegendLoc, LegendOptions, Mappable, MarkerName, PatchOptions, PlotOptions,
  RefLineOptions, ScatterOptions, Series, TextOptions,
} from './types.js';
