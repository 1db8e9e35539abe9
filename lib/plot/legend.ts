/**
 * Legends: which artists get a row, how big the box is, where it goes ('best' avoids the
 * data), and its SVG (a handle that looks like the artist, then the label).
 *
 * Design: a legend is computed from the artists' records, never from rendered SVG, so the
 * figure can size a legend outside the panels (`fig.legend`) before any panel is drawn.
 * Handles are drawn with the same dash patterns and marker paths as the artists
 * (`style.ts`). Sizes follow matplotlib's defaults (font 10 pt, handle 2 em, padding 0.4 em).
 */
import type { Artist, Dash } from './artists.js';
import { STYLE, dashArray, markerPath } from './style.js';
import { PT, f2, svgText, textWidth } from './text.js';
import type { Box, LegendEntry, LegendLoc, LegendOptions, MarkerName } from './types.js';

/** Legend rows of a panel's artists: the labelled ones, or all of them (in drawing order) when `labels` are given. */
export function legendEntries(artists: readonly Artist[], labels?: readonly string[]): LegendEntry[] {
  const out: LegendEntry[] = [];
  let k = 0;
  for (const a of artists) {
    if (a.kind === 'image' || a.kind === 'text' || a.kind === 'arrow') continue;
    const label = labels ? labels[k++] : a.label;
    if (label === undefined || label === '' || label.startsWith('_')) continue;
    if (a.kind === 'line') out.push({ label, kind: a.dash === 'none' || a.dash === '' ? 'marker' : 'line', color: a.color, linestyle: a.dash, marker: a.marker, alpha: a.alpha, linewidth: a.width });
    else if (a.kind === 'scatter') out.push({ label, kind: 'marker', color: typeof a.colors === 'string' ? a.colors : a.colors[0] ?? '#000000', marker: a.marker, alpha: a.alpha });
    else if (a.kind === 'bars') out.push({ label, kind: 'patch', color: a.color, alpha: a.alpha });
    else if (a.kind === 'vline' || a.kind === 'hline') out.push({ label, kind: 'line', color: a.color, linestyle: a.dash, alpha: a.alpha, linewidth: a.width });
    else if (a.kind === 'ellipse' || a.kind === 'rect' || a.kind === 'polygon') out.push({ label, kind: 'patch', color: a.face === 'none' ? a.edge : a.face, alpha: a.alpha });
  }
  return out;
}

/** Pixel points of the lines and scatters (at most ~1000 per artist) that a 'best' legend should not cover. */
export function legendAvoidPoints(artists: readonly Artist[], sx: (v: number) => number, sy: (v: number) => number): number[] {
  const pts: number[] = [];
  for (const a of artists) {
    if (a.kind !== 'line' && a.kind !== 'scatter') continue;
    const step = Math.max(1, Math.floor(a.xs.length / 1000));
    for (let i = 0; i < a.xs.length; i += step) pts.push(sx(a.xs[i]), sy(a.ys[i]));
  }
  return pts;
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
