/**
 * The time-of-flight (TOF) transmission cube: a stand-in for the lecture's `tofdata.npy`
 * (128 × 128 × 661 float32, a 512 × 512 frame binned 4 × 4), i.e. one transmission
 * spectrum per pixel of six additively manufactured steel blocks.
 *
 * Physics, in order:
 * 1. Cross sections per atom from the crystal structure (Bragg-edge theory, e.g. Vogel 2000,
 *    Santisteban et al. 2001): coherent elastic σ(λ) = λ²/(2·V0·N) · Σ_{2d_hkl > λ}
 *    m_hkl |F_hkl|² d_hkl e^{−2W}, with F = N·b for the allowed reflections of bcc
 *    (h+k+l even) and fcc (h,k,l unmixed) iron, b = 9.45 fm, Debye–Waller B = 0.35 Å²;
 *    plus absorption 2.56 b·λ/1.798 Å (1/v), incoherent 0.4 b and a flat 0.5 b for
 *    phonon scattering. Every reflection adds an edge at λ = 2·d_hkl: below it the
 *    cross section is higher (transmission lower), above it the transmission jumps up.
 *    Edges are smeared by the instrument's resolution (Gaussian, Δλ/λ = 0.4 %).
 * 2. Two alloys: ferritic (bcc, a = 2.8665 Å; edges 4.054, 2.866, 2.340, 2.027 … Å) in the
 *    top row, austenitic (fcc, a = 3.59 Å; edges 4.145, 3.590, 2.539, 2.165 … Å) in the
 *    bottom row. A surface-treated band along the top and bottom faces of each block has
 *    +0.35 % lattice strain (edges shift to longer λ), a texture that weakens the first
 *    edge and strengthens the second by 15 %, and 3 % more attenuation.
 * 3. Geometry on a 512 × 512 grid (4 × 4 sub-pixels per output pixel, so borders make
 *    mixed pixels as in the binned original): three columns × two rows of blocks, narrow
 *    hydrogen-rich spacers (polymer sheets, T ≈ 0.03–0.05, nearly flat) between the
 *    columns, slightly wavy, void (air, T = 1) above, between and below the rows. The
 *    blocks differ in thickness (±5 %) and are slightly wedge-shaped (±3 % top to bottom),
 *    which changes the amplitude of their spectra, not the edge positions.
 * 4. Beer–Lambert per material, T = exp(−n·σ(λ)·d), mixed linearly over each pixel's
 *    sub-pixels (intensities add when binning).
 * 5. Noise as in a TOF frame: the open beam I0(λ) follows a Maxwellian-like moderator
 *    spectrum (λ^−5·exp(−(λT/λ)²), peak ≈ 2.6 Å) with about `peakCounts` counts per bin
 *    and pixel at the peak; the measured transmission is Poisson(I0·T)/I0.
 *
 * Design choice: the wavelength axis is linear (TOF bins are linear in time, hence in λ)
 * from 1.5 to 5.0 Å, so the strongest edges (bcc 110 at 4.054 Å, fcc 111 at 4.145 Å) sit
 * near bin 480–500 like the big edge in the lecture's figure.
 */
import { NDArray } from '../core/ndarray.js';
import { Rng, deriveSeed } from './random.js';

/** Crystal structures of the two alloys. */
export type CrystalStructure = 'bcc' | 'fcc';

/** One Bragg reflection family. */
export interface BraggReflection {
  /** Miller indices of the family's representative, e.g. [1, 1, 0]. */
  hkl: [number, number, number];
  /** Lattice spacing d_hkl in Å. */
  d: number;
  /** Edge wavelength 2·d_hkl in Å. */
  edge: number;
  /** Multiplicity (number of equivalent planes). */
  multiplicity: number;
}

