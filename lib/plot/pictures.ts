/**
 * The lecture's picture slides, drawn by the project: the neutron imaging set-up, the
 * attenuation of common materials for neutrons and X-rays, a camouflage example, the
 * rhizobox set-up of the last part, and the marked-up spots beside the radiograph.
 *
 * The original lecture showed photographs and borrowed diagrams on these slides; they are
 * not ours to copy, so each picture is drawn here from plain shapes and the project's own
 * simulated data, with every number it shows in this file.
 *
 * Design:
 * - One function per picture, each returning a {@link Figure} (show it as a cell's last
 *   value, or `savefig` it), drawn only with the public Axes calls (`fill`, `arrow`,
 *   `addRectangle`, `addEllipse`, `text`, `plot`, `bar`, `imshow`): a student can read how
 *   a picture is made and change it.
 * - The attenuation numbers live in one documented table, {@link ATTENUATION_TABLE}, with
 *   where they come from ({@link ATTENUATION_SOURCE}); the bar chart and the notebooks read
 *   them from there. The Axes have no logarithmic scale, so the chart draws log10 values
 *   with decade tick labels (what matplotlib's `set_yscale('log')` shows).
 * - The camouflage image is data ({@link makeCamouflage}), so a test can check the claim the
 *   picture makes: no grey-level threshold finds the object, the direction of its texture does.
 * - Schematics are drawn in data units with equal aspect and no axes; sizes are chosen for a
 *   1280 × 720 slide (about 10 inches wide at 100 dpi, 4–5 inches tall).
 */
import type { ArrayLike2D } from '../core/types.js';
import { NDArray } from '../core/ndarray.js';
import { Rng, deriveSeed } from '../data/random.js';
import { blur2D, fractalNoise1D, fractalNoise2D } from '../data/texture.js';
import type { Axes } from './axes.js';
import { subplots, type Figure } from './figure.js';

/** One material of {@link ATTENUATION_TABLE}. */
export interface AttenuationRow {
  /** name as shown in the chart */
  material: string;
  /** chemical formula used for the numbers (and as the chart's tick label) */
  formula: string;
  /** density in g/cm³ */
  density: number;
  /** linear attenuation coefficient for thermal neutrons (25 meV, 1.8 Å) in 1/cm */
  neutrons: number;
  /** linear attenuation coefficient for 100 keV X-rays in 1/cm */
  xrays: number;
}

/**
 * Approximate linear attenuation coefficients μ (1/cm) of common materials, for thermal
 * neutrons and for 100 keV X-rays; see {@link ATTENUATION_SOURCE} for their origin.
 *
 * Neutrons: total macroscopic cross section Σ = N·(σ_coh + σ_inc + σ_abs) from the
 * bound-atom cross sections at 1.798 Å (Sears 1992). X-rays: the mass attenuation
 * coefficient at 100 keV (total, with coherent scattering) times the density.
 * Hydrogen's bound value is an upper estimate for a real beam's effective attenuation of
 * water, which depends on the neutron spectrum; the ratios between materials are what the
 * chart is for.
 */
export const ATTENUATION_TABLE: readonly AttenuationRow[] = Object.freeze([
  { material: 'water', formula: 'H₂O', density: 1.0, neutrons: 5.65, xrays: 0.171 },
  { material: 'polyethylene', formula: 'CH₂', density: 0.94, neutrons: 6.87, xrays: 0.162 },
  { material: 'boron', formula: 'B', density: 2.34, neutrons: 101, xrays: 0.326 },
  { material: 'aluminium', formula: 'Al', density: 2.699, neutrons: 0.104, xrays: 0.46 },
  { material: 'silicon', formula: 'Si', density: 2.33, neutrons: 0.117, xrays: 0.428 },
  { material: 'titanium', formula: 'Ti', density: 4.506, neutrons: 0.592, xrays: 1.23 },
  { material: 'iron', formula: 'Fe', density: 7.874, neutrons: 1.2, xrays: 2.93 },
  { material: 'copper', formula: 'Cu', density: 8.96, neutrons: 1.0, xrays: 4.11 },
  { material: 'zirconium', formula: 'Zr', density: 6.52, neutrons: 0.286, xrays: 6.3 },
  { material: 'cadmium', formula: 'Cd', density: 8.65, neutrons: 117, xrays: 13.2 },
  { material: 'gadolinium', formula: 'Gd', density: 7.9, neutrons: 1490, xrays: 24.6 },
  { material: 'lead', formula: 'Pb', density: 11.35, neutrons: 0.372, xrays: 63 },
] as const satisfies readonly AttenuationRow[]);

