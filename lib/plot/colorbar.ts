/**
 * Colour bars: the strip beside a panel that maps colours back to values, with its ticks
 * and label (matplotlib's `fig.colorbar`, seaborn's heat-map bar without outline).
 *
 * Design: the bar's size follows the panel's height (5 % padding, a width of h/20, both
 * clamped), so a small panel gets a thin bar. Layout asks {@link colorbarLayout} for the
 * ticks and the width the bar needs beside the panel before the figure's grid is sized;
 * {@link renderColorbar} draws it once the panel's box is final. Listed and short colour
 * maps are drawn as one rectangle per colour (sharp class boundaries); continuous maps as a
 * 32-stop gradient.
 */
import type { PanelState, TickSet } from './artists.js';
import { STYLE } from './style.js';
import { f2, svgText, textWidth } from './text.js';
import { formatTicks, panelTicks } from './ticks.js';
import type { Box } from './types.js';

type ColorbarSpec = NonNullable<PanelState['colorbarSpec']>;

/** Gap between panel and bar, and the bar's width, for a panel `h` px high. */
function colorbarGeometry(h: number): { pad: number; width: number } {
  return { pad: Math.max(8, Math.min(20, h * 0.05)), width: Math.max(10, Math.min(22, h / 20)) };
}

/**
 * The colour bar's ticks and the width it takes beside a panel `h` px high (bar, ticks,
 * tick labels and label).
 */
export function colorbarLayout(spec: ColorbarSpec, h: number): { ticks: TickSet; width: number } {
  const { pad, width } = colorbarGeometry(h);
  const m = spec.mappable;
  const nb = Math.max(1, Math.min(9, Math.floor((h * 0.72) / 20)));
  const ticks = spec.opts.ticks
    ? { values: [...spec.opts.ticks], labels: spec.opts.ticklabels ? [...spec.opts.ticklabels] : formatTicks(spec.opts.ticks) }
    : panelTicks(undefined, m.vmin, m.vmax, nb);
  const lw = Math.max(0, ...ticks.labels.map((l) => textWidth(l, STYLE.font)));
  const total = pad + width + STYLE.tickLen + STYLE.tickPad + lw + (spec.opts.label ? STYLE.labelPad + STYLE.font * 1.25 : 0) + 4;
  return { ticks, width: total };
}

/** SVG of the colour bar beside the panel `box`; `uid` keeps gradient ids unique on a page. */
export function renderColorbar(spec: ColorbarSpec, ticks: TickSet, box: Box, uid: string): string {
  const m = spec.mappable;
  const { pad, width } = colorbarGeometry(box.h);
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
  let path = '';
  const labels: string[] = [];
  let maxw = 0;
  ticks.values.forEach((v, i) => {
    const py = vy(v);
    if (py < y - 0.5 || py > y + h + 0.5) return;
    path += `M${f2(x + width)} ${f2(py)}h${f2(STYLE.tickLen)}`;
    labels.push(svgText(x + width + STYLE.tickLen + STYLE.tickPad, py, ticks.labels[i], { size: STYLE.font, valign: 'middle' }));
    maxw = Math.max(maxw, textWidth(ticks.labels[i], STYLE.font));
  });
  out.push(`<path d="${path}" stroke="#000" stroke-width="${f2(STYLE.tickWidth)}"/>`);
  out.push(labels.join(''));
  if (spec.opts.label) {
    const lx = x + width + STYLE.tickLen + STYLE.tickPad + maxw + STYLE.labelPad + STYLE.font * 0.9;
    out.push(svgText(lx, y + h / 2, spec.opts.label, { size: STYLE.font, anchor: 'middle', rotate: -90 }));
  }
  return `<g class="colorbar">${out.join('')}</g>`;
}
