/**
 * Rendering: one panel as SVG — grid, artists (clipped to the panel), spines, ticks and
 * tick labels, axis labels, title, then the legend and the colour bar.
 *
 * Design: a pure function of the panel's recorded state (`artists.ts`), its layout
 * (`layout.ts`) and its final box. Data map to pixels through d3-scale's linear scales.
 * Paths are written with one or two decimals (`f1`, `f2`) and a polyline skips points
 * closer than a quarter pixel to the last one drawn, which keeps long series small. Image
 * artists are rasterised by `raster.ts`, legends by `legend.ts`, colour bars by
 * `colorbar.ts`; text (mathtext subset, alignment) by `text.ts`.
 */
import { scaleLinear } from 'd3-scale';
import type { Artist, PanelLayout, PanelState } from './artists.js';
import { renderColorbar } from './colorbar.js';
import { legendAvoidPoints, legendEntries, renderLegend } from './legend.js';
import { renderImageArtist } from './raster.js';
import { STYLE, dashArray, markerPath } from './style.js';
import { PT, f1, f2, svgText, textWidth } from './text.js';
import type { Box } from './types.js';

type Scale = (v: number) => number;

/**
 * SVG of a panel in `box`, laid out by `layoutPanel` for that box. `uid` makes clip-path
 * and gradient ids unique within a page that shows several figures.
 */
export function renderPanel(s: PanelState, lay: PanelLayout, box: Box, uid: string): string {
  const { x, y, w, h } = box;
  const sx = scaleLinear().domain([lay.view.x0, lay.view.x1]).range([x, x + w]);
  const sy = scaleLinear().domain([lay.view.y0, lay.view.y1]).range([y + h, y]);
  const parts: string[] = [];
  const clip = `${uid}-c`;
  parts.push(`<clipPath id="${clip}"><rect x="${f2(x)}" y="${f2(y)}" width="${f2(w)}" height="${f2(h)}"/></clipPath>`);
  if (s.grid && s.axisOn) {
    let g = '';
    for (const v of lay.xt.values) g += `M${f2(sx(v))} ${f2(y)}v${f2(h)}`;
    for (const v of lay.yt.values) g += `M${f2(x)} ${f2(sy(v))}h${f2(w)}`;
    parts.push(`<path d="${g}" stroke="#b0b0b0" stroke-width="${f2(0.8 * PT)}" fill="none"/>`);
  }
  const body: string[] = [];
  for (const a of s.artists) {
    const svg = renderArtist(a, sx, sy, box);
    if (svg) body.push(svg);
  }
  parts.push(`<g clip-path="url(#${clip})">${body.filter((t) => !t.startsWith('<text')).join('')}</g>`);
  parts.push(body.filter((t) => t.startsWith('<text')).join(''));
  if (s.axisOn) parts.push(renderAxisDecorations(s, lay, box, sx, sy));
  if (s.title) {
    const ty = y - STYLE.titlePad - (s.xTop && s.axisOn ? STYLE.tickLen + STYLE.tickPad + STYLE.font * 1.25 : 0) - (lay.yt.offset && s.axisOn ? STYLE.font * 1.1 : 0);
    parts.push(svgText(x + w / 2, ty, s.title, { size: s.titleSize, anchor: 'middle', valign: 'bottom' }));
  }
  if (s.legendOpts) {
    const entries = legendEntries(s.artists, s.legendOpts.labels);
    if (entries.length) parts.push(renderLegend(entries, box, s.legendOpts, legendAvoidPoints(s.artists, sx, sy)));
  }
  if (s.colorbarSpec) parts.push(renderColorbar(s.colorbarSpec, lay.cbt, box, uid));
  return `<g class="axes">${parts.join('')}</g>`;
}

