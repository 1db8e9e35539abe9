/**
 * nodeplotlib compatibility: `plot(data, layout)` with Plotly-style traces.
 *
 * nodeplotlib opens a browser window served from a local web server, so nothing appears
 * in a notebook, in exported slides or on a rendered page. Inside a tslab notebook this
 * `plot` draws the traces (scatter/lines, bar, histogram, heatmap) with the matplotlib-
 * shaped figure API and shows the static figure inline. In a plain Node program it
 * hands the call to nodeplotlib's own `plot` (loaded lazily, only then), so scripts keep
 * nodeplotlib's behaviour.
 */
import { createRequire } from 'node:module';
import { tslabDisplay } from '../notebook/display.js';
import { getColormap } from './colors.js';
import { Figure, subplots } from './figure.js';

const require = createRequire(import.meta.url);

/** A Plotly trace, the subset nodeplotlib users pass. */
export interface PlotlyTrace {
  type?: 'scatter' | 'scattergl' | 'bar' | 'histogram' | 'heatmap';
  x?: ArrayLike<number> | readonly (string | number)[];
  y?: ArrayLike<number> | readonly (string | number)[];
  z?: readonly (readonly number[])[];
  mode?: string;
  name?: string;
  nbinsx?: number;
  colorscale?: string;
  showscale?: boolean;
  marker?: { color?: string | readonly number[]; size?: number; colorscale?: string };
  line?: { color?: string; width?: number; dash?: 'solid' | 'dash' | 'dot' | 'dashdot' };
  opacity?: number;
}

/** A Plotly layout, the subset used here. */
export interface PlotlyLayout {
  title?: string | { text?: string };
  xaxis?: { title?: string | { text?: string }; range?: readonly [number, number] };
  yaxis?: { title?: string | { text?: string }; range?: readonly [number, number] };
  width?: number;
  height?: number;
  showlegend?: boolean;
}

const titleOf = (t: string | { text?: string } | undefined): string => (typeof t === 'string' ? t : t?.text ?? '');

const PLOTLY_CMAPS: Record<string, string> = { viridis: 'viridis', greys: 'Greys', hot: 'hot', blues: 'Blues', reds: 'Reds', rdbu: 'RdBu', jet: 'jet', inferno: 'inferno', magma: 'magma', plasma: 'plasma', cividis: 'cividis', greens: 'Greens' };

function numeric(v: ArrayLike<number> | readonly (string | number)[] | undefined, n: number): { values: number[]; labels?: string[] } {
  if (!v) return { values: Array.from({ length: n }, (_, i) => i) };
  const arr = Array.from(v as ArrayLike<number | string>);
  if (arr.some((x) => typeof x === 'string')) return { values: arr.map((_, i) => i), labels: arr.map(String) };
  return { values: arr as number[] };
}

/**
 * Draws Plotly-style traces into a static figure (what `plot` shows in a notebook).
 *
 * @param data traces
 * @param layout title, axis titles, size in px
 * @returns the figure
 * @example
 *   plotlyFigure([{ x: [1, 2, 3], y: [2, 4, 3], type: 'scatter' }], { title: 'demo' }).toSVG();
 */