const ATTENUATION_SOURCE_LINES = [
  'X-rays: NIST XCOM mass attenuation coefficient at 100 keV × density',
  'neutrons: thermal (1.8 Å) bound-atom total cross sections (Sears 1992) × atom density',
] as const;

/** Where the numbers of {@link ATTENUATION_TABLE} come from, in one line for a caption. */
export const ATTENUATION_SOURCE = `approximate values; ${ATTENUATION_SOURCE_LINES.join('; ')}`;

/** Options of {@link drawAttenuation}. */
export interface AttenuationOptions {
  /** Materials to show, by name (default: all of {@link ATTENUATION_TABLE}, in its order). */
  materials?: readonly string[];
  /** Figure size in inches (default [10, 4.6]). */
  figsize?: readonly [number, number];
}

/**
 * Bar chart of the attenuation coefficients of common materials, thermal neutrons beside
 * 100 keV X-rays, on a logarithmic axis, with the source of the numbers under the chart.
 *
 * @param opts materials (names from {@link ATTENUATION_TABLE}), figsize
 * @returns the figure
 * @throws Error naming an unknown material
 * @example
 *   drawAttenuation({ materials: ['water', 'aluminium', 'iron', 'lead', 'boron'] });
 */
export function drawAttenuation(opts: AttenuationOptions = {}): Figure {
  const rows = opts.materials
    ? opts.materials.map((name) => {
        const row = ATTENUATION_TABLE.find((r) => r.material === name);
        if (!row) {
          const known = ATTENUATION_TABLE.map((r) => r.material).join(', ');
          throw new Error(`drawAttenuation: unknown material '${name}' (known: ${known})`);
        }
        return row;
      })
    : [...ATTENUATION_TABLE];
  if (rows.length === 0) throw new Error('drawAttenuation: materials must name at least one material');
  const [fig, [ax]] = subplots(1, 1, { figsize: opts.figsize ?? [10, 4.6] });
  // log10 values drawn up from the bottom decade, labelled as powers of ten
  const all = rows.flatMap((r) => [r.neutrons, r.xrays]);
  const lo = Math.floor(Math.log10(Math.min(...all)) - 0.3);
  const hi = Math.ceil(Math.log10(Math.max(...all)));
  const up = (v: number): number => Math.log10(v) - lo;
  const xs = rows.map((_, i) => i);
  ax.bar(xs.map((x) => x - 0.2), rows.map((r) => up(r.neutrons)), { width: 0.38, color: '#1f77b4', label: 'thermal neutrons' });
  ax.bar(xs.map((x) => x + 0.2), rows.map((r) => up(r.xrays)), { width: 0.38, color: '#ff7f0e', label: 'X-rays, 100 keV' });
  const decades = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  ax.setYticks(decades.map((d) => d - lo), decades.map(decadeLabel));
  ax.setXticks(xs, rows.map((r) => r.formula));
  ax.setXlim(-0.6, rows.length - 0.4);
  ax.setYlim(0, hi - lo);
  for (const d of decades.slice(1, -1)) ax.axhline(d - lo, { color: '#d0d0d0', linewidth: 0.8 });
  ax.setYlabel('μ [1/cm], log scale');
  ax.setTitle('Attenuation coefficients of common materials (approximate)');
  ax.legend({ loc: 'upper left' });
  const [first, second] = ATTENUATION_SOURCE_LINES;
  ax.text(0.99, 0.96, first, { transform: 'axes', ha: 'right', va: 'top', fontsize: 8, color: '#555555' });
  ax.text(0.99, 0.905, second, { transform: 'axes', ha: 'right', va: 'top', fontsize: 8, color: '#555555' });
  return fig;
}

