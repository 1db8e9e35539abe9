/**
 * The spot radiograph: a stand-in for the lecture's `spots/mixture12_00001.fits`
 * (2048 × 2048 uint16 raw counts of a soil sample, with gamma-ray outliers) and its
 * annotation, plus an open-beam and a dark frame of the same detector.
 *
 * Model (counts per pixel, in this order):
 * - dark current D: offset ≈ 110 counts + a fixed column pattern (±3) + read noise (σ 2.5);
 * - open beam F: ≈ 3000 counts above dark at the centre, radial fall-off (−20 % at the
 *   corners), brighter towards the bottom, a 2 % low-frequency ripple;
 * - sample: a soil column (columns ≈ 800–1500, ragged outline, rounded bottom) whose
 *   attenuation μd is a cylinder chord times fractal (multi-scale) texture, plus pebbles
 *   (sphere chords, ± attenuation) and two layer boundaries; transmission T = exp(−μd);
 * - the frame: D + Poisson(F·T) (shot noise) + read noise;
 * - gamma outliers: single hot pixels (50 %), small blobs (35 %, radius 0.8–3.2 px) and short
 *   streaks (15 %, 3–20 px at any angle), with heavy-tailed (Pareto, α = 1.2) amplitudes from
 *   900 counts up to saturation: most events are bright, compact spots as on a real camera hit
 *   by gamma rays, a few saturate.
 * - the annotation: every pixel an event hit plus a margin of one pixel around it (a 3×3
 *   brush), as an annotator marks a spot generously. Events are added until `spotFraction`
 *   (0.93 % as in the original annotation) of the pixels are marked.
 *
 * Why this annotation: it is what makes the lecture's three methods differ as they did on the
 * real data. A threshold on |f − median| finds only the strongest single pixels and streaks
 * (recall ≈ 0.09); 1-NN on the pixel features (f, |f − median|) finds the bright spot pixels
 * but cannot know that a normal-looking pixel next to a spot is marked (recall ≈ 0.3); a
 * U-Net sees the neighbourhood, finds the marked surroundings too (recall ≈ 0.7) and pays with
 * false positives next to spots, the lecture's conclusion. With the exact footprint as the
 * mask (`annotateMargin: 0`) the pixel features are nearly sufficient and 1-NN beats a U-Net
 * trained for 20 steps; with the earlier model of many weak events (amplitudes from 120
 * counts) the U-Net could not learn the spots in 20 steps at all (validation AUC ≈ 0.8).
 *
 * Seeds: `seed` fixes the sample, open beam and dark pattern; `frame` picks the noise and
 * spot stream, so mixture12_00001 and _00002 show the same sample with other noise and spots.
 */
import { NDArray } from '../core/ndarray.js';
import { Rng, deriveSeed } from './random.js';
import { fractalNoise1D, fractalNoise2D } from './texture.js';

/** Options of makeSpotFrame. */
export interface SpotFrameOptions {
  /** Seed of the sample, open beam and dark pattern. Default 2018. */
  seed?: number;
  /** Frame number (selects the noise and spots). Default 1. */
  frame?: number;
  /** Image size. Default 2048 × 2048 (the geometry scales with it). */
  rows?: number;
  cols?: number;
  /** Fraction of pixels hit by gamma events. Default 0.0093. */
  spotFraction?: number;
  /** Include the soil sample (false: an open-beam frame). Default true. */
  sample?: boolean;
  /** Smallest event amplitude (counts) of the Pareto tail. Default 900. */
  spotMinAmplitude?: number;
  /** Pareto exponent of the event amplitudes (smaller: heavier tail). Default 1.2. */
  spotAlpha?: number;
  /**
   * Margin the annotation paints around every pixel an event hit: 0 none (the exact
   * footprint), 1 the 4 neighbours, 2 the 3×3 square. Default 2.
   */
  annotateMargin?: 0 | 1 | 2;
}

/** Counts of gamma events by kind. */
export interface SpotEventCounts {
  singles: number;
  blobs: number;
  streaks: number;
  /** Pixels marked (mask sum: the pixels hit and their annotation margin). */
  pixels: number;
}

