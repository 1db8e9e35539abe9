/**
 * Colours and colour maps for the figures, named and behaving like matplotlib's.
 *
 * - Perceptual maps (viridis, magma, inferno, plasma, cividis) and the ColorBrewer maps
 *   (Greys, Blues, …, RdBu) come from d3-scale-chromatic, whose data are the same
 *   published tables matplotlib uses — no need to copy them again.
 * - gray, hot, bone and jet are matplotlib's piecewise-linear segment definitions,
 *   written out here (d3 has no equivalent); the tests compare them with matplotlib.
 * - rocket (seaborn's default heat-map map, used for the confusion matrices) is
 *   interpolated from 18 anchor colours sampled from seaborn's table (error < 1/255
 *   per channel in practice, invisible).
 * - A colour map is a lookup table of N RGBA entries, like matplotlib's: continuous maps
 *   have N = 256, listed maps (`buildCMap`, tab10) one entry per colour. Values are
 *   mapped as matplotlib does: t = (v − vmin)/(vmax − vmin), index = ⌊t·N⌋ clipped.
 */
import * as chroma from 'd3-scale-chromatic';

/** An RGBA colour: r, g, b in 0…255, a in 0…1. */
export type RGBA = readonly [number, number, number, number];

/** A colour as accepted everywhere: CSS/matplotlib name, '#rgb(a)', 'C0'…'C9', 'tab:blue', or [r, g, b(, a)] in 0…1. */
export type ColorSpec = string | readonly [number, number, number] | readonly [number, number, number, number];

/** matplotlib's default colour cycle (tab10). */
export const TAB10 = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
] as const;

const TAB_NAMES = ['blue', 'orange', 'green', 'red', 'purple', 'brown', 'pink', 'gray', 'olive', 'cyan'];

const NAMED: Record<string, string> = {
  // matplotlib's single-letter colours
  b: '#0000ff', g: '#008000', r: '#ff0000', c: '#00bfbf', m: '#bf00bf', y: '#bfbf00', k: '#000000', w: '#ffffff',
  // CSS names used in the lecture and common in notebooks
  black: '#000000', white: '#ffffff', red: '#ff0000', green: '#008000', blue: '#0000ff', cyan: '#00ffff',
  magenta: '#ff00ff', yellow: '#ffff00', gray: '#808080', grey: '#808080', darkgray: '#a9a9a9', darkgrey: '#a9a9a9',
  dimgray: '#696969', dimgrey: '#696969', lightgray: '#d3d3d3', lightgrey: '#d3d3d3', silver: '#c0c0c0',
  orange: '#ffa500', darkorange: '#ff8c00', purple: '#800080', brown: '#a52a2a', pink: '#ffc0cb', coral: '#ff7f50',
  tomato: '#ff6347', salmon: '#fa8072', crimson: '#dc143c', darkred: '#8b0000', gold: '#ffd700', olive: '#808000',
  lime: '#00ff00', limegreen: '#32cd32', darkgreen: '#006400', forestgreen: '#228b22', seagreen: '#2e8b57',
  teal: '#008080', navy: '#000080', darkblue: '#00008b', royalblue: '#4169e1', steelblue: '#4682b4',
  cornflowerblue: '#6495ed', dodgerblue: '#1e90ff', deepskyblue: '#00bfff', skyblue: '#87ceeb',
  lightblue: '#add8e6', turquoise: '#40e0d0', violet: '#ee82ee', orchid: '#da70d6', indigo: '#4b0082',
  hotpink: '#ff69b4', deeppink: '#ff1493', tan: '#d2b48c', chocolate: '#d2691e', khaki: '#f0e68c', beige: '#f5f5dc',
  ivory: '#fffff0', whitesmoke: '#f5f5f5', none: '#00000000', transparent: '#00000000',
};

function hex2(n: number): string {
  return Math.max(0, Math.min(255, Math.round(n))).toString(16).padStart(2, '0');
}