/** '0.01', '0.1', '1', '10', '100' … for a decade exponent. */
function decadeLabel(d: number): string {
  return d < 0 ? `0.${'0'.repeat(-d - 1)}1` : `1${'0'.repeat(d)}`;
}

/** Options of {@link drawImagingSetup}. */
export interface ImagingSetupOptions {
  /** Figure size in inches (default [10, 4.4]). */
  figsize?: readonly [number, number];
}

/**
 * A schematic of a neutron imaging beamline, side view: source, collimator with its
 * aperture D, flight path L, sample, scintillator, mirror and camera, with the L/D rule for
 * the geometric blur.
 *
 * @param opts figsize
 * @returns the figure
 * @example
 *   drawImagingSetup()   // the last value of a notebook cell shows it
 */
export function drawImagingSetup(opts: ImagingSetupOptions = {}): Figure {
  const [fig, [ax]] = subplots(1, 1, { figsize: opts.figsize ?? [10, 4.4] });
  const beam = '#cfe3f5';
  // source: a glowing core
  ax.addEllipse([4, 0], 7, 12, { facecolor: '#ffd27f', edgecolor: '#d08000', linewidth: 1.5 });
  ax.addEllipse([4, 0], 3.5, 6, { facecolor: '#ffb347', edgecolor: 'none' });
  label(ax, 4, 9, 'neutron source');
  // broad beam from the source into the collimator, then the cone from the aperture
  ax.fill([7.5, 16, 16, 7.5], [-4, -0.9, 0.9, 4], { facecolor: beam });
  ax.fill([16, 74, 74], [0, 9.5, -9.5], { facecolor: beam });
  // collimator: a shielding block with a pinhole of diameter D
  ax.addRectangle([12, 0.9], 4, 8, { facecolor: '#7f7f7f', edgecolor: '#404040' });
  ax.addRectangle([12, -8.9], 4, 8, { facecolor: '#7f7f7f', edgecolor: '#404040' });
  label(ax, 14, 10, 'collimator');
  ax.arrow(18, 4.5, -1.6, -3.4, { color: '#404040', linewidth: 1 });
  label(ax, 19.5, 5.2, 'aperture $D$', 'left');
  // flight path L from the aperture to the sample
  dimension(ax, 16, 61, -12.5, 'flight path $L$ (several metres)');
  // sample
  ax.fill([59, 63, 64, 61.5, 58], [-3, -4, 1, 4.5, 2], { facecolor: '#8c564b', edgecolor: '#4d2f26' });
  label(ax, 61, 8, 'sample');
  // scintillator: neutrons in, light out
  ax.addRectangle([73.5, -9.5], 1, 19, { facecolor: '#2ca02c', edgecolor: '#1a661a' });
  label(ax, 74, 12.5, 'scintillator');
  label(ax, 74, 10.6, 'neutrons → light', 'center', 8);
  dimension(ax, 61, 74, -16.5, '$l$ (sample to detector)');
  // mirror at 45° and the camera below, out of the direct beam
  ax.fill([80, 81.2, 91.2, 90], [6, 6, -6, -6], { facecolor: '#b0c4de', edgecolor: '#4a5d7a' });
  label(ax, 87, 8.5, 'mirror');
  ax.arrow(75, 0, 9.5, 0, { color: '#e6b800', linewidth: 2 });
  ax.arrow(85.5, 0, 0, -8, { color: '#e6b800', linewidth: 2 });
  ax.addRectangle([81.5, -18], 8, 7, { facecolor: '#333333', edgecolor: 'black' });
  ax.addRectangle([83.5, -11], 4, 1.5, { facecolor: '#555555', edgecolor: 'black' });
  label(ax, 91, -15, 'camera', 'left');
  // the L/D rule
  ax.text(0.01, 0.05, 'geometric blur  $d = l\\cdot D/L$:  a large $L/D$ gives sharp images,',
    { transform: 'axes', fontsize: 10 });
  ax.text(0.01, -0.02, 'but the flux falls as $(D/L)^2$, so exposures get longer.', { transform: 'axes', fontsize: 10 });
  ax.setXlim(-1, 101);
  ax.setYlim(-26, 15);
  ax.setAspect('equal');
  ax.axis('off');
  ax.setTitle('A neutron imaging beamline (side view, not to scale)');
  return fig;
}