/** Options of the steel cross-section model. */
export interface SteelOptions {
  structure: CrystalStructure;
  /** Lattice parameter in Å (defaults: bcc 2.8665, fcc 3.59). */
  a?: number;
  /** Relative lattice strain (edges move by the same factor). Default 0. */
  strain?: number;
  /** Factors on the coherent contribution of the first, second, … reflection families (texture). */
  texture?: readonly number[];
  /** Instrument resolution Δλ/λ (Gaussian sigma). Default 0.004. */
  resolution?: number;
}

const B_FE = 0.945e-4; // coherent scattering length of Fe in Å (9.45 fm)
const BARN_PER_A2 = 1e8;
const SIGMA_ABS_1798 = 2.56; // barn at 1.798 Å
const SIGMA_INC = 0.4; // barn
const SIGMA_PHONON = 0.5; // barn, flat stand-in for inelastic scattering
const DEBYE_WALLER_B = 0.35; // Å²

/** Default lattice parameters (Å) of ferrite (bcc) and austenite (fcc). */
export const LATTICE_PARAMETER: Readonly<Record<CrystalStructure, number>> = { bcc: 2.8665, fcc: 3.59 };

/**
 * The Bragg reflection families of bcc or fcc iron with edges above `minEdge`.
 *
 * @param structure 'bcc' (h+k+l even) or 'fcc' (h, k, l all odd or all even)
 * @param a lattice parameter in Å (default: 2.8665 for bcc, 3.59 for fcc)
 * @param minEdge shortest edge wavelength to list, Å (default 1.0)
 * @returns families sorted by decreasing edge wavelength
 * @example
 *   braggReflections('bcc').slice(0, 3).map((r) => r.edge.toFixed(3));
 *   // ['4.054', '2.867', '2.340']
 */
export function braggReflections(structure: CrystalStructure, a?: number, minEdge = 1.0): BraggReflection[] {
  if (structure !== 'bcc' && structure !== 'fcc') throw new Error(`braggReflections: structure must be 'bcc' or 'fcc', got ${String(structure)}`);
  const lat = a ?? LATTICE_PARAMETER[structure];
  if (!(lat > 0)) throw new Error(`braggReflections: lattice parameter must be > 0, got ${lat}`);
  const maxN = Math.floor((2 * lat / minEdge) ** 2);
  const hmax = Math.ceil(Math.sqrt(maxN));
  const byN = new Map<number, { count: number; hkl: [number, number, number] }>();
  for (let h = -hmax; h <= hmax; h++) {
    for (let k = -hmax; k <= hmax; k++) {
      for (let l = -hmax; l <= hmax; l++) {
        const n = h * h + k * k + l * l;
        if (n === 0 || n > maxN) continue;
        const allowed =
          structure === 'bcc'
            ? (((h + k + l) % 2) + 2) % 2 === 0
            : (Math.abs(h) % 2 === Math.abs(k) % 2 && Math.abs(k) % 2 === Math.abs(l) % 2);
        if (!allowed) continue;
        const e = byN.get(n);
        const rep = [Math.abs(h), Math.abs(k), Math.abs(l)].sort((x, y) => y - x) as [number, number, number];
        if (e) {
          e.count++;
          if (rep.join() > e.hkl.join()) e.hkl = rep;
        } else byN.set(n, { count: 1, hkl: rep });
      }
    }
  }
  // Friedel pairs (hkl and -h-k-l) reflect from the same planes: multiplicity counts both,
  // as in the usual tables (bcc 110: 12, fcc 111: 8).
  return [...byN.entries()]
    .map(([n, e]) => ({ hkl: e.hkl, d: lat / Math.sqrt(n), edge: (2 * lat) / Math.sqrt(n), multiplicity: e.count }))
    .filter((r) => r.edge >= minEdge)
    .sort((x, y) => y.edge - x.edge);
}

// erfc for the smeared edges (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * z);
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? y : 2 - y;
}