export function plotlyFigure(data: readonly PlotlyTrace[], layout: PlotlyLayout = {}): Figure {
  if (!Array.isArray(data)) throw new Error('plot: data must be an array of traces');
  const [fig, [ax]] = subplots(1, 1, { figsize: [(layout.width ?? 700) / 100, (layout.height ?? 450) / 100] });
  let labelled = false;
  const cmapOf = (name: string | undefined): string => PLOTLY_CMAPS[(name ?? 'viridis').toLowerCase()] ?? 'viridis';
  for (const t of data) {
    const type = t.type ?? 'scatter';
    const n = t.y?.length ?? t.x?.length ?? 0;
    if (t.name) labelled = true;
    if (type === 'scatter' || type === 'scattergl') {
      const xs = numeric(t.x, n);
      const ys = numeric(t.y, n).values;
      const mode = t.mode ?? 'lines';
      const color = t.line?.color ?? (typeof t.marker?.color === 'string' ? t.marker.color : undefined);
      if (mode.includes('lines')) {
        const dash = t.line?.dash === 'dash' ? '--' : t.line?.dash === 'dot' ? ':' : t.line?.dash === 'dashdot' ? '-.' : '-';
        ax.plot(xs.values, ys, { color, label: t.name, linewidth: t.line?.width ? t.line.width * 0.75 : undefined, linestyle: dash, marker: mode.includes('markers') ? 'o' : '', alpha: t.opacity });
      } else {
        const mc = t.marker?.color;
        ax.scatter(xs.values, ys, { c: typeof mc === 'string' || mc === undefined ? mc : Array.from(mc), cmap: cmapOf(t.marker?.colorscale), s: t.marker?.size ? (t.marker.size * 0.75) ** 2 : 36, label: t.name, alpha: t.opacity });
      }
      if (xs.labels) ax.setXticks(xs.values, xs.labels);
    } else if (type === 'bar') {
      const xs = numeric(t.x, n);
      ax.bar(xs.values, numeric(t.y, n).values, { color: typeof t.marker?.color === 'string' ? t.marker.color : undefined, label: t.name, alpha: t.opacity });
      if (xs.labels) ax.setXticks(xs.values, xs.labels);
    } else if (type === 'histogram') {
      ax.hist(Array.from((t.x ?? []) as ArrayLike<number>), { bins: t.nbinsx ?? 10, color: typeof t.marker?.color === 'string' ? t.marker.color : undefined, label: t.name, alpha: t.opacity });
    } else if (type === 'heatmap') {
      const z = t.z ?? [];
      const rows = z.length;
      const cols = rows ? z[0].length : 0;
      if (!rows || !cols) throw new Error('plot: a heatmap trace needs a non-empty z (array of rows)');
      // Plotly draws row 0 at the bottom
      ax.imshow({ data: Float64Array.from(z.flat()), shape: [rows, cols] }, {
        cmap: getColormap(cmapOf(t.colorscale)), origin: 'lower', aspect: 'auto', interpolation: 'nearest', colorbar: t.showscale ?? true,
      });
    } else {
      throw new Error(`plot: trace type '${String(type)}' is not supported (scatter, bar, histogram, heatmap)`);
    }
  }
  if (layout.title) ax.setTitle(titleOf(layout.title));
  if (layout.xaxis?.title) ax.setXlabel(titleOf(layout.xaxis.title));
  if (layout.yaxis?.title) ax.setYlabel(titleOf(layout.yaxis.title));
  if (layout.xaxis?.range) ax.setXlim(layout.xaxis.range[0], layout.xaxis.range[1]);
  if (layout.yaxis?.range) ax.setYlim(layout.yaxis.range[0], layout.yaxis.range[1]);
  if ((layout.showlegend ?? labelled) && labelled) ax.legend();
  return fig;
}

/**
 * nodeplotlib's `plot(data, layout)`: inline static figure in a tslab notebook; in a
 * plain Node program, nodeplotlib's own browser window.
 *
 * @param data Plotly-style traces
 * @param layout Plotly-style layout
 * @example
 *   plot([{ x: [1, 2, 3], y: [1, 4, 9], type: 'scatter', name: 'squares' }], { title: 'x²' });
 */
export function plot(data: readonly PlotlyTrace[], layout: PlotlyLayout = {}): void {
  if (tslabDisplay()) {
    const fig = plotlyFigure(data, layout);
    fig.show();
    return;
  }
  let npl: { plot: (d: unknown, l?: unknown) => void };
  try {
    npl = require('nodeplotlib') as typeof npl;
  } catch (err) {
    throw new Error(`plot: outside a notebook this delegates to nodeplotlib, which failed to load: ${(err as Error).message}`);
  }
  npl.plot(data, layout);
}
