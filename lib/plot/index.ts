/**
 * Plotting: matplotlib-shaped figures rendered to standalone SVG (PNG via resvg), shown
 * inline in tslab notebooks; the lecture's helpers; nodeplotlib-compatible `plot`.
 */
export { Figure, subplots, figure, svgToPng, figureBundle } from './figure.js';
export type { FigureOptions, FigureLegendOptions } from './figure.js';
export { Axes, histogramCounts } from './axes.js';
export type {
  Box, ColorbarOptions, HeatmapOptions, Hist2dOptions, Hist2dResult, HistOptions, HistResult, ImshowOptions,
  LegendEntry, LegendLoc, LegendOptions, Mappable, MarkerName, PatchOptions, PlotOptions, RefLineOptions,
  ScatterOptions, Series, TextOptions,
} from './axes.js';
export { Colormap, buildCMap, getColormap, parseColor, TAB10 } from './colors.js';
export type { CmapSpec, ColorSpec, RGBA } from './colors.js';
export { magnifyRegion, showHitMap, showHitCases, HIT_COLORS, HIT_NAMES } from './lecture.js';
export type { HitMapOptions, MagnifyOptions } from './lecture.js';
export { plot, plotlyFigure } from './plotly.js';
export type { PlotlyLayout, PlotlyTrace } from './plotly.js';
export { formatNumber } from './text.js';