/**
 * Total cross section per atom (barn) of bcc or fcc iron at each wavelength.
 *
 * @param wavelength wavelengths in Å
 * @param opts structure, lattice parameter, strain, texture factors, resolution
 * @returns σ(λ) in barn, same length as `wavelength`
 * @example
 *   const lam = Float64Array.from({ length: 5 }, (_, i) => 3.9 + 0.05 * i);
 *   steelCrossSection(lam, { structure: 'bcc' }); // drops by ~11 b across 4.054 Å
 */
export function steelCrossSection(wavelength: ArrayLike<number>, opts: SteelOptions): Float64Array {
  const structure = opts.structure;
  const a = (opts.a ?? LATTICE_PARAMETER[structure]) * (1 + (opts.strain ?? 0));
  const res = opts.resolution ?? 0.004;
  const nCell = structure === 'bcc' ? 2 : 4;
  const v0 = a * a * a;
  const f2 = (nCell * B_FE) ** 2 * BARN_PER_A2; // |F|² in barn·(dimensionless)
  let minLam = Infinity;
  for (let i = 0; i < wavelength.length; i++) minLam = Math.min(minLam, wavelength[i]!);
  const refl = braggReflections(structure, a, Math.max(0.2, minLam * 0.9));
  const out = new Float64Array(wavelength.length);
  for (let i = 0; i < wavelength.length; i++) {
    const lam = wavelength[i]!;
    let sum = 0;
    for (let j = 0; j < refl.length; j++) {
      const r = refl[j]!;
      const tex = opts.texture?.[j] ?? 1;
      const sigma = res * r.edge;
      const step = 0.5 * erfc((lam - r.edge) / (Math.SQRT2 * sigma));
      sum += tex * step * r.multiplicity * f2 * r.d * Math.exp(-DEBYE_WALLER_B / (2 * r.d * r.d));
    }
    const coh = ((lam * lam) / (2 * v0 * nCell)) * sum;
    out[i] = coh + SIGMA_ABS_1798 * (lam / 1.798) + SIGMA_INC + SIGMA_PHONON;
  }
  return out;
}

/** Options of makeTofCube. */
export interface TofCubeOptions {
  /** Seed of the noise (the geometry is fixed, like the lecture's sample). Default 2018. */
  seed?: number;
  /** Output rows and columns (the geometry scales with them). Default 128 × 128. */
  rows?: number;
  cols?: number;
  /** Number of wavelength bins. Default 661. */
  bins?: number;
  /** Wavelength range in Å. Default [1.5, 5.0]. */
  lambdaRange?: [number, number];
  /** Open-beam counts per bin and pixel at the spectrum's peak. Default 300. */
  peakCounts?: number;
  /** Skip the Poisson noise (the expected transmission). Default false. */
  noiseless?: boolean;
}

/** Material classes of the TOF sample, as stored in `classes`. */
export const TOF_CLASS_NAMES = ['void', 'spacer', 'ferrite (bcc)', 'austenite (fcc)'] as const;

/** The cube and what was drawn. */
export interface TofCube {
  /** Transmission, float32 [rows, cols, bins]. */
  cube: NDArray<Float32Array>;
  /** Wavelength of each bin centre in Å. */
  wavelength: Float64Array;
  /** Dominant material per pixel, uint8 [rows, cols]: 0 void, 1 spacer, 2 ferrite, 3 austenite. */
  classes: NDArray<Uint8Array>;
  /** 1 where the dominant material is a block's surface-treated band, uint8 [rows, cols]. */
  band: NDArray<Uint8Array>;
  /** Block index 0-5 (row-major, top-left first) per pixel, −1 outside blocks, int32 [rows, cols]. */
  block: NDArray<Int32Array>;
  /** Steel thickness (cm) of the dominant block per pixel, 0 elsewhere, float32 [rows, cols]. */
  thickness: NDArray<Float32Array>;
  /** Open-beam counts per bin (expected, per pixel). */
  openBeam: Float64Array;
  /** Edge wavelengths (Å) of the two alloys, longest first. */
  edges: { bcc: number[]; fcc: number[] };
  /** The parameters used. */
  params: Required<Omit<TofCubeOptions, 'noiseless'>> & { noiseless: boolean };
}