/** A simulated raw frame with what was drawn. */
export interface SpotFrame {
  /** Raw counts, uint16 [rows, cols]. */
  image: NDArray<Uint16Array>;
  /** The annotation: 1 where a gamma event hit the pixel or its margin, uint8 [rows, cols]. */
  mask: NDArray<Uint8Array>;
  /** Expected counts without noise and spots (dark + open beam × transmission), float32. */
  expected: NDArray<Float32Array>;
  /** Sample transmission (1 outside the sample), float32 [rows, cols]. */
  transmission: NDArray<Float32Array>;
  /** Events drawn. */
  events: SpotEventCounts;
}

const DARK_OFFSET = 110;
const READ_NOISE = 2.5;
const FLUX = 3000;
const SATURATION = 65535;

interface Scene {
  dark: Float32Array;
  flux: Float32Array;
  trans: Float32Array;
}

function validSize(rows: number, cols: number, where: string): void {
  if (!Number.isInteger(rows) || rows < 16 || !Number.isInteger(cols) || cols < 16) {
    throw new Error(`${where}: rows and cols must be integers ≥ 16, got ${rows} × ${cols}`);
  }
}

// The scene of the last seed (the files need two frames of the same sample).
let lastScene: { key: string; scene: Scene } | null = null;

/** Dark pattern, open beam and sample transmission of a seed (no noise), cached for one key. */
function makeScene(seed: number, rows: number, cols: number, withSample: boolean): Scene {
  const key = `${seed}:${rows}:${cols}:${withSample}`;
  if (lastScene?.key === key) return lastScene.scene;
  const scene = buildScene(seed, rows, cols, withSample);
  lastScene = { key, scene };
  return scene;
}

function buildScene(seed: number, rows: number, cols: number, withSample: boolean): Scene {
  const n = rows * cols;
  const s = rows / 2048; // geometry scale
  const sc = cols / 2048;
  // Dark: offset + fixed column pattern.
  const rngD = new Rng(deriveSeed(seed, 'dark-pattern'));
  const colPat = new Float32Array(cols);
  for (let c = 0; c < cols; c++) colPat[c] = rngD.normal(0, 1.5);
  const dark = new Float32Array(n);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dark[r * cols + c] = DARK_OFFSET + colPat[c]!;

  // Open beam: radial fall-off, brighter at the bottom, low-frequency ripple.
  const rngF = new Rng(deriveSeed(seed, 'open-beam'));
  const ripple = fractalNoise2D(rows, cols, rngF, { maxCell: 512 * s, minCell: 64 * s, hurst: 1 });
  const flux = new Float32Array(n);
  const cy = 0.45 * rows;
  const cx = 0.52 * cols;
  const rad = 0.72 * Math.max(rows, cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const rho2 = ((r - cy) ** 2 + (c - cx) ** 2) / (rad * rad);
      const i = r * cols + c;
      flux[i] = FLUX * (1 - 0.2 * rho2) * (1 + 0.1 * (r / rows - 0.5)) * (1 + 0.02 * ripple[i]!);
    }
  }

  const trans = new Float32Array(n).fill(1);
  if (!withSample) return { dark, flux, trans };

  // Sample: a soil column with ragged sides and a rounded bottom.
  const rngS = new Rng(deriveSeed(seed, 'sample'));
  const left = fractalNoise1D(rows, rngS, { maxCell: 512 * s, minCell: 4 * s, hurst: 0.9 });
  const right = fractalNoise1D(rows, rngS, { maxCell: 512 * s, minCell: 4 * s, hurst: 0.9 });
  const bottom = fractalNoise1D(cols, rngS, { maxCell: 256 * sc, minCell: 4 * sc, hurst: 0.9 });
  const tex = fractalNoise2D(rows, cols, rngS, { maxCell: 256 * s, minCell: 2, hurst: 0.75 });
  const fine = fractalNoise2D(rows, cols, rngS, { maxCell: 16 * s, minCell: 1, hurst: 0.5 });
  const layers = [0.37, 0.69].map((y) => ({ y: y * rows + rngS.normal(0, 10 * s), amp: rngS.range(4, 8) * s, phase: rngS.uniform() * 6.28 }));
  const mud = new Float32Array(n);
  const bot0 = 0.972 * rows;
  for (let r = 0; r < rows; r++) {
    const widen = r > 0.7 * rows ? ((r - 0.7 * rows) / (0.3 * rows)) * 40 * sc : 0;
    const xl = (800 - widen) * sc + 45 * sc * left[r]!;
    const xr = (1500 + widen) * sc + 35 * sc * right[r]!;
    const half = (xr - xl) / 2;
    const xm = (xl + xr) / 2;
    for (let c = 0; c < cols; c++) {
      const u = (c - xm) / half;
      if (u <= -1 || u >= 1) continue;
      const yb = bot0 + 12 * s * bottom[c]! - 30 * s * u ** 6; // rounded corners
      if (r >= yb) continue;
      const i = r * cols + c;
      const chord = Math.sqrt(1 - u * u);
      const edge = Math.min(1, (half * (1 - Math.abs(u))) / (8 * sc), (yb - r) / (8 * s));
      mud[i] = edge * (0.12 + 1.05 * chord * (1 + 0.2 * tex[i]!) + 0.04 * fine[i]!);
    }
  }
  // Layer boundaries: looser soil along two wavy lines.
  for (const L of layers) {
    for (let c = 0; c < cols; c++) {
      const yc = L.y + L.amp * Math.sin((c / cols) * 9 + L.phase) + 3 * s * bottom[(c * 7) % cols]!;
      for (let dy = -10; dy <= 10; dy++) {
        const r = Math.round(yc) + dy;
        if (r < 0 || r >= rows) continue;
        const i = r * cols + c;
        if (mud[i]! > 0) mud[i] = mud[i]! * (1 - 0.22 * Math.exp(-(dy * dy) / 18));
      }
    }
  }
  // Pebbles: sphere chords of slightly denser or looser material.
  const nPebbles = Math.round(1500 * s * sc);
  for (let k = 0; k < nPebbles; k++) {
    const R = Math.exp(rngS.range(Math.log(3), Math.log(22))) * s;
    const pr = rngS.range(0, rows);
    const pc = rngS.range(700 * sc, 1600 * sc);
    const dmu = rngS.normal(0.12, 0.1) * (R / (22 * s));
    for (let r = Math.max(0, Math.floor(pr - R)); r <= Math.min(rows - 1, Math.ceil(pr + R)); r++) {
      for (let c = Math.max(0, Math.floor(pc - R)); c <= Math.min(cols - 1, Math.ceil(pc + R)); c++) {
        const q = ((r - pr) ** 2 + (c - pc) ** 2) / (R * R);
        const i = r * cols + c;
        if (q < 1 && mud[i]! > 0.05) mud[i] = mud[i]! + dmu * Math.sqrt(1 - q);
      }
    }
  }
  for (let i = 0; i < n; i++) trans[i] = Math.exp(-Math.max(0, mud[i]!));
  return { dark, flux, trans };
}