/** SVG of one artist (images through raster.ts). */
function renderArtist(a: Artist, sx: Scale, sy: Scale, box: Box): string {
  const op = (alpha: number): string => (alpha < 1 ? ` opacity="${f2(alpha)}"` : '');
  switch (a.kind) {
    case 'image':
      return renderImageArtist(a, sx, sy, box);
    case 'line': {
      let out = '';
      if (a.dash !== 'none' && a.dash !== '') {
        let d = '';
        let pen = false;
        let lastX = NaN;
        let lastY = NaN;
        for (let i = 0; i < a.xs.length; i++) {
          const px = sx(a.xs[i]);
          const py = sy(a.ys[i]);
          if (!Number.isFinite(px) || !Number.isFinite(py)) {
            pen = false;
            continue;
          }
          const X = f1(px);
          const Y = f1(py);
          if (pen && Math.abs(px - lastX) < 0.25 && Math.abs(py - lastY) < 0.25 && i < a.xs.length - 1) continue;
          d += `${pen ? 'L' : 'M'}${X} ${Y}`;
          pen = true;
          lastX = px;
          lastY = py;
        }
        const da = dashArray(a.dash, a.width);
        out += `<path d="${d}" fill="none" stroke="${a.color}" stroke-width="${f2(a.width)}" stroke-linejoin="round" stroke-linecap="${a.dash === '-' ? 'square' : 'butt'}"${da ? ` stroke-dasharray="${da}"` : ''}${op(a.alpha)}/>`;
      }
      if (a.marker) {
        const pts: number[] = [];
        for (let i = 0; i < a.xs.length; i++) pts.push(sx(a.xs[i]), sy(a.ys[i]));
        const { d, stroke } = markerPath(a.marker, pts, a.markersize / 2);
        out += stroke
          ? `<path d="${d}" fill="none" stroke="${a.color}" stroke-width="${f2(PT)}"${op(a.alpha)}/>`
          : `<path d="${d}" fill="${a.color}"${op(a.alpha)}/>`;
      }
      return out;
    }
    case 'scatter': {
      const groups = new Map<string, number[]>();
      const uniform = typeof a.sizes === 'number';
      const n = a.xs.length;
      const r0 = uniform ? (Math.sqrt(a.sizes as number) / 2) * PT : 0;
      let out = '';
      if (uniform) {
        for (let i = 0; i < n; i++) {
          const c = typeof a.colors === 'string' ? a.colors : a.colors[i];
          let g = groups.get(c);
          if (!g) groups.set(c, (g = []));
          g.push(sx(a.xs[i]), sy(a.ys[i]));
        }
        for (const [c, pts] of groups) {
          const { d, stroke } = markerPath(a.marker, pts, r0);
          out += stroke ? `<path d="${d}" fill="none" stroke="${c}" stroke-width="${f2(PT)}"${op(a.alpha)}/>` : `<path d="${d}" fill="${c}"${op(a.alpha)}/>`;
        }
      } else {
        const sz = a.sizes as Float64Array;
        for (let i = 0; i < n; i++) {
          const c = typeof a.colors === 'string' ? a.colors : a.colors[i];
          const { d, stroke } = markerPath(a.marker, [sx(a.xs[i]), sy(a.ys[i])], (Math.sqrt(sz[i % sz.length]) / 2) * PT);
          out += stroke ? `<path d="${d}" fill="none" stroke="${c}"${op(a.alpha)}/>` : `<path d="${d}" fill="${c}"${op(a.alpha)}/>`;
        }
      }
      return out;
    }
    case 'bars': {
      if (a.step) {
        let d = `M${f1(sx(a.lefts[0]))} ${f1(sy(0))}`;
        a.lefts.forEach((l, i) => {
          d += `L${f1(sx(l))} ${f1(sy(a.heights[i]))}L${f1(sx(l + a.widths[i]))} ${f1(sy(a.heights[i]))}`;
        });
        d += `L${f1(sx(a.lefts[a.lefts.length - 1] + a.widths[a.widths.length - 1]))} ${f1(sy(0))}`;
        return `<path d="${d}" fill="none" stroke="${a.color}" stroke-width="${f2(STYLE.lineWidth)}"${op(a.alpha)}/>`;
      }
      let d = '';
      a.lefts.forEach((l, i) => {
        const x0 = sx(l);
        const x1 = sx(l + a.widths[i]);
        const y0 = sy(0);
        const y1 = sy(a.heights[i]);
        d += `M${f2(Math.min(x0, x1))} ${f2(Math.min(y0, y1))}h${f2(Math.abs(x1 - x0))}v${f2(Math.abs(y1 - y0))}h${f2(-Math.abs(x1 - x0))}z`;
      });
      return `<path class="bars" d="${d}" fill="${a.color}"${a.edgecolor ? ` stroke="${a.edgecolor}" stroke-width="${f2(PT)}"` : ''}${op(a.alpha)}/>`;
    }
    case 'vline':
    case 'hline': {
      const da = dashArray(a.dash, a.width);
      const common = `stroke="${a.color}" stroke-width="${f2(a.width)}"${da ? ` stroke-dasharray="${da}"` : ''}${op(a.alpha)}`;
      if (a.kind === 'vline') {
        const px = sx(a.v);
        return `<path d="M${f2(px)} ${f2(box.y + box.h * (1 - a.from))}V${f2(box.y + box.h * (1 - a.to))}" ${common}/>`;
      }
      const py = sy(a.v);
      return `<path d="M${f2(box.x + box.w * a.from)} ${f2(py)}H${f2(box.x + box.w * a.to)}" ${common}/>`;
    }
    case 'ellipse':
    case 'rect': {
      const cx = sx(a.cx);
      const cy = sy(a.cy);
      const rw = Math.abs(sx(a.cx + a.w / 2) - cx);
      const rh = Math.abs(sy(a.cy + a.h / 2) - cy);
      const da = dashArray(a.dash, a.width);
      const style = `fill="${a.face}" stroke="${a.edge}" stroke-width="${f2(a.width)}"${da ? ` stroke-dasharray="${da}"` : ''}${op(a.alpha)}${a.angle ? ` transform="rotate(${f2(-a.angle)} ${f2(cx)} ${f2(cy)})"` : ''}`;
      return a.kind === 'ellipse'
        ? `<ellipse cx="${f2(cx)}" cy="${f2(cy)}" rx="${f2(rw)}" ry="${f2(rh)}" ${style}/>`
        : `<rect x="${f2(cx - rw)}" y="${f2(cy - rh)}" width="${f2(2 * rw)}" height="${f2(2 * rh)}" ${style}/>`;
    }
    case 'polygon': {
      let d = '';
      for (let i = 0; i < a.xs.length; i++) d += `${i ? 'L' : 'M'}${f2(sx(a.xs[i]))} ${f2(sy(a.ys[i]))}`;
      const da = dashArray(a.dash, a.width);
      const stroke = a.edge === 'none' ? 'stroke="none"' : `stroke="${a.edge}" stroke-width="${f2(a.width)}"${da ? ` stroke-dasharray="${da}"` : ''}`;
      return `<path d="${d}Z" fill="${a.face}" ${stroke} stroke-linejoin="round"${op(a.alpha)}/>`;
    }
    case 'arrow': {
      const x0 = sx(a.x), y0 = sy(a.y), x1 = sx(a.x + a.dx), y1 = sy(a.y + a.dy);
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (!(len > 0)) return '';
      const ux = (x1 - x0) / len, uy = (y1 - y0) / len;
      const head = Math.min(a.head, len);
      const bx = x1 - ux * head, by = y1 - uy * head;
      const hw = head * 0.45;
      const da = dashArray(a.dash, a.width);
      return `<path d="M${f2(x0)} ${f2(y0)}L${f2(bx)} ${f2(by)}" fill="none" stroke="${a.color}" stroke-width="${f2(a.width)}"${da ? ` stroke-dasharray="${da}"` : ''}${op(a.alpha)}/>` +
        `<path d="M${f2(x1)} ${f2(y1)}L${f2(bx - uy * hw)} ${f2(by + ux * hw)}L${f2(bx + uy * hw)} ${f2(by - ux * hw)}Z" fill="${a.color}"${op(a.alpha)}/>`;
    }
    case 'text': {
      const px = a.axesCoords ? box.x + a.x * box.w : sx(a.x);
      const py = a.axesCoords ? box.y + (1 - a.y) * box.h : sy(a.y);
      return svgText(px, py, a.s, {
        size: a.size, color: a.color, weight: a.weight, rotate: a.rotation ? -a.rotation : undefined,
        anchor: a.ha === 'center' ? 'middle' : a.ha === 'right' ? 'end' : 'start',
        valign: a.va === 'center' ? 'middle' : a.va,
      });
    }
  }
}

