/**
 * Text for the figures: width estimates, SVG escaping, number formats and a small
 * subset of matplotlib's mathtext.
 *
 * Layout (tight layout, colour-bar labels, legends) must know how wide a label is
 * before any browser sees the SVG. The figures ask for DejaVu Sans (matplotlib's default
 * font), so the widths come from a table of DejaVu Sans advance widths for printable
 * ASCII (measured once with matplotlib's FreeType wrapper); other characters count as
 * 0.6 em. A fallback font in the viewer may be a little narrower or wider; the layout
 * keeps a few pixels of slack for that.
 */

/** Advance widths in em of DejaVu Sans for the characters 32 (space) … 126 (~). */
const DEJAVU_WIDTHS = [
  0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361, 0.318, 0.337, 0.636,
  0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.0, 0.684,
  0.686, 0.698, 0.77, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787,
  0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337, 0.39, 0.838, 0.5, 0.5, 0.613, 0.635,
  0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411,
  0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
];

/** The font stack written into every figure. */
export const FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif";

/** Points → pixels at the figures' 100 dpi. */
export const PT = 100 / 72;

/** Width in px of `s` at font size `size` px (mathtext is measured after conversion). */
export function textWidth(s: string, size: number): number {
  const segs = parseMathtext(s);
  let w = 0;
  for (const seg of segs) w += rawWidth(seg.text, size * (seg.shift === 0 ? 1 : 0.7));
  return w;
}

function rawWidth(s: string, size: number): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    w += c >= 32 && c <= 126 ? DEJAVU_WIDTHS[c - 32] : c === 0x2212 ? 0.838 : 0.6;
  }
  return w * size;
}

/** Escapes text for SVG content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number rounded for SVG coordinates (two decimals, no trailing zeros). */
export function f2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A number rounded to one decimal for dense paths. */
export function f1(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** One run of text: plain, or italic math, raised (shift > 0) or lowered (shift < 0). */
interface TextSeg {
  text: string;
  italic: boolean;
  shift: number;
}

const TEX_SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', lambda: 'λ', mu: 'μ', sigma: 'σ', pi: 'π',
  theta: 'θ', Sigma: 'Σ', Delta: 'Δ', cdot: '·', times: '×', pm: '±', leq: '≤', geq: '≥', infty: '∞', approx: '≈',
};

/**
 * Splits a label into runs: text outside `$…$` is plain; inside, letters are italic,
 * `_x` / `_{…}` are subscripts, `^x` / `^{…}` superscripts, and a few `\name` symbols
 * (Greek letters, \cdot, \times, …) are replaced. Enough for the lecture's axis labels
 * such as `$|f - med_{3x3}(f)|$`.
 */
function parseMathtext(s: string): TextSeg[] {
  if (!s.includes('$')) return [{ text: s, italic: false, shift: 0 }];
  const out: TextSeg[] = [];
  const parts = s.split('$');
  parts.forEach((part, k) => {
    if (k % 2 === 0) {
      if (part) out.push({ text: part, italic: false, shift: 0 });
      return;
    }
    let i = 0;
    let buf = '';
    const flush = (): void => {
      if (buf) out.push({ text: buf, italic: true, shift: 0 });
      buf = '';
    };
    while (i < part.length) {
      const ch = part[i];
      if (ch === '_' || ch === '^') {
        flush();
        let body: string;
        if (part[i + 1] === '{') {
          const end = part.indexOf('}', i + 2);
          body = part.slice(i + 2, end < 0 ? part.length : end);
          i = end < 0 ? part.length : end + 1;
        } else {
          body = part[i + 1] ?? '';
          i += 2;
        }
        out.push({ text: replaceSymbols(body), italic: true, shift: ch === '^' ? 1 : -1 });
      } else if (ch === '\\') {
        const m = /^\\([A-Za-z]+)/.exec(part.slice(i));
        const name = m ? m[1] : '';
        buf += TEX_SYMBOLS[name] ?? name;
        i += 1 + name.length;
      } else if (ch === '{' || ch === '}') {
        i++;
      } else {
        buf += ch === '-' ? '−' : ch;
        i++;
      }
    }
    flush();
  });
  return out;
}

function replaceSymbols(s: string): string {
  return s.replace(/\\([A-Za-z]+)/g, (_, n: string) => TEX_SYMBOLS[n] ?? n).replace(/[{}]/g, '');
}