/** Centred label text (helper of the schematics). */
function label(ax: Axes, x: number, y: number, s: string, ha: 'left' | 'center' | 'right' = 'center', fontsize = 10): void {
  ax.text(x, y, s, { ha, va: 'center', fontsize });
}

/** A dimension line with arrows at both ends and its label underneath. */
function dimension(ax: Axes, x0: number, x1: number, y: number, text: string): void {
  const mid = (x0 + x1) / 2;
  ax.arrow(mid, y, x0 - mid, 0, { color: '#404040', linewidth: 1 });
  ax.arrow(mid, y, x1 - mid, 0, { color: '#404040', linewidth: 1 });
  ax.plot([x0, x0], [y - 1.2, y + 1.2], { color: '#404040', linewidth: 1 });
  ax.plot([x1, x1], [y - 1.2, y + 1.2], { color: '#404040', linewidth: 1 });
  ax.text(mid, y - 2.2, text, { ha: 'center', va: 'center', fontsize: 10 });
}

/** A camouflage image: an object whose grey levels cannot be told from its background. */
export interface Camouflage {
  /** float32 [size, size], grey levels in about [0, 1] */
  image: NDArray<Float32Array>;
  /** uint8 [size, size], 1 on the hidden object */
  mask: NDArray<Uint8Array>;
  /**
   * The texture direction feature: smoothed |∂/∂x| − |∂/∂y| (positive where the texture runs
   * up and down, as in the background; negative inside the object).
   */
  direction: NDArray<Float32Array>;
}

/** Options of {@link makeCamouflage} and {@link drawCamouflage}. */
export interface CamouflageOptions {
  /** Seed (default 2018). */
  seed?: number;
  /** Image side in pixels, ≥ 64 (default 192). */
  size?: number;
}

/**
 * A camouflage test image from the project's texture generator: a background of vertical
 * streaks (tree trunks) and a blob-shaped object of horizontal streaks, with the object's
 * grey levels mapped onto exactly the background's grey-level distribution. Every
 * grey-level threshold therefore cuts object and background alike; only the direction of the
 * texture, a neighbourhood feature, gives the object away.
 *
 * @param opts seed, size
 * @returns image, mask and the texture direction feature
 * @example
 *   const { image, mask } = makeCamouflage({ seed: 1 });
 */
