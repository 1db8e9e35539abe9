/**
 * Layout: where everything goes before anything is drawn.
 *
 * - Panel layout ({@link layoutPanel}): the view limits from the data (matplotlib's 5 %
 *   margins, images fixing the view to their extent, bars sticking to 0), the ticks that fit
 *   the panel's pixel size (fewer x ticks when their labels would touch), and the space the
 *   panel needs around its box for tick labels, axis labels, title and colour bar.
 * - Aspect ({@link fitBox}): a panel with equal aspect (images) shrinks inside its grid cell,
 *   centred, like matplotlib's anchor 'C'.
 * - Figure layout ({@link tightLayout}): matplotlib's tight layout on a grid — each column is
 *   as wide as its widest decorations need, each row as tall, the cells share the rest; three
 *   passes, because tick density depends on the cell size and the decorations on the ticks.
 *
 * Design: pure functions of the recorded panel state (`artists.ts`) and pixel sizes; the
 * text widths come from DejaVu Sans metrics (`text.ts`), so layout needs no renderer.
 */
import type { Artist, Decorations, ImageArtist, PanelLayout, PanelState } from './artists.js';
import { colorbarLayout } from './colorbar.js';
import { legendSize } from './legend.js';
import { STYLE } from './style.js';
import { PT, textWidth } from './text.js';
import { panelTicks } from './ticks.js';
import type { Box, LegendEntry } from './types.js';

/**
 * The data limits of a panel: images fix the view to their extent (other artists only widen
 * it); otherwise the data range with matplotlib's 5 % margins, bars sticking to 0.
 */