/** Options of {@link svgText}. */
export interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  /** 'baseline' (y is the baseline), 'middle' (y is the centre), 'top', 'bottom'. */
  valign?: 'baseline' | 'middle' | 'top' | 'bottom';
  color?: string;
  rotate?: number;
  weight?: 'normal' | 'bold';
}

/**
 * An SVG `<text>` element. Vertical alignment is done with explicit baseline offsets
 * (not `dominant-baseline`, which renderers disagree on), using DejaVu Sans' cap height.
 */
export function svgText(x: number, y: number, s: string, st: TextStyle): string {
  const size = st.size;
  // DejaVu Sans: cap height ≈ 0.73 em, descender ≈ 0.24 em.
  const dy =
    st.valign === 'middle' ? 0.36 * size : st.valign === 'top' ? 0.76 * size : st.valign === 'bottom' ? -0.24 * size : 0;
  const attrs = [
    `x="${f2(x)}"`,
    `y="${f2(y + (st.rotate ? 0 : dy))}"`,
    `font-size="${f2(size)}"`,
    st.anchor && st.anchor !== 'start' ? `text-anchor="${st.anchor}"` : '',
    st.color && st.color !== '#000000' ? `fill="${st.color}"` : '',
    st.weight === 'bold' ? 'font-weight="bold"' : '',
    st.rotate ? `transform="rotate(${st.rotate} ${f2(x)} ${f2(y)}) translate(0 ${f2(dy)})"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const segs = parseMathtext(s);
  if (segs.length === 1 && !segs[0].italic) return `<text ${attrs}>${esc(s)}</text>`;
  let inner = '';
  let shifted = 0;
  for (const seg of segs) {
    const want = seg.shift * size * 0.3;
    const d = -(want - shifted);
    shifted = want;
    inner += `<tspan${seg.italic ? ' font-style="italic"' : ''}${d !== 0 ? ` dy="${f2(d)}"` : ''}${seg.shift !== 0 ? ` font-size="${f2(size * 0.7)}"` : ''}>${esc(seg.text)}</tspan>`;
  }
  if (shifted !== 0) inner += `<tspan dy="${f2(shifted)}"></tspan>`;
  return `<text ${attrs}>${inner}</text>`;
}

/**
 * `toFixed` with Python's rounding: a value exactly halfway (in binary) rounds to the even
 * digit (0.625 → '0.62', as `'%.2f' % 0.625`), where JavaScript rounds up.
 */
function toFixedEven(v: number, p: number): string {
  const s = v.toFixed(p);
  if (p > 70) return s;
  const exact = Math.abs(v).toFixed(Math.min(100, p + 30));
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + p);
  if (!/^50*$/.test(rest)) return s;
  // exact tie: truncate, then round up only when the kept last digit is odd
  const kept = exact.slice(0, dot + 1 + p).replace(/\.$/, '');
  const last = Number(kept[kept.length - 1]);
  if (last % 2 === 0) return (v < 0 ? '-' : '') + kept;
  return s;
}

/**
 * Formats a number like Python's format spec for the few specs the lecture uses:
 * `.Ng` (default `.2g`, seaborn's annotation format), `.Nf`, `.Ne`, `d`, `.N%`.
 *
 * @param v the value
 * @param fmt format spec without braces, e.g. '.2g', '.3f', 'd'
 * @returns the formatted text (minus sign as U+2212 like matplotlib)
 * @example
 *   formatNumber(0.0068123, '.2g'); // '0.0068'
 */
export function formatNumber(v: number, fmt = '.2g'): string {
  if (!Number.isFinite(v)) return String(v);
  const m = /^\.?(\d*)([gfe%d])$/.exec(fmt);
  if (!m) throw new Error(`formatNumber: unsupported format '${fmt}' (use .Ng, .Nf, .Ne, .N% or d)`);
  const p = m[1] === '' ? 6 : Number(m[1]);
  let s: string;
  switch (m[2]) {
    case 'd':
      s = String(Math.round(v));
      break;
    case 'f':
      s = toFixedEven(v, p);
      break;
    case 'e':
      s = v.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case '%':
      s = (v * 100).toFixed(p) + '%';
      break;
    default: {
      const prec = Math.max(1, p);
      if (v === 0) {
        s = '0';
        break;
      }
      const exp = Math.floor(Math.log10(Math.abs(v)));
      if (exp < -4 || exp >= prec) {
        s = v.toExponential(prec - 1).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
      } else {
        s = toFixedEven(v, Math.max(0, prec - 1 - exp));
        if (s.includes('.')) s = s.replace(/\.?0+$/, '');
      }
    }
  }
  return s.replace(/^-/, '−');
}