export function makeCamouflage(opts: CamouflageOptions = {}): Camouflage {
  const size = opts.size ?? 192;
  if (!Number.isInteger(size) || size < 64) throw new Error(`makeCamouflage: size must be an integer ≥ 64, got ${size}`);
  const rng = new Rng(deriveSeed(opts.seed ?? 2018, 'camouflage'));
  const background = streaks(size, rng, 'vertical');
  const object = streaks(size, rng, 'horizontal');
  // the object: a blob with a ragged outline around the centre (the 1-D noise is made
  // periodic by cross-fading it with its own continuation, so the outline closes smoothly)
  const noise = fractalNoise1D(720, rng, { maxCell: 90, minCell: 4, hurst: 0.9 });
  const outline = Float32Array.from({ length: 360 }, (_, a) => noise[a]! * (a / 360) + noise[a + 360]! * (1 - a / 360));
  const mask = new Uint8Array(size * size);
  const cx = size * 0.5, cy = size * 0.52, rx = size * 0.3, ry = size * 0.2;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const dx = (c - cx) / rx, dy = (r - cy) / ry;
      const angle = Math.round(((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360) % 360;
      if (Math.hypot(dx, dy) < 1 + 0.12 * outline[angle]!) mask[r * size + c] = 1;
    }
  }
  // give the object's pixels, rank by rank, the grey levels of the background's pixels
  const out = Float32Array.from(background);
  const inside: number[] = [];
  const outside: number[] = [];
  mask.forEach((m, i) => (m ? inside : outside).push(i));
  const target = outside.map((i) => background[i]!).sort((a, b) => a - b);
  inside.sort((a, b) => object[a]! - object[b]!);
  inside.forEach((pixel, rank) => {
    out[pixel] = target[Math.floor(((rank + 0.5) / inside.length) * target.length)]!;
  });
  for (let i = 0; i < out.length; i++) out[i] = 0.5 + 0.14 * out[i]!;
  return {
    image: new NDArray(out, [size, size]),
    mask: new NDArray(mask, [size, size]),
    direction: new NDArray(textureDirection(out, size), [size, size]),
  };
}

/** Fractal noise stretched 4× along one direction: streaks. Mean 0, sd 1. */
function streaks(size: number, rng: Rng, along: 'vertical' | 'horizontal'): Float32Array {
  const stretch = 4;
  const short = Math.ceil(size / stretch) + 2;
  const noise = fractalNoise2D(short, size, rng, { maxCell: 32, minCell: 1, hurst: 0.6 });
  const out = new Float32Array(size * size);
  for (let a = 0; a < size; a++) {
    const f = a / stretch;
    const k = Math.floor(f);
    const t = f - k;
    for (let b = 0; b < size; b++) {
      const v = noise[k * size + b]! * (1 - t) + noise[(k + 1) * size + b]! * t;
      // vertical streaks vary slowly down the rows (a = row); horizontal ones along the columns
      if (along === 'vertical') out[a * size + b] = v;
      else out[b * size + a] = v;
    }
  }
  return out;
}

/** Smoothed |∂x| − |∂y| of an image (central differences, Gaussian σ = 4). */
function textureDirection(img: Float32Array, size: number): Float32Array {
  const gx = new Float32Array(size * size);
  const gy = new Float32Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      const left = img[r * size + Math.max(0, c - 1)]!, right = img[r * size + Math.min(size - 1, c + 1)]!;
      const up = img[Math.max(0, r - 1) * size + c]!, down = img[Math.min(size - 1, r + 1) * size + c]!;
      gx[i] = Math.abs(right - left) / 2;
      gy[i] = Math.abs(down - up) / 2;
    }
  }
  const sx = blur2D(gx, size, size, 4);
  const sy = blur2D(gy, size, size, 4);
  return sx.map((v, i) => v - sy[i]!);
}

/**
 * The camouflage lesson in four panels: the image, the grey-level histograms of object and
 * background (they coincide), the best a threshold can do, and the texture direction that
 * does find the object.
 *
 * @param opts seed, size, figsize (default [12, 3.6])
 * @returns the figure
 * @example
 *   drawCamouflage({ seed: 2018 })
 */