function dataLimits(artists: readonly Artist[]): { x0: number; x1: number; y0: number; y1: number } {
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
  for (const a of artists) {
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
      case 'polygon':
        for (let i = 0; i < a.xs.length; i++) upd(a.xs[i], a.ys[i]);
        break;
      case 'arrow':
        upd(a.x, a.y);
        upd(a.x + a.dx, a.y + a.dy);
        break;
      default:
        break;
    }
  }
  if (img) {
    let [x0, x1, y0, y1] = img.extent;
    for (const a of artists) {
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
/** True when the widest x tick label does not fit between two ticks of a panel `w` px wide. */
function xLabelsCrowded(lay: PanelLayout, w: number): boolean {
  const n = lay.xt.labels.length;
  if (n < 2) return false;
  const widest = Math.max(...lay.xt.labels.map((l) => textWidth(l, STYLE.font)));
  const span = Math.abs(lay.view.x1 - lay.view.x0);
  const gap = (Math.abs(lay.xt.values[1] - lay.xt.values[0]) / span) * w;
  return widest + 0.6 * STYLE.font > gap;
}

/**
 * View limits and ticks of a panel of w × h px, and the space it needs around its box.
 *
 * @param s the panel's recorded state
 * @param w panel width in px
 * @param h panel height in px
 * @returns the layout (view, ticks) and the decorations' extent on each side
 */
export function layoutPanel(s: PanelState, w: number, h: number): { layout: PanelLayout; deco: Decorations } {
  const lim = dataLimits(s.artists);
  const x = s.xlimUser ?? [lim.x0, lim.x1];
  let y = s.ylimUser ?? [lim.y0, lim.y1];
  if (s.yInvertUser) y = [y[1], y[0]];
  const font = STYLE.font;
  const nbx = Math.max(1, Math.min(9, Math.floor((w * 0.72) / 30)));
  const nby = Math.max(1, Math.min(9, Math.floor((h * 0.72) / 20)));
  const lay: PanelLayout = {
    view: { x0: x[0], x1: x[1], y0: y[0], y1: y[1] },
    xt: panelTicks(s.xticksUser, x[0], x[1], nbx),
    yt: { values: [], labels: [] },
    cbt: { values: [], labels: [] },
  };
  // fewer x ticks when their labels would touch (matplotlib lets them overlap)
  for (let nb = nbx - 1; nb >= 1 && !s.xticksUser && xLabelsCrowded(lay, w); nb--) lay.xt = panelTicks(undefined, x[0], x[1], nb);
  lay.yt = panelTicks(s.yticksUser, y[0], y[1], nby);
  const d: Decorations = { left: 0, right: 0, top: 0, bottom: 0 };
  if (s.axisOn) {
    const tk = STYLE.tickLen + STYLE.tickPad;
    const yRot = s.yticksUser?.rotation === 90;
    const ytw = yRot ? font * 1.2 : Math.max(0, ...lay.yt.labels.map((l) => textWidth(l, font)));
    d.left = tk + ytw + (s.ylabel ? STYLE.labelPad + font * 1.25 : 0);
    const xth = lay.xt.labels.length ? font * 1.25 : 0;
    if (s.xTop) d.top += tk + xth;
    else d.bottom = tk + xth + (s.xlabel ? STYLE.labelPad + font * 1.25 : 0);
    if (s.xTop && s.xlabel) d.bottom = STYLE.labelPad + font * 1.25;
    // labels of the first/last x tick may stick out sideways; the top y label half a line up
    if (lay.xt.labels.length) {
      const last = lay.xt.labels[lay.xt.labels.length - 1];
      d.right = Math.max(d.right, textWidth(last, font) / 2 - 2);
    }
    d.top = Math.max(d.top, lay.yt.offset ? font * 1.3 : font * 0.6);
  }
  if (s.title) d.top += s.titleSize * 1.2 + STYLE.titlePad + (lay.yt.offset ? font * 1.1 : 0);
  if (s.colorbarSpec) {
    const cb = colorbarLayout(s.colorbarSpec, h);
    lay.cbt = cb.ticks;
    d.right = Math.max(d.right, cb.width);
  }
  return { layout: lay, deco: d };
}

/**
 * The panel box after applying the aspect ratio inside the cell box (centred, like
 * matplotlib's anchor 'C'); the cell itself for 'auto' aspect.
 */
export function fitBox(aspect: PanelState['aspect'], view: PanelLayout['view'], cell: Box): Box {
  if (aspect === 'auto') return cell;
  const ratio = (aspect === 'equal' ? 1 : aspect) * Math.abs((view.y1 - view.y0) / (view.x1 - view.x0));
  if (!Number.isFinite(ratio) || ratio <= 0) return cell;
  let w = cell.w;
  let h = w * ratio;
  if (h > cell.h) {
    h = cell.h;
    w = h / ratio;
  }
  return { x: cell.x + (cell.w - w) / 2, y: cell.y + (cell.h - h) / 2, w, h };
}

/** A panel as the grid layout sees it: its cell and two layout steps (Axes implements them). */
export interface GridPanel {
  readonly row: number;
  readonly col: number;
  /** Lays the panel out for a w × h px box; returns the space its decorations need. */
  prepare(w: number, h: number): Decorations;
  /** The panel's box inside its cell (aspect applied). */
  fitBox(cell: Box): Box;
}

/** What {@link tightLayout} needs to know about the figure. */
export interface GridSpec {
  rows: number;
  cols: number;
  /** Figure size in px. */
  width: number;
  height: number;
  /** A suptitle takes a line at the top. */
  suptitle: boolean;
  /** A figure legend outside the panels: its entries, font, title and where it goes. */
  legend?: { entries: readonly LegendEntry[]; fontsize?: number; title?: string; loc?: string };
  /** The panel whose whole cell holds the figure legend (`fig.legend({ ax })`). */
  legendPanel?: GridPanel;
}

/**
 * matplotlib's tight layout on a grid of panels: sizes the cells so that no panel's ticks,
 * labels, title or colour bar overlap a neighbour, reserves room for a suptitle and an
 * outside legend, and lays every panel out for its final box.
 *
 * @returns each panel's box (in `panels` order) and the box of the figure legend, if any
 */
export function tightLayout(panels: readonly GridPanel[], g: GridSpec): { boxes: Box[]; legendBox?: Box } {
  const W = g.width;
  const H = g.height;
  const pad = 1.08 * 10 * PT;
  const wpad = pad;
  const hpad = pad;
  const top0 = pad + (g.suptitle ? STYLE.titleFont * 1.4 * 1.2 : 0);
  let right0 = pad;
  let bottom0 = pad;
  let legendBox: Box | undefined;
  if (g.legend) {
    const s = legendSize(g.legend.entries, g.legend.fontsize, g.legend.title);
    const loc = g.legend.loc;
    if (loc === 'right' || loc === 'center right' || loc === 'outside right') {
      right0 += s.w + pad;
      legendBox = { x: W - pad - s.w - 1, y: (H - s.h) / 2, w: s.w, h: s.h };
    } else if (loc === 'lower center' || loc === 'outside bottom') {
      bottom0 += s.h + pad / 2;
      legendBox = { x: (W - s.w) / 2, y: H - pad - s.h, w: s.w, h: s.h };
    }
  }
  const R = g.rows;
  const C = g.cols;
  let cellW = (W - right0 - pad - (C - 1) * wpad) / C;
  let cellH = (H - top0 - bottom0 - (R - 1) * hpad) / R;
  let left: number[] = [];
  let right: number[] = [];
  let top: number[] = [];
  let bottom: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const decos = panels.map((ax) => ax.prepare(Math.max(20, cellW), Math.max(20, cellH)));
    left = new Array<number>(C).fill(0);
    right = new Array<number>(C).fill(0);
    top = new Array<number>(R).fill(0);
    bottom = new Array<number>(R).fill(0);
    panels.forEach((ax, i) => {
      const d = decos[i];
      left[ax.col] = Math.max(left[ax.col], d.left);
      right[ax.col] = Math.max(right[ax.col], d.right);
      top[ax.row] = Math.max(top[ax.row], d.top);
      bottom[ax.row] = Math.max(bottom[ax.row], d.bottom);
    });
    const sumW = left.reduce((a, b) => a + b, 0) + right.reduce((a, b) => a + b, 0);
    const sumH = top.reduce((a, b) => a + b, 0) + bottom.reduce((a, b) => a + b, 0);
    const nw = (W - pad - right0 - sumW - (C - 1) * wpad) / C;
    const nh = (H - top0 - bottom0 - sumH - (R - 1) * hpad) / R;
    const done = Math.abs(nw - cellW) < 1 && Math.abs(nh - cellH) < 1;
    cellW = Math.max(20, nw);
    cellH = Math.max(20, nh);
    if (done) break;
  }
  panels.forEach((ax) => ax.prepare(cellW, cellH));
  const colX: number[] = [];
  let xx = pad;
  for (let c = 0; c < C; c++) {
    colX.push(xx + left[c]);
    xx += left[c] + cellW + right[c] + wpad;
  }
  const rowY: number[] = [];
  let yy = top0;
  for (let r = 0; r < R; r++) {
    rowY.push(yy + top[r]);
    yy += top[r] + cellH + bottom[r] + hpad;
  }
  const boxes = panels.map((ax) => ax.fitBox({ x: colX[ax.col], y: rowY[ax.row], w: cellW, h: cellH }));
  // ticks for the final (possibly aspect-shrunk) panel size
  panels.forEach((ax, i) => ax.prepare(boxes[i].w, boxes[i].h));
  const lp = g.legendPanel;
  if (lp) {
    if (!panels.includes(lp)) throw new Error('legend: ax is not a panel of this figure');
    legendBox = { x: colX[lp.col] - left[lp.col], y: rowY[lp.row] - top[lp.row], w: cellW + left[lp.col] + right[lp.col], h: cellH + top[lp.row] + bottom[lp.row] };
  }
  return { boxes, legendBox };
}
