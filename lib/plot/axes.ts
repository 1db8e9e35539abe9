/**
 * Axes: one panel of a figure, and the face of the plotting API — matplotlib's drawing calls
 * (imshow, matshow, heatmap, plot, scatter, hist, bar, hist2d, axvline/axhline, patches,
 * text, legend, colorbar) and setters (title, labels, limits, ticks, aspect, axis, grid),
 * with matplotlib's defaults (tab10 colour cycle, 5 % data margins, sticky bar bases,
 * inverted y for images, equal aspect for images, ticks from the MaxNLocator rule).
 *
 * Design: an Axes only checks its arguments and records what was asked (`artists.ts`);
 * nothing is drawn until the figure lays out and renders (`Figure.toSVG`), because tick
 * density, image resampling and label placement depend on the final pixel size of the
 * panel. The jobs live in their own modules, as in matplotlib: option types (`types.ts`),
 * input coercion (`series.ts`), styles and markers (`style.ts`), histograms (numpy's, from
 * `lib/filters/histogram.ts`), layout (`layout.ts`), rendering (`render.ts`, `raster.ts`),
 * legends (`legend.ts`), colour bars (`colorbar.ts`), ticks and text (`ticks.ts`, `text.ts`).
 */
import type { ArrayLike2D } from '../core/types.js';
import type { Decorations, ImageArtist, PanelLayout, PanelState } from './artists.js';
import { TAB10, getColormap, toHex, type ColorSpec } from './colors.js';
import { fitBox, layoutPanel } from './layout.js';
import { legendEntries } from './legend.js';
import { finiteRange } from './raster.js';
import { histogram2dCounts, histogramCounts, histogramValues, nanRange } from '../filters/histogram.js';
import { renderPanel } from './render.js';
import { isArrayLike2D, isSeries, toF64, toSeriesList } from './series.js';
import { STYLE, luminance, parseFmt } from './style.js';
import { PT, formatNumber } from './text.js';
import type {
  ArrowOptions, Box, ColorbarOptions, HeatmapOptions, Hist2dOptions, Hist2dResult, HistOptions, HistResult, ImshowOptions,
  LegendEntry, LegendOptions, Mappable, MarkerName, PatchOptions, PlotOptions, RefLineOptions, ScatterOptions,
  Series, TextOptions,
} from './types.js';

/**
 * One panel of a figure. Create with `subplots` or `figure().addSubplot()`; the method
 * names follow matplotlib in camelCase (`set_title` → `setTitle`).
 */
export class Axes {
  /** Grid position (row, column) in the figure. */
  readonly row: number;
  readonly col: number;
  /** What was drawn and set on this panel (read by layout and rendering). */
  private readonly state: PanelState;
  private lineCycle = 0;
  private patchCycle = 0;
  /** The layout of the last `prepare` (view limits and ticks). */
  private layout: PanelLayout = { view: { x0: 0, x1: 1, y0: 0, y1: 1 }, xt: { values: [], labels: [] }, yt: { values: [], labels: [] }, cbt: { values: [], labels: [] } };