export function drawCamouflage(opts: CamouflageOptions & { figsize?: readonly [number, number] } = {}): Figure {
  const { image, mask, direction } = makeCamouflage(opts);
  const [fig, ax] = subplots(1, 4, { figsize: opts.figsize ?? [12, 3.6] });
  ax[0]!.imshow(image, { cmap: 'gray', vmin: 0, vmax: 1 });
  ax[0]!.setTitle('Where is the object?');
  const inside = image.data.filter((_, i) => mask.data[i]);
  const outside = image.data.filter((_, i) => !mask.data[i]);
  const bins = Array.from({ length: 31 }, (_, i) => i / 30);
  ax[1]!.hist(outside, { bins, density: true, color: '#7f7f7f', alpha: 0.6, label: 'background' });
  ax[1]!.hist(inside, { bins, density: true, histtype: 'step', color: '#d62728', label: 'object' });
  ax[1]!.setTitle('Grey levels');
  ax[1]!.setXlabel('grey level');
  ax[1]!.legend({ fontsize: 8 });
  ax[2]!.imshow(image.gt(0.5), { cmap: 'gray', vmin: 0, vmax: 1, interpolation: 'nearest' });
  ax[2]!.setTitle('Threshold at 0.5');
  const lim = Math.max(Math.abs(direction.min()), Math.abs(direction.max()));
  ax[3]!.imshow(direction, { cmap: 'coolwarm', vmin: -lim, vmax: lim });
  ax[3]!.setTitle('Texture direction');
  for (const a of ax) if (a !== ax[1]) a.axis('off');
  return fig;
}

/** Options of {@link drawRhizobox}. */
export interface RhizoboxOptions {
  /** Seed of the soil texture and the root system (default 2018). */
  seed?: number;
  /** Figure size in inches (default [10, 4.6]). */
  figsize?: readonly [number, number];
}

/**
 * The rhizobox experiment: a flat container of soil with a plant's roots, seen from above
 * with the neutron beam passing through its thin side to the detector, and from the front as
 * the detector sees it: walls, soil, roots and a porous barrier.
 *
 * @param opts seed, figsize
 * @returns the figure
 * @example
 *   drawRhizobox()
 */
export function drawRhizobox(opts: RhizoboxOptions = {}): Figure {
  const [fig, ax] = subplots(1, 2, { figsize: opts.figsize ?? [10, 4.6] });
  const top = ax[0]!;
  const front = ax[1]!;
  const soil = '#9c7a54';
  const wall = '#9fb3c8';
  // top view: beam → container (thin along the beam) → detector
  for (const y of [-4, -1.5, 1, 3.5]) top.arrow(0, y, 9, 0, { color: '#1f77b4', linewidth: 1.5 });
  label(top, 4.5, 6, 'neutron beam');
  top.addRectangle([11, -8], 0.5, 16, { facecolor: wall, edgecolor: '#4a5d7a' });
  top.addRectangle([13.5, -8], 0.5, 16, { facecolor: wall, edgecolor: '#4a5d7a' });
  top.addRectangle([11.5, -8], 2, 16, { facecolor: soil, edgecolor: 'none' });
  top.addRectangle([11, -8.5], 3, 0.5, { facecolor: wall, edgecolor: '#4a5d7a' });
  top.addRectangle([11, 8], 3, 0.5, { facecolor: wall, edgecolor: '#4a5d7a' });
  for (const [x, y] of [[12.2, -3], [12.9, 2.2], [12.4, 5.5]] as const) top.addEllipse([x, y], 0.6, 0.6, { facecolor: '#f2e6c9', edgecolor: '#6b5a3a' });
  label(top, 12.5, 10.5, 'rhizobox');
  label(top, 12.5, -10.5, 'soil ≈ 1 cm thick');
  top.addRectangle([18, -9], 0.7, 18, { facecolor: '#2ca02c', edgecolor: '#1a661a' });
  label(top, 18.4, 10.5, 'detector');
  for (const y of [-3.5, 0, 3.5]) top.arrow(14.3, y, 3.4, 0, { color: '#1f77b4', linewidth: 1, alpha: 0.6 });
  top.setXlim(-0.5, 21.5);
  top.setYlim(-12, 12);
  top.setAspect('equal');
  top.axis('off');
  top.setTitle('Seen from above');
  drawRhizoboxFront(front, opts.seed ?? 2018, soil, wall);
  return fig;
}

