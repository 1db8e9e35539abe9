/**
 * Line and marker styles: matplotlib's sizes at 100 dpi, its format strings ('r--', 'go',
 * 'k:'), dash patterns scaled with the line width, marker shapes as SVG paths, and the
 * luminance rule seaborn uses to pick dark or light text on a coloured cell.
 *
 * Design: pure functions of their arguments, shared by the panel renderer (`render.ts`)
 * and the legend (`legend.ts`), so a line and its legend handle always look the same.
 */
import type { Dash } from './artists.js';
import { parseColor } from './colors.js';
import { PT, f1, f2 } from './text.js';
import type { MarkerName } from './types.js';

/** matplotlib's sizes at 100 dpi, in px. */
export const STYLE = {
  font: 10 * PT,
  titleFont: 12 * PT,
  tickLen: 3.5 * PT,
  tickPad: 3.5 * PT,
  tickWidth: 0.8 * PT,
  spineWidth: 0.8 * PT,
  titlePad: 6 * PT,
  labelPad: 4 * PT,
  lineWidth: 1.5 * PT,
  markerSize: 6 * PT,
} as const;

const FMT_RE = /^(?<color>[bgrcmykw])?(?<marker>[.o,s^v+x*D])?(?<line>--|-\.|-|:)?(?<marker2>[.o,s^v+x*D])?$/;

/** Reads a matplotlib format string (colour, marker, line style in either order). */
export function parseFmt(fmt: string): { color?: string; marker?: MarkerName; linestyle?: Dash } {
  const m = FMT_RE.exec(fmt) ?? /^(?<marker>[.o,s^v+x*D])?(?<line>--|-\.|-|:)?(?<color>[bgrcmykw])?$/.exec(fmt);
  if (!m || !m.groups) throw new Error(`plot: cannot read format string '${fmt}' (use e.g. 'r-', 'b--', 'go', 'k:')`);
  const g = m.groups;
  const marker = (g.marker ?? g.marker2) as MarkerName | ',' | undefined;
  return {
    color: g.color,
    marker: marker === ',' ? '.' : marker,
    linestyle: (g.line as Dash | undefined) ?? (marker ? 'none' : undefined),
  };
}

/** SVG stroke-dasharray of a line style at line width `lw` (matplotlib's dash patterns). */
export function dashArray(d: Dash, lw: number): string {
  switch (d) {
    case '--':
      return `${f2(3.7 * lw)} ${f2(1.6 * lw)}`;
    case ':':
      return `${f2(lw)} ${f2(1.65 * lw)}`;
    case '-.':
      return `${f2(6.4 * lw)} ${f2(1.6 * lw)} ${f2(lw)} ${f2(1.6 * lw)}`;
    default:
      return '';
  }
}

/** SVG path data of `n` markers of one shape centred at the given pixel points. */
export function markerPath(marker: MarkerName, pts: readonly number[], r: number): { d: string; stroke: boolean } {
  let d = '';
  const R = f2(r);
  const D = f2(2 * r);
  for (let i = 0; i < pts.length; i += 2) {
    const x = pts[i];
    const y = pts[i + 1];
    switch (marker) {
      case 's':
        d += `M${f1(x - r)} ${f1(y - r)}h${D}v${D}h-${D}z`;
        break;
      case '^':
        d += `M${f1(x)} ${f1(y - r)}l${R} ${D}h-${D}z`;
        break;
      case 'v':
        d += `M${f1(x)} ${f1(y + r)}l${R} -${D}h-${D}z`;
        break;
      case 'D':
        d += `M${f1(x)} ${f1(y - r)}l${R} ${R}l-${R} ${R}l-${R} -${R}z`;
        break;
      case '+':
        d += `M${f1(x - r)} ${f1(y)}h${D}M${f1(x)} ${f1(y - r)}v${D}`;
        break;
      case 'x':
        d += `M${f1(x - r)} ${f1(y - r)}l${D} ${D}M${f1(x - r)} ${f1(y + r)}l${D} -${D}`;
        break;
      case '*': {
        for (let k = 0; k < 10; k++) {
          const a = -Math.PI / 2 + (k * Math.PI) / 5;
          const rr = k % 2 ? r * 0.4 : r;
          d += `${k ? 'L' : 'M'}${f1(x + rr * Math.cos(a))} ${f1(y + rr * Math.sin(a))}`;
        }
        d += 'z';
        break;
      }
      default:
        // a circle as two arcs
        d += `M${f1(x - r)} ${f1(y)}a${R} ${R} 0 1 0 ${D} 0a${R} ${R} 0 1 0 -${D} 0z`;
    }
  }
  return { d, stroke: marker === '+' || marker === 'x' };
}

/** Relative luminance (WCAG), as seaborn uses to pick dark or light annotation text. */
export function luminance(hex: string): number {
  const [r, g, b] = parseColor(hex).map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