// Geometry in units of the 128-pixel frame (x = column, y = row), scaled for other sizes.
interface BlockGeom {
  top: number;
  bottom: number;
  thickness: number; // cm at the block's middle
  wedge: number; // relative thickness change from top to bottom
}
const SPACERS = [
  { x: 32.6, width: 3.6, tilt: -1.2, wobble: 0.6, period: 70, phase: 0.3 },
  { x: 79.0, width: 3.1, tilt: 1.0, wobble: 0.7, period: 55, phase: 2.1 },
  { x: 125.0, width: 2.9, tilt: -0.6, wobble: 0.35, period: 90, phase: 4.0 },
];
const BLOCKS: BlockGeom[] = [
  // top row: ferrite
  { top: 3.7, bottom: 58.8, thickness: 1.4, wedge: 0.04 },
  { top: 5.6, bottom: 60.6, thickness: 1.45, wedge: -0.03 },
  { top: 5.1, bottom: 59.7, thickness: 1.36, wedge: 0.04 },
  // bottom row: austenite
  { top: 60.9, bottom: 124.3, thickness: 1.02, wedge: -0.04 },
  { top: 62.4, bottom: 124.9, thickness: 0.98, wedge: 0.03 },
  { top: 61.8, bottom: 124.5, thickness: 1.06, wedge: -0.04 },
];
const BAND_DEPTH = 6.5; // pixels of the 128 frame
const SPACER_MU_D = 3.3; // μ·d of a spacer at 1.5 Å
const SPACER_SLOPE = 0.04; // relative increase of μ per Å
const PORE = { row: 36, col: 58, factor: 0.55 }; // one pore: locally thinner steel

function spacerCentre(s: (typeof SPACERS)[number], y: number): number {
  return s.x + (s.tilt * (y - 64)) / 64 + s.wobble * Math.sin((2 * Math.PI * y) / s.period + s.phase);
}

/**
 * Makes the stand-in of the lecture's time-of-flight cube (see the module comment for the
 * physics): six steel blocks of two alloys with Bragg edges, surface bands, spacers, void,
 * thickness differences and Poisson noise of a low-count TOF frame.
 *
 * @param opts `{seed = 2018, rows = 128, cols = 128, bins = 661, lambdaRange = [1.5, 5],
 *   peakCounts = 300, noiseless = false}`; the geometry is fixed (scaled to rows × cols),
 *   the seed changes only the noise
 * @returns `{cube, wavelength, classes, band, block, thickness, openBeam, edges, params}`
 * @example
 *   const { cube, wavelength, classes } = makeTofCube({ seed: 2018 });
 *   cube.shape;           // [128, 128, 661]
 *   cube.get(3, 57, 300); // ≈ 1 (void)
 *   classes.get(30, 15);  // 2 (ferrite), classes.get(120, 100) → 3 (austenite)
 */
