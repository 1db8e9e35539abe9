/**
 * plot — matplotlib-shaped figures rendered to standalone SVG (PNG through resvg), shown
 * inline in tslab notebooks, and nodeplotlib's `plot` for Plotly-style traces.
 *
 * Public: `subplots`, `figure`, `Figure` (`figure.ts`); `Axes`, the face of every drawing
 * call (`axes.ts`); colour maps (`colors.ts`); `plot`, `plotlyFigure` (`plotly.ts`); the
 * option and result types (`types.ts`); a U-Net drawn from its model, `drawUNet` (`diagram.ts`).
 *
 * Where the work is done, one job per module (as matplotlib splits `axes`, `legend`,
 * `colorbar`, `ticker`, `text`, `_tight_layout` and the backends):
 * - `artists.ts` what a panel records; `series.ts` input coercion; `style.ts` line styles,
 *   format strings and markers;
 * - `layout.ts` view limits, ticks per panel size, decorations, tight layout of the grid;
 * - `render.ts` a panel as SVG; `raster.ts` images resampled and embedded as PNG;
 *   `legend.ts` legends; `colorbar.ts` colour bars; `ticks.ts` tick positions and labels;
 *   `text.ts` text widths, mathtext and number formats.
 * Histograms come from `lib/filters/histogram.ts` (numpy's). The lecture's own figures
 * (hit maps, magnified regions) are in `lecture.ts`, exported from `neutron-seg/lecture`.
 */
export { Figure, figure, subplots } from './figure.js';
export { Axes } from './axes.js';
export { drawUNet, unetDiagram } from './diagram.js';
export type { DiagramArrow, DiagramBox, UNetDiagram } from './diagram.js';
export { Colormap, getColormap } from './colors.js';
export type { CmapSpec, ColorSpec } from './colors.js';
export { plot, plotlyFigure } from './plotly.js';
export type { PlotlyLayout, PlotlyTrace } from './plotly.js';
export type {
  ArrowOptions, ColorbarOptions, FigureLegendOptions, FigureOptions, HeatmapOptions, Hist2dOptions, Hist2dResult, HistOptions,
  HistResult, ImshowOptions, LegendLoc, LegendOptions, Mappable, MarkerName, PatchOptions, PlotOptions,
  RefLineOptions, ScatterOptions, Series, TextOptions,
} from './types.js';