/** Adds gamma events until `fraction` of the pixels are hit; returns the counts. */
function addGammaEvents(
  add: Float32Array,
  mask: Uint8Array,
  rows: number,
  cols: number,
  rng: Rng,
  fraction: number,
  aMin: number,
  alpha: number,
  margin: 0 | 1 | 2,
): SpotEventCounts {
  const target = Math.round(fraction * rows * cols);
  const ev: SpotEventCounts = { singles: 0, blobs: 0, streaks: 0, pixels: 0 };
  const paint = (r: number, c: number): void => {
    if (r < 0 || r >= rows || c < 0 || c >= cols) return;
    const i = r * cols + c;
    if (!mask[i]) {
      mask[i] = 1;
      ev.pixels++;
    }
  };
  const hit = (r: number, c: number, v: number): void => {
    if (r < 0 || r >= rows || c < 0 || c >= cols) return;
    const i = r * cols + c;
    add[i] = add[i]! + v;
    paint(r, c);
    if (margin >= 1) {
      paint(r - 1, c);
      paint(r + 1, c);
      paint(r, c - 1);
      paint(r, c + 1);
    }
    if (margin >= 2) {
      paint(r - 1, c - 1);
      paint(r - 1, c + 1);
      paint(r + 1, c - 1);
      paint(r + 1, c + 1);
    }
  };
  while (ev.pixels < target) {
    const A = Math.min(2 * SATURATION, aMin * Math.pow(1 - rng.uniform(), -1 / alpha));
    const r0 = rng.uniform() * rows;
    const c0 = rng.uniform() * cols;
    const kind = rng.uniform();
    if (kind < 0.5) {
      hit(Math.floor(r0), Math.floor(c0), A);
      ev.singles++;
    } else if (kind < 0.85) {
      const R = rng.range(0.8, 3.2);
      const sig = R / 1.5;
      for (let r = Math.floor(r0 - R); r <= Math.ceil(r0 + R); r++) {
        for (let c = Math.floor(c0 - R); c <= Math.ceil(c0 + R); c++) {
          const d2 = (r + 0.5 - r0) ** 2 + (c + 0.5 - c0) ** 2;
          if (d2 <= R * R) hit(r, c, A * (0.25 + 0.75 * Math.exp(-d2 / (2 * sig * sig))) * rng.range(0.8, 1.2));
        }
      }
      ev.blobs++;
    } else {
      const len = 3 + Math.floor(17 * rng.uniform() ** 2);
      const th = rng.uniform() * Math.PI;
      const dy = Math.sin(th);
      const dx = Math.cos(th);
      let lastR = -1;
      let lastC = -1;
      for (let t = 0; t <= len; t += 0.5) {
        const r = Math.floor(r0 + t * dy);
        const c = Math.floor(c0 + t * dx);
        if (r === lastR && c === lastC) continue;
        lastR = r;
        lastC = c;
        hit(r, c, A * rng.range(0.4, 1.0));
      }
      ev.streaks++;
    }
  }
  return ev;
}