/** The front view: walls, textured soil, a porous barrier and a branching root system. */
function drawRhizoboxFront(ax: Axes, seed: number, soilColor: string, wallColor: string): void {
  const rng = new Rng(deriveSeed(seed, 'rhizobox-picture'));
  const W = 20, H = 30;
  // soil texture as a brown image filling the box
  const n = 96;
  const tex = fractalNoise2D(n * 1.5, n, rng, { maxCell: 32, minCell: 1, hurst: 0.7 });
  const [sr, sg, sb] = [0x9c, 0x7a, 0x54];
  const rgb = new Uint8Array(tex.length * 3);
  tex.forEach((v, i) => {
    const k = 1 + 0.08 * v;
    rgb[3 * i] = Math.min(255, sr * k);
    rgb[3 * i + 1] = Math.min(255, sg * k);
    rgb[3 * i + 2] = Math.min(255, sb * k);
  });
  ax.imshow({ data: rgb, shape: [n * 1.5, n, 3] }, { extent: [0, W, 0, H], aspect: 'equal' });
  void soilColor;
  // porous barrier across the box
  ax.addRectangle([0, 11], W, 1.2, { facecolor: '#5f5f5f', edgecolor: 'none' });
  for (let x = 0.8; x < W; x += 1.6) ax.addEllipse([x, 11.6], 0.45, 0.45, { facecolor: '#cfcfcf', edgecolor: 'none' });
  // roots: a primary root with laterals, grown downwards from the top
  const roots: [number, number, number, number, number][] = [];
  grow(rng, roots, 9 + rng.range(0, 2), H, -Math.PI / 2, 22, 2.2, 0);
  for (const [x0, y0, x1, y1, w] of roots) ax.plot([x0, x1], [y0, y1], { color: '#f3ecd8', linewidth: w });
  // walls
  ax.addRectangle([-0.8, -0.8], 0.8, H + 0.8, { facecolor: wallColor, edgecolor: '#4a5d7a' });
  ax.addRectangle([W, -0.8], 0.8, H + 0.8, { facecolor: wallColor, edgecolor: '#4a5d7a' });
  ax.addRectangle([-0.8, -0.8], W + 1.6, 0.8, { facecolor: wallColor, edgecolor: '#4a5d7a' });
  // labels
  const callout = (y: number, text: string, tx: number, ty: number): void => {
    ax.text(W + 2.5, y, text, { va: 'center', fontsize: 10 });
    ax.arrow(W + 2.3, y, tx - W - 2.3, ty - y, { color: 'black', linewidth: 0.8, headlength: 6 });
  };
  callout(25, 'roots', 14.5, 23.5);
  callout(16, 'porous barrier', W - 1, 12);
  callout(7, 'soil', W - 3, 5);
  callout(2, 'container wall', W + 0.4, 3);
  ax.setXlim(-1, W + 12);
  ax.setYlim(-1, H + 0.5);
  ax.setAspect('equal');
  ax.axis('off');
  ax.setTitle('Front view (the beam goes into the page)');
}

/** Grows a root as short segments [x0, y0, x1, y1, width] with laterals (recursion depth ≤ 2). */
function grow(rng: Rng, out: [number, number, number, number, number][], x: number, y: number, angle: number, length: number, width: number, order: number): void {
  const step = 0.8;
  let grown = 0;
  let nextBranch = rng.range(2, 4);
  while (grown < length && y > 0.5 && x > 0.5 && x < 19.5) {
    // gravitropism: primary roots bend back towards straight down, laterals less so
    angle += rng.normal(0, 0.12) + (order === 0 ? 0.15 : 0.03) * (-Math.PI / 2 - angle);
    const nx = x + step * Math.cos(angle);
    const ny = y + step * Math.sin(angle);
    const w = width * (1 - (0.6 * grown) / length);
    out.push([x, y, nx, ny, Math.max(0.5, w)]);
    x = nx;
    y = ny;
    grown += step;
    if (order < 2 && grown > nextBranch) {
      const side = rng.uniform() < 0.5 ? -1 : 1;
      grow(rng, out, x, y, angle + side * rng.range(0.7, 1.2), length * rng.range(0.25, 0.4), width * 0.55, order + 1);
      nextBranch = grown + rng.range(2, 4.5);
    }
  }
}