export function makeTofCube(opts: TofCubeOptions = {}): TofCube {
  const seed = opts.seed ?? 2018;
  const rows = opts.rows ?? 128;
  const cols = opts.cols ?? 128;
  const bins = opts.bins ?? 661;
  const [l0, l1] = opts.lambdaRange ?? [1.5, 5.0];
  const peakCounts = opts.peakCounts ?? 300;
  const noiseless = opts.noiseless ?? false;
  if (!Number.isInteger(rows) || rows < 8 || !Number.isInteger(cols) || cols < 8) throw new Error(`makeTofCube: rows and cols must be integers ≥ 8, got ${rows} × ${cols}`);
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`makeTofCube: bins must be an integer ≥ 2, got ${bins}`);
  if (!(l0 > 0 && l1 > l0)) throw new Error(`makeTofCube: lambdaRange must be increasing and positive, got [${l0}, ${l1}]`);
  if (!(peakCounts > 0)) throw new Error(`makeTofCube: peakCounts must be > 0, got ${peakCounts}`);

  const wavelength = new Float64Array(bins);
  for (let i = 0; i < bins; i++) wavelength[i] = l0 + ((l1 - l0) * i) / (bins - 1);

  // Attenuation spectra μ(λ) in 1/cm: n·σ with n in atoms/cm³ (σ in barn = 1e-24 cm²).
  const nBcc = (2 / LATTICE_PARAMETER.bcc ** 3) * 1e24 * 1e-24; // atoms/Å³ → per cm³ × barn
  const nFcc = (4 / LATTICE_PARAMETER.fcc ** 3) * 1e24 * 1e-24;
  const mu = (o: SteelOptions, n: number, extra = 1): Float64Array => {
    const s = steelCrossSection(wavelength, o);
    for (let i = 0; i < bins; i++) s[i] = s[i]! * n * extra;
    return s;
  };
  const bandTexture = [0.85, 1.15];
  const muCore = [mu({ structure: 'bcc' }, nBcc), mu({ structure: 'fcc' }, nFcc)];
  const muBand = [
    mu({ structure: 'bcc', strain: 0.0035, texture: bandTexture }, nBcc, 1.03),
    mu({ structure: 'fcc', strain: 0.0035, texture: bandTexture }, nFcc, 1.03),
  ];
  const tSpacer = new Float64Array(bins);
  for (let i = 0; i < bins; i++) tSpacer[i] = Math.exp(-SPACER_MU_D * (1 + SPACER_SLOPE * (wavelength[i]! - 1.5)));

  // Regions on the 4× grid: 0 void, 1 spacer, 2 + 2·b block b core, 3 + 2·b block b band.
  const sy = rows / 128;
  const sx = cols / 128;
  const SUB = 4;
  const nRegions = 2 + 2 * BLOCKS.length;
  const frac = new Float32Array(rows * cols * nRegions);
  for (let r = 0; r < rows; r++) {
    for (let si = 0; si < SUB; si++) {
      const y = (r + (si + 0.5) / SUB) / sy; // in 128-frame units
      const edgesX = SPACERS.map((s) => {
        const c = spacerCentre(s, y);
        return [c - s.width / 2, c + s.width / 2] as const;
      });
      for (let c = 0; c < cols; c++) {
        for (let sj = 0; sj < SUB; sj++) {
          const x = (c + (sj + 0.5) / SUB) / sx;
          let region = 0;
          let col = -1;
          for (let k = 0; k < SPACERS.length; k++) {
            if (x >= edgesX[k]![0] && x < edgesX[k]![1]) {
              region = 1;
              break;
            }
          }
          if (region === 0) {
            // Blocks fill between spacers, with a hairline gap of void on some sides.
            if (x < edgesX[0]![0] - 0.15) col = 0;
            else if (x >= edgesX[0]![1] + 0.3 && x < edgesX[1]![0] - 0.1) col = 1;
            else if (x >= edgesX[1]![1] + 0.05 && x < edgesX[2]![0] - 0.35) col = 2;
            if (col >= 0) {
              for (let rowB = 0; rowB < 2; rowB++) {
                const b = rowB * 3 + col;
                const g = BLOCKS[b]!;
                if (y >= g.top && y < g.bottom) {
                  const inBand = y < g.top + BAND_DEPTH || y >= g.bottom - BAND_DEPTH;
                  region = 2 + 2 * b + (inBand ? 1 : 0);
                  break;
                }
              }
            }
          }
          frac[(r * cols + c) * nRegions + region]! += 1 / (SUB * SUB);
        }
      }
    }
  }

  // Open beam: Maxwellian-like moderator spectrum, peak normalised to peakCounts.
  const openBeam = new Float64Array(bins);
  const lamT = 4.1;
  let peak = 0;
  for (let i = 0; i < bins; i++) {
    const lam = wavelength[i]!;
    openBeam[i] = lam ** -5 * Math.exp(-((lamT / lam) ** 2));
    peak = Math.max(peak, openBeam[i]!);
  }
  for (let i = 0; i < bins; i++) openBeam[i] = (openBeam[i]! / peak) * peakCounts;

  const cube = new Float32Array(rows * cols * bins);
  const classes = new Uint8Array(rows * cols);
  const band = new Uint8Array(rows * cols);
  const block = new Int32Array(rows * cols).fill(-1);
  const thick = new Float32Array(rows * cols);
  const rng = new Rng(deriveSeed(seed, 'tof-noise'));
  const tPix = new Float64Array(bins);
  const poreR = Math.floor(PORE.row * sy);
  const poreC = Math.floor(PORE.col * sx);
  for (let r = 0; r < rows; r++) {
    const yc = (r + 0.5) / sy;
    for (let c = 0; c < cols; c++) {
      const p = r * cols + c;
      tPix.fill(0);
      let best = -1;
      let bestF = -1;
      for (let g = 0; g < nRegions; g++) {
        const f = frac[p * nRegions + g]!;
        if (f <= 0) continue;
        if (f > bestF) {
          bestF = f;
          best = g;
        }
        if (g === 0) {
          for (let i = 0; i < bins; i++) tPix[i] = tPix[i]! + f;
        } else if (g === 1) {
          for (let i = 0; i < bins; i++) tPix[i] = tPix[i]! + f * tSpacer[i]!;
        } else {
          const b = (g - 2) >> 1;
          const isBand = (g - 2) & 1;
          const geo = BLOCKS[b]!;
          const alloy = b < 3 ? 0 : 1;
          const rel = (yc - (geo.top + geo.bottom) / 2) / (geo.bottom - geo.top);
          let d = geo.thickness * (1 + geo.wedge * rel);
          if (r === poreR && c === poreC) d *= PORE.factor;
          const m = isBand ? muBand[alloy]! : muCore[alloy]!;
          for (let i = 0; i < bins; i++) tPix[i] = tPix[i]! + f * Math.exp(-m[i]! * d);
        }
      }
      if (best === 0) classes[p] = 0;
      else if (best === 1) classes[p] = 1;
      else {
        const b = (best - 2) >> 1;
        classes[p] = b < 3 ? 2 : 3;
        band[p] = (best - 2) & 1;
        block[p] = b;
        const geo = BLOCKS[b]!;
        const rel = (yc - (geo.top + geo.bottom) / 2) / (geo.bottom - geo.top);
        thick[p] = geo.thickness * (1 + geo.wedge * rel) * (r === poreR && c === poreC ? PORE.factor : 1);
      }
      const o = p * bins;
      if (noiseless) {
        for (let i = 0; i < bins; i++) cube[o + i] = tPix[i]!;
      } else {
        for (let i = 0; i < bins; i++) {
          const i0 = openBeam[i]!;
          cube[o + i] = rng.poisson(i0 * tPix[i]!) / i0;
        }
      }
    }
  }
  return {
    cube: new NDArray(cube, [rows, cols, bins]),
    wavelength,
    classes: new NDArray(classes, [rows, cols]),
    band: new NDArray(band, [rows, cols]),
    block: new NDArray(block, [rows, cols]),
    thickness: new NDArray(thick, [rows, cols]),
    openBeam,
    edges: {
      bcc: braggReflections('bcc', undefined, l0).map((r) => r.edge),
      fcc: braggReflections('fcc', undefined, l0).map((r) => r.edge),
    },
    params: { seed, rows, cols, bins, lambdaRange: [l0, l1], peakCounts, noiseless },
  };
}