function renderFrame(scene: Scene, rows: number, cols: number, rng: Rng, opts: Required<Pick<SpotFrameOptions, 'spotFraction' | 'spotMinAmplitude' | 'spotAlpha' | 'annotateMargin'>>): SpotFrame {
  const n = rows * cols;
  const image = new Uint16Array(n);
  const expected = new Float32Array(n);
  const add = new Float32Array(n);
  const mask = new Uint8Array(n);
  const events = addGammaEvents(add, mask, rows, cols, rng, opts.spotFraction, opts.spotMinAmplitude, opts.spotAlpha, opts.annotateMargin);
  for (let i = 0; i < n; i++) {
    const signal = scene.flux[i]! * scene.trans[i]!;
    expected[i] = scene.dark[i]! + signal;
    const v = scene.dark[i]! + rng.poisson(signal) + rng.normal(0, READ_NOISE) + add[i]!;
    image[i] = Math.max(0, Math.min(SATURATION, Math.round(v)));
  }
  return {
    image: new NDArray(image, [rows, cols]),
    mask: new NDArray(mask, [rows, cols]),
    expected: new NDArray(expected, [rows, cols]),
    transmission: new NDArray(Float32Array.from(scene.trans), [rows, cols]),
    events,
  };
}

/**
 * Makes a raw neutron radiograph of a soil sample with gamma-ray spots and its
 * spot mask (stand-in for `spots/mixture12_0000N.fits` and its annotation).
 *
 * @param opts `{seed = 2018, frame = 1, rows = 2048, cols = 2048, spotFraction = 0.0093,
 *   sample = true, spotMinAmplitude = 900, spotAlpha = 1.2, annotateMargin = 2}`
 * @returns `{image (uint16 counts), mask (uint8 0/1), expected, transmission, events}`
 * @example
 *   const { image, mask } = makeSpotFrame({ seed: 2018, frame: 1 });
 *   image.shape;            // [2048, 2048], dtype uint16, counts mostly 400–4000
 *   mask.sum() / mask.size; // ≈ 0.0093
 */
export function makeSpotFrame(opts: SpotFrameOptions = {}): SpotFrame {
  const seed = opts.seed ?? 2018;
  const frame = opts.frame ?? 1;
  const rows = opts.rows ?? 2048;
  const cols = opts.cols ?? 2048;
  validSize(rows, cols, 'makeSpotFrame');
  const spotFraction = opts.spotFraction ?? 0.0093;
  if (!(spotFraction >= 0 && spotFraction < 0.5)) throw new Error(`makeSpotFrame: spotFraction must be in [0, 0.5), got ${spotFraction}`);
  const spotMinAmplitude = opts.spotMinAmplitude ?? 900;
  const spotAlpha = opts.spotAlpha ?? 1.2;
  if (!(spotMinAmplitude > 0) || !(spotAlpha > 0)) throw new Error('makeSpotFrame: spotMinAmplitude and spotAlpha must be > 0');
  const scene = makeScene(seed, rows, cols, opts.sample ?? true);
  const rng = new Rng(deriveSeed(seed, `frame:${frame}:${opts.sample === false ? 'ob' : 'sample'}`));
  const annotateMargin = opts.annotateMargin ?? 2;
  if (![0, 1, 2].includes(annotateMargin)) throw new Error(`makeSpotFrame: annotateMargin must be 0, 1 or 2, got ${String(annotateMargin)}`);
  return renderFrame(scene, rows, cols, rng, { spotFraction, spotMinAmplitude, spotAlpha, annotateMargin });
}