/** Options of {@link drawMarkedSpots}. */
export interface MarkedSpotsOptions {
  /** Grey-level range of the radiograph (default 400 … 4000, as the lecture shows it). */
  vmin?: number;
  vmax?: number;
  /** Figure size in inches (default [10, 4.6]). */
  figsize?: readonly [number, number];
}

/**
 * The marked-up spots: a region of the radiograph magnified, beside the same region with the
 * annotation drawn over it in red.
 *
 * @param image radiograph [rows, cols]
 * @param mask annotation of the same shape (1 on marked pixels)
 * @param region [r0, c0, r1, c1]: rows r0 … r1−1 and columns c0 … c1−1
 * @param opts vmin, vmax, figsize
 * @returns the figure
 * @throws Error when the shapes differ or the region is outside the image
 * @example
 *   drawMarkedSpots(orig, mask, [600, 600, 728, 728])
 */
export function drawMarkedSpots(image: ArrayLike2D, mask: ArrayLike2D, region: readonly [number, number, number, number], opts: MarkedSpotsOptions = {}): Figure {
  if (image.shape.length !== 2) throw new Error(`drawMarkedSpots: image must be 2-D, got shape [${image.shape.join(', ')}]`);
  const [rows, cols] = image.shape as [number, number];
  if (mask.shape.length !== 2 || mask.shape[0] !== rows || mask.shape[1] !== cols) {
    throw new Error(`drawMarkedSpots: mask shape [${mask.shape.join(', ')}] differs from image shape [${rows}, ${cols}]`);
  }
  const [r0, c0, r1, c1] = region;
  if (![r0, c0, r1, c1].every(Number.isInteger) || !(r0 >= 0 && c0 >= 0 && r1 <= rows && c1 <= cols && r1 > r0 && c1 > c0)) {
    throw new Error(`drawMarkedSpots: region [${region.join(', ')}] must be integers with 0 <= r0 < r1 <= ${rows} and 0 <= c0 < c1 <= ${cols}`);
  }
  const vmin = opts.vmin ?? 400;
  const vmax = opts.vmax ?? 4000;
  const h = r1 - r0, w = c1 - c0;
  const grey = new Float32Array(h * w);
  const rgb = new Uint8Array(h * w * 3);
  let marked = 0;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const src = (r0 + r) * cols + c0 + c;
      const i = r * w + c;
      grey[i] = image.data[src]!;
      const g = Math.round(255 * Math.min(1, Math.max(0, (image.data[src]! - vmin) / (vmax - vmin))));
      const on = mask.data[src]! > 0;
      if (on) marked++;
      rgb[3 * i] = on ? 255 : g;
      rgb[3 * i + 1] = on ? 0 : g;
      rgb[3 * i + 2] = on ? 0 : g;
    }
  }
  const [fig, ax] = subplots(1, 2, { figsize: opts.figsize ?? [10, 4.6] });
  const extent = [c0 - 0.5, c1 - 0.5, r1 - 0.5, r0 - 0.5] as const;
  ax[0]!.imshow({ data: grey, shape: [h, w] }, { cmap: 'gray', vmin, vmax, extent, interpolation: 'nearest' });
  ax[0]!.setTitle('Radiograph');
  ax[1]!.imshow({ data: rgb, shape: [h, w, 3] }, { extent, interpolation: 'nearest' });
  ax[1]!.setTitle(`Marked spots (${marked} pixels in red)`);
  return fig;
}