/**
 * Parses a colour.
 *
 * @param c a name ('red', 'coral', 'k'), '#rgb', '#rrggbb', '#rrggbbaa', 'rgb(r, g, b)',
 *   a cycle colour 'C0'…'C9', 'tab:blue', a grey level '0.5', or [r, g, b(, a)] floats in 0…1
 * @returns [r, g, b, a] with r, g, b in 0…255 and a in 0…1
 * @throws Error naming the colour when it is not understood
 * @example
 *   parseColor('cornflowerblue'); // [100, 149, 237, 1]
 */
export function parseColor(c: ColorSpec): RGBA {
  if (typeof c !== 'string') {
    if (c.length < 3 || c.some((v) => !Number.isFinite(v))) throw new Error(`parseColor: invalid colour [${c.join(', ')}]`);
    return [c[0] * 255, c[1] * 255, c[2] * 255, c.length > 3 ? (c[3] as number) : 1];
  }
  let s = c.trim();
  const lower = s.toLowerCase();
  if (/^c\d$/.test(lower)) s = TAB10[Number(lower[1])];
  else if (lower.startsWith('tab:')) {
    const i = TAB_NAMES.indexOf(lower.slice(4).replace('grey', 'gray'));
    if (i < 0) throw new Error(`parseColor: unknown colour '${c}'`);
    s = TAB10[i];
  } else if (NAMED[lower] !== undefined) s = NAMED[lower];
  else if (/^(0(\.\d+)?|1(\.0*)?)$/.test(lower)) {
    const g = Number(lower) * 255;
    return [g, g, g, 1];
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(s);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  const h = /^#([0-9a-f]+)$/i.exec(s);
  if (h) {
    const x = h[1];
    if (x.length === 3 || x.length === 4) {
      const v = [...x].map((d) => parseInt(d + d, 16));
      return [v[0], v[1], v[2], v.length > 3 ? v[3] / 255 : 1];
    }
    if (x.length === 6 || x.length === 8) {
      const v = [0, 2, 4, 6].slice(0, x.length / 2).map((i) => parseInt(x.slice(i, i + 2), 16));
      return [v[0], v[1], v[2], v.length > 3 ? v[3] / 255 : 1];
    }
  }
  throw new Error(`parseColor: unknown colour '${c}'`);
}

/** '#rrggbb' of a colour (alpha dropped; use {@link colorAlpha} for it). */
export function toHex(c: ColorSpec | RGBA): string {
  const [r, g, b] = typeof c === 'string' ? parseColor(c) : c.length === 4 ? c : parseColor(c);
  return `#${hex2(r)}${hex2(g)}${hex2(b)}`;
}

/** The alpha (0…1) of a colour. */
export function colorAlpha(c: ColorSpec): number {
  return parseColor(c)[3];
}

/**
 * A colour map: a lookup table of `n` RGBA entries (bytes), plus the colours for
 * values below / above the range and for NaN ("bad"). Behaves like matplotlib's
 * `Colormap`: `index(t)` maps t in [0, 1] to ⌊t·n⌋ clipped to n − 1.
 */
export class Colormap {
  /** Name ('viridis', 'listed', …). */
  readonly name: string;
  /** n × 4 bytes, RGBA. */
  readonly lut: Uint8Array;
  /** Number of colours. */
  readonly n: number;
  /** True for maps made from a list of colours (drawn with discrete colour-bar blocks). */
  readonly listed: boolean;

  /**
   * @param name the map's name
   * @param lut RGBA bytes, 4 per colour
   * @param listed true for a listed (discrete) map
   */
  constructor(name: string, lut: Uint8Array, listed = false) {
    if (lut.length === 0 || lut.length % 4 !== 0) throw new Error(`Colormap '${name}': lut length must be a positive multiple of 4`);
    this.name = name;
    this.lut = lut;
    this.n = lut.length / 4;
    this.listed = listed;
  }

  /** Index into the table for a normalised value t (NaN → -1). */
  index(t: number): number {
    if (Number.isNaN(t)) return -1;
    const i = Math.floor(t * this.n);
    return i < 0 ? 0 : i >= this.n ? this.n - 1 : i;
  }

  /** '#rrggbb' for a normalised value t in [0, 1]. */
  hex(t: number): string {
    const i = Math.max(0, this.index(t));
    return `#${hex2(this.lut[4 * i])}${hex2(this.lut[4 * i + 1])}${hex2(this.lut[4 * i + 2])}`;
  }

  /** The reversed map (matplotlib's `name_r`). */
  reversed(): Colormap {
    const out = new Uint8Array(this.lut.length);
    for (let i = 0; i < this.n; i++) out.set(this.lut.subarray(4 * (this.n - 1 - i), 4 * (this.n - i)), 4 * i);
    return new Colormap(this.name.endsWith('_r') ? this.name.slice(0, -2) : `${this.name}_r`, out, this.listed);
  }
}

type Segments = readonly (readonly [number, number])[];

function fromSegments(name: string, r: Segments, g: Segments, b: Segments): Colormap {
  const lut = new Uint8Array(256 * 4);
  const interp = (seg: Segments, x: number): number => {
    for (let k = 1; k < seg.length; k++) {
      if (x <= seg[k][0]) {
        const [x0, y0] = seg[k - 1];
        const [x1, y1] = seg[k];
        return x1 === x0 ? y1 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
      }
    }
    return seg[seg.length - 1][1];
  };
  for (let i = 0; i < 256; i++) {
    const x = i / 255;
    lut[4 * i] = Math.round(interp(r, x) * 255);
    lut[4 * i + 1] = Math.round(interp(g, x) * 255);
    lut[4 * i + 2] = Math.round(interp(b, x) * 255);
    lut[4 * i + 3] = 255;
  }
  return new Colormap(name, lut);
}

function fromInterpolator(name: string, f: (t: number) => string): Colormap {
  const lut = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = parseColor(f(i / 255));
    lut.set([Math.round(r), Math.round(g), Math.round(b), 255], 4 * i);
  }
  return new Colormap(name, lut);
}