/**
 * An open-beam frame (no sample) of the same detector and beam: dark + Poisson(open beam) +
 * read noise + gamma spots (their mask is returned too).
 *
 * @param opts as makeSpotFrame (`sample` is ignored)
 * @example
 *   const ob = makeOpenBeamFrame({ seed: 2018 }).image; // ≈ 2500–3300 counts
 */
export function makeOpenBeamFrame(opts: Omit<SpotFrameOptions, 'sample'> = {}): SpotFrame {
  return makeSpotFrame({ ...opts, sample: false });
}

/**
 * A dark frame (beam off): offset ≈ 110 counts, the detector's fixed column pattern, read
 * noise and a few hundred hot pixels (no spot mask: they are part of the detector).
 *
 * @param opts `{seed = 2018, frame = 1, rows = 2048, cols = 2048}`
 * @returns uint16 [rows, cols]
 * @example
 *   const dark = makeDarkFrame({ seed: 2018 }); // median ≈ 110
 */
export function makeDarkFrame(opts: Pick<SpotFrameOptions, 'seed' | 'frame' | 'rows' | 'cols'> = {}): NDArray<Uint16Array> {
  const seed = opts.seed ?? 2018;
  const rows = opts.rows ?? 2048;
  const cols = opts.cols ?? 2048;
  validSize(rows, cols, 'makeDarkFrame');
  const rngD = new Rng(deriveSeed(seed, 'dark-pattern'));
  const colPat = new Float32Array(cols);
  for (let c = 0; c < cols; c++) colPat[c] = rngD.normal(0, 1.5);
  const rng = new Rng(deriveSeed(seed, `dark:${opts.frame ?? 1}`));
  const out = new Uint16Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = Math.max(0, Math.round(DARK_OFFSET + colPat[c]! + rng.normal(0, READ_NOISE)));
  }
  const hot = new Rng(deriveSeed(seed, 'hot-pixels'));
  const nHot = Math.round((rows * cols) / 16000);
  for (let k = 0; k < nHot; k++) {
    const i = hot.int(rows * cols);
    out[i] = Math.min(SATURATION, out[i]! + Math.round(50 * Math.pow(1 - hot.uniform(), -1)));
  }
  return new NDArray(out, [rows, cols]);
}

/**
 * The annotation picture of a spot frame, as the lecture's `mixture12_0000N.png`: an RGB
 * grey copy of the image (0–4000 counts → grey 1–255, never 0 in green) with the spot
 * pixels painted pure red (255, 0, 0). Read it back with `mask = png[:, :, 1] == 0`.
 *
 * @param image raw counts [rows, cols]
 * @param mask 0/1 spot mask of the same shape
 * @param vmax counts shown as white (default 4000)
 * @returns uint8 [rows, cols, 3]
 * @example
 *   const { image, mask } = makeSpotFrame();
 *   writePng('data/spots/mixture12_00001.png', spotAnnotationRgb(image, mask));
 */
export function spotAnnotationRgb(image: { data: ArrayLike<number>; shape: readonly number[] }, mask: { data: ArrayLike<number>; shape: readonly number[] }, vmax = 4000): NDArray<Uint8Array> {
  if (image.shape.length !== 2) throw new Error(`spotAnnotationRgb: image must be 2-D, got [${image.shape.join(', ')}]`);
  if (mask.shape.length !== 2 || mask.shape[0] !== image.shape[0] || mask.shape[1] !== image.shape[1]) {
    throw new Error(`spotAnnotationRgb: mask shape [${mask.shape.join(', ')}] differs from image shape [${image.shape.join(', ')}]`);
  }
  const n = image.data.length;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (mask.data[i]) {
      out[3 * i] = 255;
    } else {
      const g = Math.max(1, Math.min(255, Math.round(1 + (254 * image.data[i]!) / vmax)));
      out[3 * i] = g;
      out[3 * i + 1] = g;
      out[3 * i + 2] = g;
    }
  }
  return new NDArray(out, [image.shape[0]!, image.shape[1]!, 3]);
}