  /** @param row grid row  @param col grid column */
  constructor(row = 0, col = 0) {
    this.row = row;
    this.col = col;
    this.state = {
      row, col, artists: [], title: '', titleSize: STYLE.titleFont, xlabel: '', ylabel: '', aspect: 'auto',
      axisOn: true, spines: true, xTop: false, yInvertUser: false, grid: false,
    };
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
    this.state.artists.push(art);
    if (opts.aspect !== undefined) this.state.aspect = opts.aspect;
    else if (!this.state.artists.some((a) => a.kind !== 'image')) this.state.aspect = 'equal';
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
    this.state.xTop = true;
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
    this.state.spines = false;
    const xl = opts.xticklabels ?? Array.from({ length: cols }, (_, i) => String(i));
    const yl = opts.yticklabels ?? Array.from({ length: rows }, (_, i) => String(i));
    this.setXticks(xl.map((_, i) => i + 0.5), xl);
    this.setYticks(yl.map((_, i) => i + 0.5), yl);
    this.state.yticksUser = { ...this.state.yticksUser!, rotation: 90 };
    if (opts.annot ?? true) {
      const size = (opts.annotSize ?? 10) * PT;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const v = data[r * cols + c];
          const t = m.vmax > m.vmin ? (v - m.vmin) / (m.vmax - m.vmin) : 0;
          const cell = m.cmap.hex(t);
          this.state.artists.push({
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
      this.state.artists.push({
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
    this.state.artists.push({
      kind: 'scatter', xs, ys, colors,
      sizes: typeof s === 'number' ? s : toF64(s, 'scatter s'),
      alpha: opts.alpha ?? 1,
      marker: opts.marker ?? 'o',
      label: opts.label,
    });
    return mappable;
  }

  /**
   * Histogram as matplotlib's `hist` draws it: `np.histogram` of the samples (equal bins, the
   * last one closed; float32 data get float32 edges, as numpy gives), over the data's range
   * without NaN when no range is given; NaN samples are left out. Drawn as bars.
   *
   * @param values the samples (any array, typed array, or `{ data }` of any shape: flattened)
   * @param opts bins (default 10), range, density, color, alpha, label, histtype, edgecolor
   * @returns counts (densities with `density`) and edges (like `np.histogram`) and the bar colour
   * @example
   *   const { counts, edges } = axes[1].hist(img, { bins: 10 });
   */
  hist(values: Series, opts: HistOptions = {}): HistResult {
    const data = histogramValues(values, 'hist');
    const bins = opts.bins ?? 10;
    const range = opts.range ?? (typeof bins === 'number' ? nanRange(data) : undefined);
    const h = histogramCounts(data, bins, range, 'hist');
    const counts = Array.from(h.counts);
    const edges = Array.from(h.edges);
    let heights = counts;
    if (opts.density) {
      const total = counts.reduce((a, b) => a + b, 0);
      heights = counts.map((c, i) => (total ? c / total / (edges[i + 1] - edges[i]) : 0));
    }
    const color = toHex(opts.color ?? this.nextPatchColor());
    this.state.artists.push({
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
    this.state.artists.push({
      kind: 'bars', lefts: Array.from(xs, (v) => v - w / 2), widths: Array.from(xs, () => w), heights: Array.from(hs),
      color: toHex(opts.color ?? this.nextPatchColor()), alpha: opts.alpha ?? 1, step: false, label: opts.label,
    });
  }

  /**
   * 2-D histogram drawn as an image with y up, like matplotlib's hist2d: `np.histogram2d` of
   * the samples (float64 edges; without a range, NaN samples are an error, as in numpy).
   *
   * @param x x samples
   * @param y y samples
   * @param opts bins (default 10, or [nx, ny]), range [[xlo, xhi], [ylo, yhi]], cmap, vmin, vmax, colorbar
   * @returns counts (nx × ny, row-major, as numpy) with the edges and the image mappable
   * @example
   *   ax.hist2d(f.data, d.data, { bins: 100 });
   */
  hist2d(x: Series, y: Series, opts: Hist2dOptions = {}): Hist2dResult {
    const h = histogram2dCounts(histogramValues(x, 'hist2d'), histogramValues(y, 'hist2d'), opts.bins ?? 10, opts.range, 'hist2d');
    const ex = Array.from(h.xedges);
    const ey = Array.from(h.yedges);
    const nx = ex.length - 1;
    const ny = ey.length - 1;
    // image rows = y bins (bottom up), columns = x bins
    const img = new Float64Array(nx * ny);
    for (let ix = 0; ix < nx; ix++) for (let iy = 0; iy < ny; iy++) img[iy * nx + ix] = h.counts[ix * ny + iy];
    const image = this.imshow({ data: img, shape: [ny, nx] }, {
      cmap: opts.cmap, vmin: opts.vmin, vmax: opts.vmax, origin: 'lower',
      extent: [ex[0], ex[nx], ey[0], ey[ny]], aspect: 'auto', interpolation: 'nearest', colorbar: opts.colorbar,
    });
    return { counts: h.counts, xedges: ex, yedges: ey, image };
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
    this.state.artists.push({
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
    this.state.artists.push({
      kind, cx: xy[0], cy: xy[1], w, h, angle: opts.angle ?? 0,
      edge: opts.edgecolor === undefined ? '#000000' : opts.edgecolor === 'none' ? 'none' : toHex(opts.edgecolor),
      face: opts.facecolor === undefined || opts.facecolor === 'none' ? 'none' : toHex(opts.facecolor),
      width: (opts.linewidth ?? 1) * PT, alpha: opts.alpha ?? 1, dash: opts.linestyle ?? '-', label: opts.label,
    });
  }

  /**
   * A filled polygon through the points (xs[i], ys[i]), closed back to the first (matplotlib's
   * `ax.fill`). Default: filled with the next colour of the cycle, no edge.
   *
   * @param xs - x coordinates (data units)
   * @param ys - y coordinates, as many as xs
   * @param opts - facecolor, edgecolor (default 'none'), linewidth, alpha, linestyle, label
   * @example
   *   ax.fill([0, 4, 3, 1], [0, 0, 2, 2], { facecolor: 'lightgrey', edgecolor: 'black' });  // a trapezoid
   */
  fill(xs: Series, ys: Series, opts: PatchOptions = {}): void {
    const x = toF64(xs, 'fill: xs');
    const y = toF64(ys, 'fill: ys');
    if (x.length !== y.length || x.length < 3) throw new Error(`fill: xs and ys must have the same length, at least 3 points; got ${x.length} and ${y.length}`);
    if (!x.every(Number.isFinite) || !y.every(Number.isFinite)) throw new Error('fill: every coordinate must be a finite number');
    this.state.artists.push({
      kind: 'polygon', xs: x, ys: y,
      face: opts.facecolor === undefined ? toHex(this.nextPatchColor()) : opts.facecolor === 'none' ? 'none' : toHex(opts.facecolor),
      edge: opts.edgecolor === undefined || opts.edgecolor === 'none' ? 'none' : toHex(opts.edgecolor),
      width: (opts.linewidth ?? 1) * PT, alpha: opts.alpha ?? 1, dash: opts.linestyle ?? '-', label: opts.label,
    });
  }

  /**
   * An arrow from (x, y) to (x + dx, y + dy) in data units, with a filled head whose size is
   * in points, so it keeps its shape whatever the panel's aspect (like matplotlib's
   * `annotate` arrows).
   *
   * @param opts - color (default black), linewidth (points, default 1.5), headlength (points), alpha, linestyle
   * @example
   *   ax.arrow(0, 0, 5, 0, { color: 'tab:red' });   // a horizontal arrow pointing right
   */
  arrow(x: number, y: number, dx: number, dy: number, opts: ArrowOptions = {}): void {
    if (![x, y, dx, dy].every(Number.isFinite)) throw new Error('arrow: x, y, dx and dy must be finite numbers');
    const lw = opts.linewidth ?? 1.5;
    if (!(lw > 0)) throw new Error(`arrow: linewidth must be > 0, got ${String(opts.linewidth)}`);
    this.state.artists.push({
      kind: 'arrow', x, y, dx, dy, color: toHex(opts.color ?? 'black'), width: lw * PT,
      head: (opts.headlength ?? 4 * lw + 4) * PT, alpha: opts.alpha ?? 1, dash: opts.linestyle ?? '-',
    });
  }

  /**
   * Text at a data position (or axes fraction with `transform: 'axes'`).
   *
   * @example
   *   ax.text(10, 20, 'spot', { color: 'white', ha: 'center' });
   */
  text(x: number, y: number, s: string, opts: TextOptions = {}): void {
    this.state.artists.push({
      kind: 'text', x, y, s: String(s), color: toHex(opts.color ?? 'black'), size: (opts.fontsize ?? 10) * PT,
      ha: opts.ha ?? 'left', va: opts.va ?? 'baseline', axesCoords: opts.transform === 'axes',
      rotation: opts.rotation ?? 0, weight: opts.weight ?? 'normal',
    });
  }

  /** Sets the panel title (fontsize in points, default 12). */
  setTitle(title: string, opts: { fontsize?: number } = {}): void {
    this.state.title = String(title);
    this.state.titleSize = (opts.fontsize ?? 12) * PT;
  }

  /** Sets the x-axis label (`$…$` mathtext subset allowed). */
  setXlabel(label: string): void {
    this.state.xlabel = String(label);
  }

  /** Sets the y-axis label. */
  setYlabel(label: string): void {
    this.state.ylabel = String(label);
  }

  /** Fixes the x range [left, right] (right < left flips the axis). */
  setXlim(left: number, right: number): void {
    this.state.xlimUser = [left, right];
  }

  /** Fixes the y range [bottom, top] (top < bottom flips the axis, as images do). */
  setYlim(bottom: number, top: number): void {
    this.state.ylimUser = [bottom, top];
  }

  /** Sets tick positions and optional labels on x. */
  setXticks(values: readonly number[], labels?: readonly string[]): void {
    if (labels && labels.length !== values.length) throw new Error(`setXticks: ${labels.length} labels for ${values.length} ticks`);
    this.state.xticksUser = { values: [...values], labels: labels ? [...labels] : undefined };
  }

  /** Sets tick positions and optional labels on y. */
  setYticks(values: readonly number[], labels?: readonly string[]): void {
    if (labels && labels.length !== values.length) throw new Error(`setYticks: ${labels.length} labels for ${values.length} ticks`);
    this.state.yticksUser = { values: [...values], labels: labels ? [...labels] : undefined };
  }

  /** Flips the y axis. */
  invertYaxis(): void {
    this.state.yInvertUser = !this.state.yInvertUser;
  }

  /**
   * 'equal' keeps one data unit the same length on both axes (the panel shrinks to fit),
   * 'auto' fills the panel, a number sets the y/x unit ratio.
   */
  setAspect(aspect: 'equal' | 'auto' | number): void {
    if (!(aspect === 'equal' || aspect === 'auto' || (typeof aspect === 'number' && aspect > 0))) throw new Error(`setAspect: expected 'equal', 'auto' or a positive number, got ${String(aspect)}`);
    this.state.aspect = aspect;
  }

  /**
   * matplotlib's `axis(...)`: 'off' hides spines, ticks and axis labels (the title stays),
   * 'on' shows them, 'equal' / 'square' set equal aspect.
   */
  axis(mode: 'off' | 'on' | 'equal' | 'square' | 'auto'): void {
    if (mode === 'off') this.state.axisOn = false;
    else if (mode === 'on') this.state.axisOn = true;
    else if (mode === 'equal' || mode === 'square') this.state.aspect = 'equal';
    else if (mode === 'auto') this.state.aspect = 'auto';
    else throw new Error(`axis: unknown mode '${String(mode)}'`);
  }

  /** Light grid lines at the ticks. */
  setGrid(on = true): void {
    this.state.grid = on;
  }

  /**
   * Legend of the labelled artists (or of all artists with `labels`).
   *
   * @example
   *   ax.legend();                                   // labels given to plot/hist/axvline
   *   ax.legend({ labels: ['Sample', 'Background'], loc: 'center left' });
   */
  legend(opts: LegendOptions | readonly string[] = {}): void {
    this.state.legendOpts = Array.isArray(opts) ? { labels: opts as readonly string[] } : (opts as LegendOptions);
  }

  /**
   * Adds a colour bar for a mappable (an image, a coloured scatter) beside this panel.
   *
   * @example
   *   const im = ax.imshow(labels, { cmap }); ax.colorbar(im, { label: 'cluster' });
   */
  colorbar(mappable?: Mappable, opts: ColorbarOptions = {}): void {
    const m = mappable ?? [...this.state.artists].reverse().find((a): a is ImageArtist => a.kind === 'image');
    if (!m) throw new Error('colorbar: no image on this axes; pass the mappable returned by imshow/scatter');
    if (opts.ticklabels && (!opts.ticks || opts.ticks.length !== opts.ticklabels.length)) throw new Error('colorbar: ticklabels need ticks of the same length');
    this.state.colorbarSpec = { mappable: m, opts };
  }

  /** Legend rows of this panel's artists (labelled ones, or all when labels are given); used by `Figure.legend`. */
  legendEntries(labels?: readonly string[]): LegendEntry[] {
    return legendEntries(this.state.artists, labels);
  }

  /** True when nothing has been drawn and the panel is switched off (an empty grid cell). */
  isBlank(): boolean {
    return !this.state.axisOn && this.state.artists.length === 0 && !this.state.title;
  }

  /**
   * Lays the panel out for a w × h px box (view limits, ticks); returns the space it needs
   * around the box. Called by the figure's layout, which then calls {@link fitBox} and {@link render}.
   */
  prepare(w: number, h: number): Decorations {
    const { layout, deco } = layoutPanel(this.state, w, h);
    this.layout = layout;
    return deco;
  }

  /** The panel box after applying the aspect ratio inside the cell box (centred). */
  fitBox(cell: Box): Box {
    return fitBox(this.state.aspect, this.layout.view, cell);
  }

  /** SVG of the panel in `box` (after {@link prepare}); `uid` keeps SVG ids unique on a page. */
  render(box: Box, uid: string): string {
    return renderPanel(this.state, this.layout, box, uid);
  }
}