function fromAnchors(name: string, anchors: readonly (readonly [number, number, number, number])[]): Colormap {
  const r: [number, number][] = [];
  const g: [number, number][] = [];
  const b: [number, number][] = [];
  for (const [x, rr, gg, bb] of anchors) {
    r.push([x, rr]);
    g.push([x, gg]);
    b.push([x, bb]);
  }
  return fromSegments(name, r, g, b);
}

// seaborn's rocket, sampled every 16th of its 256 entries (position, r, g, b).
const ROCKET_ANCHORS = [
  [0 / 255, 0.011, 0.018, 0.1], [16 / 255, 0.096, 0.061, 0.162], [32 / 255, 0.186, 0.092, 0.227],
  [48 / 255, 0.281, 0.111, 0.284], [64 / 255, 0.381, 0.121, 0.325], [80 / 255, 0.484, 0.12, 0.35],
  [96 / 255, 0.591, 0.108, 0.358], [112 / 255, 0.698, 0.089, 0.346], [128 / 255, 0.797, 0.105, 0.311],
  [144 / 255, 0.875, 0.186, 0.265], [160 / 255, 0.927, 0.298, 0.243], [176 / 255, 0.949, 0.42, 0.288],
  [192 / 255, 0.959, 0.533, 0.375], [208 / 255, 0.964, 0.638, 0.479], [224 / 255, 0.966, 0.738, 0.601],
  [240 / 255, 0.972, 0.833, 0.737], [1, 0.981, 0.921, 0.865],
] as const;