/** Spines, ticks, tick labels, offset texts and axis labels of a panel. */
function renderAxisDecorations(s: PanelState, lay: PanelLayout, box: Box, sx: Scale, sy: Scale): string {
  const { x, y, w, h } = box;
  const font = STYLE.font;
  const out: string[] = [];
  if (s.spines) out.push(`<rect x="${f2(x)}" y="${f2(y)}" width="${f2(w)}" height="${f2(h)}" fill="none" stroke="#000" stroke-width="${f2(STYLE.spineWidth)}" stroke-linejoin="miter"/>`);
  let ticks = '';
  const labels: string[] = [];
  const tl = STYLE.tickLen;
  const inX = (px: number): boolean => px >= x - 0.5 && px <= x + w + 0.5;
  const inY = (py: number): boolean => py >= y - 0.5 && py <= y + h + 0.5;
  lay.xt.values.forEach((v, i) => {
    const px = sx(v);
    if (!inX(px)) return;
    if (s.xTop) {
      ticks += `M${f2(px)} ${f2(y)}v${f2(-tl)}`;
      labels.push(svgText(px, y - tl - STYLE.tickPad, lay.xt.labels[i], { size: font, anchor: 'middle', valign: 'bottom' }));
    } else {
      ticks += `M${f2(px)} ${f2(y + h)}v${f2(tl)}`;
      labels.push(svgText(px, y + h + tl + STYLE.tickPad, lay.xt.labels[i], { size: font, anchor: 'middle', valign: 'top' }));
    }
  });
  const yRot = s.yticksUser?.rotation === 90;
  lay.yt.values.forEach((v, i) => {
    const py = sy(v);
    if (!inY(py)) return;
    ticks += `M${f2(x)} ${f2(py)}h${f2(-tl)}`;
    labels.push(
      yRot
        ? svgText(x - tl - STYLE.tickPad - font * 0.25, py, lay.yt.labels[i], { size: font, anchor: 'middle', rotate: -90 })
        : svgText(x - tl - STYLE.tickPad, py, lay.yt.labels[i], { size: font, anchor: 'end', valign: 'middle' }),
    );
  });
  out.push(`<path class="ticks" d="${ticks}" stroke="#000" stroke-width="${f2(STYLE.tickWidth)}"/>`);
  out.push(`<g class="ticklabels">${labels.join('')}</g>`);
  if (lay.yt.offset) out.push(svgText(x, y - 2, lay.yt.offset, { size: font, valign: 'bottom' }));
  if (lay.xt.offset) out.push(svgText(x + w, y + h + tl + STYLE.tickPad + font * 1.3, lay.xt.offset, { size: font, anchor: 'end', valign: 'top' }));
  if (s.xlabel) {
    const ly = s.xTop ? y + h + STYLE.labelPad : y + h + tl + STYLE.tickPad + font * 1.25 + STYLE.labelPad;
    out.push(svgText(x + w / 2, ly, s.xlabel, { size: font, anchor: 'middle', valign: 'top' }));
  }
  if (s.ylabel) {
    const ytw = yRot ? font * 1.2 : Math.max(0, ...lay.yt.labels.map((l) => textWidth(l, font)));
    const lx = x - tl - STYLE.tickPad - ytw - STYLE.labelPad - font * 0.25;
    out.push(svgText(lx, y + h / 2, s.ylabel, { size: font, anchor: 'middle', rotate: -90 }));
  }
  return out.join('');
}