const BUILDERS: Record<string, () => Colormap> = {
  gray: () => fromSegments('gray', [[0, 0], [1, 1]], [[0, 0], [1, 1]], [[0, 0], [1, 1]]),
  hot: () =>
    fromSegments(
      'hot',
      [[0, 0.0416], [0.365079, 1], [1, 1]],
      [[0, 0], [0.365079, 0], [0.746032, 1], [1, 1]],
      [[0, 0], [0.746032, 0], [1, 1]],
    ),
  bone: () =>
    fromSegments(
      'bone',
      [[0, 0], [0.746032, 0.652778], [1, 1]],
      [[0, 0], [0.365079, 0.319444], [0.746032, 0.777778], [1, 1]],
      [[0, 0], [0.365079, 0.444444], [1, 1]],
    ),
  jet: () =>
    fromSegments(
      'jet',
      [[0, 0], [0.35, 0], [0.66, 1], [0.89, 1], [1, 0.5]],
      [[0, 0], [0.125, 0], [0.375, 1], [0.64, 1], [0.91, 0], [1, 0]],
      [[0, 0.5], [0.11, 1], [0.34, 1], [0.65, 0], [1, 0]],
    ),
  viridis: () => fromInterpolator('viridis', chroma.interpolateViridis),
  magma: () => fromInterpolator('magma', chroma.interpolateMagma),
  inferno: () => fromInterpolator('inferno', chroma.interpolateInferno),
  plasma: () => fromInterpolator('plasma', chroma.interpolatePlasma),
  cividis: () => fromInterpolator('cividis', chroma.interpolateCividis),
  Greys: () => fromInterpolator('Greys', chroma.interpolateGreys),
  Blues: () => fromInterpolator('Blues', chroma.interpolateBlues),
  Greens: () => fromInterpolator('Greens', chroma.interpolateGreens),
  Reds: () => fromInterpolator('Reds', chroma.interpolateReds),
  Oranges: () => fromInterpolator('Oranges', chroma.interpolateOranges),
  Purples: () => fromInterpolator('Purples', chroma.interpolatePurples),
  YlOrRd: () => fromInterpolator('YlOrRd', chroma.interpolateYlOrRd),
  RdBu: () => fromInterpolator('RdBu', chroma.interpolateRdBu),
  coolwarm: () => fromInterpolator('coolwarm', (t) => chroma.interpolateRdBu(1 - t)),
  rocket: () => fromAnchors('rocket', ROCKET_ANCHORS),
  tab10: () => buildCMap(TAB10, 'tab10'),
};
BUILDERS.grey = BUILDERS.gray;

const cache = new Map<string, Colormap>();

/** A colour map given by name or as a map. */
export type CmapSpec = string | Colormap;

/**
 * Looks up a colour map by matplotlib name ('gray', 'hot', 'bone', 'viridis', 'magma',
 * 'inferno', 'plasma', 'cividis', 'jet', 'Greys', 'Blues', 'Reds', 'RdBu', 'rocket',
 * 'tab10', …; a `_r` suffix reverses), or passes a {@link Colormap} through.
 *
 * @param spec name or map
 * @returns the colour map
 * @throws Error listing the known names when the name is unknown
 * @example
 *   getColormap('hot').hex(1); // '#ffffff'
 */
export function getColormap(spec: CmapSpec): Colormap {
  if (spec instanceof Colormap) return spec;
  if (typeof spec !== 'string') throw new Error('getColormap: cmap must be a name or a Colormap');
  const hit = cache.get(spec);
  if (hit) return hit;
  const rev = spec.endsWith('_r');
  const base = rev ? spec.slice(0, -2) : spec;
  const build = BUILDERS[base];
  if (!build) throw new Error(`getColormap: unknown colour map '${spec}' (known: ${Object.keys(BUILDERS).join(', ')}; add _r to reverse)`);
  const cm = rev ? build().reversed() : build();
  cache.set(spec, cm);
  return cm;
}

/**
 * A listed colour map from a list of colours — the lecture's `buildCMap(lines)`: pass the
 * colours returned by `ax.plot(...)` so a cluster-label image uses the same colours as
 * the plotted cluster spectra.
 *
 * @param colors colours, one per class (names, hex strings, [r, g, b] floats)
 * @param name optional name
 * @returns a listed {@link Colormap} with one entry per colour
 * @example
 *   const colors = ax.plot(centroidSpectra);      // one colour per cluster
 *   axes[2].imshow(labels, { cmap: buildCMap(colors) });
 */
export function buildCMap(colors: readonly ColorSpec[], name = 'listed'): Colormap {
  if (!Array.isArray(colors) || colors.length === 0) throw new Error('buildCMap: colors must be a non-empty array of colours');
  const lut = new Uint8Array(colors.length * 4);
  colors.forEach((c, i) => {
    const [r, g, b, a] = parseColor(c);
    lut.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], 4 * i);
  });
  return new Colormap(name, lut, true);
}
