/**
 * Simulated rhizobox radiographs of root networks (with exact root masks) and thin
 * branching vessel images (retina-like) for pre-training, for the lecture's last part.
 *
 * Rhizobox model (neutron transmission, 0–1, roots DARK: root tissue is mostly water and
 * hydrogen attenuates neutrons strongly):
 * - moist soil: T ≈ 0.5 with fractal texture, grains and a wetter (darker) bottom;
 * - roots: 1–3 primary roots growing down from the top (random walk with gravitropism,
 *   radius ≈ 2.5–3.5 px tapering), laterals of first and second order (radius 55 % of the
 *   parent, at 35–75°), attenuation ∝ the root's chord; a slightly wetter rhizosphere
 *   halo around each root (not in the mask);
 * - distractors that a threshold or ridge filter takes for roots: the container walls
 *   (dark vertical strips with a water film along the inner edge), water-filled soil cracks
 *   (thin, straight-segmented, non-tapering dark lines that branch at sharp angles) and a
 *   porous barrier (a horizontal dark band with brighter pores) that roots may cross;
 * - Poisson noise at `counts` neutrons per pixel in the open beam.
 * The mask is 1 exactly where a pixel centre lies inside a root (distance to the root's
 * axis ≤ its radius); distractors and halo are never in it.
 *
 * Vessel model (for transfer learning, like green-channel retina photographs): a circular
 * field of view with vignetting, a bright optic disc and a darker fovea, and a vessel tree
 * of four arcades leaving the disc and bifurcating (radii 3 → 0.6 px), vessels darker.
 *
 * Design: the trees are grown as polylines of short segments and rendered as capsules in
 * their bounding boxes, so a 256 × 256 image costs about a millisecond per hundred
 * segments; everything is drawn from the seeded Rng.
 */
import { NDArray } from '../core/ndarray.js';
import { Rng, deriveSeed } from './random.js';
import { fractalNoise2D } from './texture.js';

/** Options of a root or vessel image. */
export interface RootImageOptions {
  /** Seed of the image. Default 2018. */
  seed?: number;
  /** Image side in pixels (≥ 64). Default 256. */
  size?: number;
  /** Open-beam neutrons per pixel for the Poisson noise (rhizobox only). Default 400. */
  counts?: number;
  /** Draw the distractors (container walls, cracks, barrier). Default true. */
  distractors?: boolean;
}

/** One simulated image with its exact mask. */
export interface SegmentationSample {
  /** float32 [size, size] in [0, 1]. */
  image: NDArray<Float32Array>;
  /** uint8 [size, size], 1 on roots / vessels. */
  mask: NDArray<Uint8Array>;
}

/** A stack of simulated images with masks. */
export interface SegmentationSet {
  /** float32 [n, size, size]. */
  images: NDArray<Float32Array>;
  /** uint8 [n, size, size]. */
  masks: NDArray<Uint8Array>;
}

interface Seg {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  r0: number;
  r1: number;
}

/** Distance from (px, py) to a segment and the interpolated radius there. */
function segDist(s: Seg, px: number, py: number): [number, number] {
  const dx = s.x1 - s.x0;
  const dy = s.y1 - s.y0;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((px - s.x0) * dx + (py - s.y0) * dy) / l2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const qx = s.x0 + t * dx - px;
  const qy = s.y0 + t * dy - py;
  return [Math.sqrt(qx * qx + qy * qy), s.r0 + t * (s.r1 - s.r0)];
}

/**
 * Renders capsules: `depth` gets max over segments of sqrt(1 − (dist/r)²) (a cylinder's
 * normalised chord), `mask` 1 where dist ≤ r, `near` the smallest dist − r up to `halo`.
 */
function renderSegments(segs: readonly Seg[], size: number, depth: Float32Array, mask: Uint8Array | null, near: Float32Array | null, halo: number): void {
  for (const s of segs) {
    const rmax = Math.max(s.r0, s.r1) + halo;
    const c0 = Math.max(0, Math.floor(Math.min(s.x0, s.x1) - rmax));
    const c1 = Math.min(size - 1, Math.ceil(Math.max(s.x0, s.x1) + rmax));
    const r0 = Math.max(0, Math.floor(Math.min(s.y0, s.y1) - rmax));
    const r1 = Math.min(size - 1, Math.ceil(Math.max(s.y0, s.y1) + rmax));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const [d, rad] = segDist(s, c + 0.5, r + 0.5);
        const i = r * size + c;
        if (d <= rad) {
          const q = d / rad;
          const ch = Math.sqrt(1 - q * q);
          if (ch > depth[i]!) depth[i] = ch;
          if (mask) mask[i] = 1;
        }
        if (near) {
          const e = d - rad;
          if (e < near[i]!) near[i] = e;
        }
      }
    }
  }
}

interface GrowParams {
  step: number;
  wander: number; // sd of heading change per step
  pull: number; // pull of the heading towards `pullTo`
  pullTo: number;
  spacing: [number, number]; // distance between branch points
  branchAngle: [number, number];
  childRadius: number;
  childLength: [number, number];
  minRadius: number;
  maxOrder: number;
  bifurcate: boolean; // vessels: the parent ends in two children
}

function grow(rng: Rng, segs: Seg[], x: number, y: number, heading: number, r0: number, length: number, order: number, p: GrowParams, size: number): void {
  const rEnd = Math.max(p.minRadius, r0 * 0.55);
  let nextBranch = rng.range(p.spacing[0], p.spacing[1]) * (p.bifurcate ? 1 : 0.6);
  let t = 0;
  let th = heading;
  while (t < length) {
    const r = r0 + (rEnd - r0) * (t / length);
    th += rng.normal(0, p.wander) + p.pull * Math.sin(p.pullTo - th);
    const nx = x + p.step * Math.cos(th);
    const ny = y + p.step * Math.sin(th);
    const r2 = r0 + (rEnd - r0) * Math.min(1, (t + p.step) / length);
    segs.push({ x0: x, y0: y, x1: nx, y1: ny, r0: r, r1: r2 });
    x = nx;
    y = ny;
    t += p.step;
    if (x < -20 || y < -20 || x > size + 20 || y > size + 20) return;
    if (t >= nextBranch && order < p.maxOrder) {
      nextBranch = t + rng.range(p.spacing[0], p.spacing[1]);
      const cr = Math.max(p.minRadius, r2 * p.childRadius);
      const side = rng.uniform() < 0.5 ? -1 : 1;
      const ang = rng.range(p.branchAngle[0], p.branchAngle[1]);
      if (p.bifurcate) {
        grow(rng, segs, x, y, th + side * ang, cr, Math.max(10, (length - t) * rng.range(0.6, 0.9)), order + 1, p, size);
        th -= side * ang * 0.5;
        length = t + (length - t) * 0.9;
      } else {
        grow(rng, segs, x, y, th + side * ang, cr, rng.range(p.childLength[0], p.childLength[1]) * (size / 256), order + 1, p, size);
      }
    }
  }
}

/** Jagged crack polylines: straight pieces with sharp turns and occasional side cracks. */
function crack(rng: Rng, segs: Seg[], x: number, y: number, th: number, length: number, width: number, depthLeft: number): void {
  let t = 0;
  while (t < length) {
    const piece = rng.range(6, 18);
    th += rng.normal(0, 0.45);
    const nx = x + piece * Math.cos(th);
    const ny = y + piece * Math.sin(th);
    segs.push({ x0: x, y0: y, x1: nx, y1: ny, r0: width, r1: width });
    x = nx;
    y = ny;
    t += piece;
    if (depthLeft > 0 && rng.uniform() < 0.2) crack(rng, segs, x, y, th + (rng.uniform() < 0.5 ? -1 : 1) * rng.range(1.0, 1.6), length * 0.4, width * 0.8, depthLeft - 1);
  }
}

/**
 * One simulated rhizobox radiograph (neutron transmission, roots dark) with its exact root
 * mask; see the module comment for the model.
 *
 * @param opts `{seed = 2018, size = 256, counts = 400, distractors = true}`
 * @returns `{image: float32 [size, size] in [0, 1], mask: uint8 [size, size]}`
 * @example
 *   const { image, mask } = makeRootImage({ seed: 7 });
 *   image.shape; // [256, 256]; mean(image[mask == 1]) < mean(image[mask == 0])
 */
export function makeRootImage(opts: RootImageOptions = {}): SegmentationSample {
  const seed = opts.seed ?? 2018;
  const size = opts.size ?? 256;
  const counts = opts.counts ?? 400;
  if (!Number.isInteger(size) || size < 64) throw new Error(`makeRootImage: size must be an integer ≥ 64, got ${size}`);
  if (!(counts > 0)) throw new Error(`makeRootImage: counts must be > 0, got ${counts}`);
  const rng = new Rng(deriveSeed(seed, 'rhizobox'));
  const n = size * size;
  const k = size / 256;

  // Soil: attenuation μd with texture, grains and a moisture gradient.
  const tex = fractalNoise2D(size, size, rng, { maxCell: 64 * k, minCell: 1, hurst: 0.7 });
  const mud = new Float32Array(n);
  const wetTop = rng.range(0.55, 0.7);
  const wetBottom = wetTop + rng.range(0.05, 0.2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) mud[r * size + c] = wetTop + (wetBottom - wetTop) * (r / size) + 0.05 * tex[r * size + c]!;
  }
  const nGrains = Math.round(rng.range(150, 300) * k * k);
  for (let g = 0; g < nGrains; g++) {
    const R = rng.range(1, 4) * k;
    const gy = rng.uniform() * size;
    const gx = rng.uniform() * size;
    const dm = rng.normal(-0.04, 0.05);
    for (let r = Math.max(0, Math.floor(gy - R)); r <= Math.min(size - 1, Math.ceil(gy + R)); r++) {
      for (let c = Math.max(0, Math.floor(gx - R)); c <= Math.min(size - 1, Math.ceil(gx + R)); c++) {
        const q = ((r + 0.5 - gy) ** 2 + (c + 0.5 - gx) ** 2) / (R * R);
        if (q < 1) mud[r * size + c] = mud[r * size + c]! + dm * Math.sqrt(1 - q);
      }
    }
  }

  // Distractors.
  const distract = opts.distractors ?? true;
  // Separate streams: roots, distractors and noise do not depend on each other.
  const rngD = new Rng(deriveSeed(seed, 'rhizobox-distractors'));
  const rngR = new Rng(deriveSeed(seed, 'rhizobox-roots'));
  const rngN = new Rng(deriveSeed(seed, 'rhizobox-noise'));
  if (distract) {
    const rng = rngD;
    // Cracks: water-filled, thin, straight pieces.
    const crackSegs: Seg[] = [];
    const nCracks = rng.int(3) + 1;
    for (let j = 0; j < nCracks; j++) crack(rng, crackSegs, rng.uniform() * size, rng.uniform() * size, rng.uniform() * 2 * Math.PI, rng.range(60, 160) * k, rng.range(0.9, 1.6) * k, 2);
    const cd = new Float32Array(n);
    renderSegments(crackSegs, size, cd, null, null, 0);
    const cStrength = rng.range(0.4, 0.6);
    for (let i = 0; i < n; i++) mud[i] = mud[i]! + cStrength * cd[i]!;
    // Porous barrier: a horizontal band with pores.
    if (rng.uniform() < 0.8) {
      const by = rng.range(0.3, 0.7) * size;
      const bh = rng.range(4, 8) * k;
      const tilt = rng.normal(0, 0.02);
      const pitch = rng.range(5, 9) * k;
      for (let r = 0; r < size; r++) {
        for (let c = 0; c < size; c++) {
          const y0 = by + tilt * (c - size / 2);
          const dy = r + 0.5 - y0;
          if (Math.abs(dy) > bh / 2 + 1) continue;
          const w = Math.min(1, Math.max(0, bh / 2 + 0.5 - Math.abs(dy)));
          const pore = Math.cos((2 * Math.PI * (c + 0.5)) / pitch) > 0.55 && Math.abs(dy) < bh / 4 ? 0.5 : 1;
          mud[r * size + c] = mud[r * size + c]! + 0.45 * w * pore;
        }
      }
    }
    // Container walls: dark strips at one or both sides with a water film at the inner edge.
    const sides = rng.uniform() < 0.6 ? [0, 1] : [rng.int(2)];
    for (const side of sides) {
      const wall = rng.range(3, 9) * k;
      for (let r = 0; r < size; r++) {
        for (let cc = 0; cc < Math.ceil(wall + 4 * k); cc++) {
          const c = side === 0 ? cc : size - 1 - cc;
          const d = cc + 0.5 - wall;
          const add = d < 0 ? 0.35 : 0.5 * Math.exp(-(d * d) / (2 * (1.2 * k) ** 2));
          mud[r * size + c] = mud[r * size + c]! + add;
        }
      }
    }
  }

  // Roots.
  const segs: Seg[] = [];
  const nPrimary = 1 + rngR.int(3);
  const params: GrowParams = {
    step: 2 * k,
    wander: 0.09,
    pull: 0.04,
    pullTo: Math.PI / 2,
    spacing: [12 * k, 35 * k],
    branchAngle: [0.6, 1.3],
    childRadius: 0.55,
    childLength: [25, 110],
    minRadius: 0.8 * k,
    maxOrder: 2,
    bifurcate: false,
  };
  for (let j = 0; j < nPrimary; j++) {
    const x = (0.2 + (0.6 * (j + rngR.uniform())) / nPrimary) * size;
    grow(rngR, segs, x, rngR.range(-4, 0.1 * size), Math.PI / 2 + rngR.normal(0, 0.2), rngR.range(2.5, 3.5) * k, rngR.range(0.9, 1.4) * size, 0, params, size);
  }
  const depth = new Float32Array(n);
  const mask = new Uint8Array(n);
  const near = new Float32Array(n).fill(Infinity);
  renderSegments(segs, size, depth, mask, near, 6 * k);
  const rootMu = rngR.range(0.45, 0.7);
  for (let i = 0; i < n; i++) {
    let m = mud[i]! + rootMu * depth[i]!;
    if (!mask[i] && near[i]! < Infinity) m += 0.06 * Math.exp(-near[i]! / (3 * k));
    mud[i] = m;
  }
  const image = new Float32Array(n);
  for (let i = 0; i < n; i++) image[i] = Math.min(1, rngN.poisson(counts * Math.exp(-Math.max(0, mud[i]!))) / counts);
  return { image: new NDArray(image, [size, size]), mask: new NDArray(mask, [size, size]) };
}

/**
 * One retina-like vessel image (vessels dark on a bright, vignetted field of view) with
 * its exact vessel mask, for pre-training before the root images.
 *
 * @param opts `{seed = 2018, size = 256}`
 * @returns `{image: float32 [size, size] in [0, 1], mask: uint8 [size, size]}`
 * @example
 *   const { image, mask } = makeVesselImage({ seed: 3 });
 */
export function makeVesselImage(opts: Pick<RootImageOptions, 'seed' | 'size'> = {}): SegmentationSample {
  const seed = opts.seed ?? 2018;
  const size = opts.size ?? 256;
  if (!Number.isInteger(size) || size < 64) throw new Error(`makeVesselImage: size must be an integer ≥ 64, got ${size}`);
  const rng = new Rng(deriveSeed(seed, 'vessels'));
  const n = size * size;
  const k = size / 256;
  const cx = size / 2;
  const cy = size / 2;
  const fov = 0.47 * size;
  const right = rng.uniform() < 0.5;
  const dx = (right ? 1 : -1) * rng.range(0.18, 0.26) * size;
  const disc = { x: cx + dx, y: cy + rng.normal(0, 0.03 * size), r: rng.range(12, 16) * k };
  const fovea = { x: cx - dx * 0.35, y: cy + rng.normal(0, 0.02 * size) };
  const tex = fractalNoise2D(size, size, rng, { maxCell: 64 * k, minCell: 2, hurst: 0.8 });
  const segs: Seg[] = [];
  const toFovea = Math.atan2(fovea.y - disc.y, fovea.x - disc.x);
  const params: GrowParams = {
    step: 2 * k,
    wander: 0.06,
    pull: 0.012,
    pullTo: toFovea,
    spacing: [18 * k, 40 * k],
    branchAngle: [0.35, 0.75],
    childRadius: 0.75,
    childLength: [0, 0],
    minRadius: 0.6 * k,
    maxOrder: 4,
    bifurcate: true,
  };
  // Two temporal arcades bending round the fovea, two thinner nasal ones.
  const arcades: [number, number, number][] = [
    [toFovea - rng.range(0.8, 1.2), 3.2, toFovea],
    [toFovea + rng.range(0.8, 1.2), 3.2, toFovea],
    [toFovea + Math.PI - rng.range(0.5, 0.9), 2.4, toFovea + Math.PI],
    [toFovea + Math.PI + rng.range(0.5, 0.9), 2.4, toFovea + Math.PI],
  ];
  for (const [heading, r0, pullTo] of arcades) {
    grow(rng, segs, disc.x, disc.y, heading, r0 * k, rng.range(0.7, 1.0) * size, 0, { ...params, pullTo }, size);
  }
  const depth = new Float32Array(n);
  const mask = new Uint8Array(n);
  renderSegments(segs, size, depth, mask, null, 0);
  const image = new Float32Array(n);
  const contrast = rng.range(0.18, 0.3);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      const rho = Math.hypot(r + 0.5 - cy, c + 0.5 - cx);
      if (rho > fov) {
        image[i] = Math.max(0, 0.02 + rng.normal(0, 0.01));
        mask[i] = 0;
        continue;
      }
      let v = 0.55 * (1 - 0.35 * (rho / fov) ** 2) + 0.04 * tex[i]!;
      v += 0.35 * Math.exp(-(((c + 0.5 - disc.x) ** 2 + (r + 0.5 - disc.y) ** 2) / (2 * disc.r * disc.r)));
      v -= 0.12 * Math.exp(-(((c + 0.5 - fovea.x) ** 2 + (r + 0.5 - fovea.y) ** 2) / (2 * (20 * k) ** 2)));
      v -= contrast * depth[i]! * v * 1.6;
      image[i] = Math.min(1, Math.max(0, v + rng.normal(0, 0.015)));
    }
  }
  return { image: new NDArray(image, [size, size]), mask: new NDArray(mask, [size, size]) };
}

function stack(samples: SegmentationSample[], size: number): SegmentationSet {
  const n = samples.length;
  const images = new Float32Array(n * size * size);
  const masks = new Uint8Array(n * size * size);
  samples.forEach((s, j) => {
    images.set(s.image.data, j * size * size);
    masks.set(s.mask.data, j * size * size);
  });
  return { images: new NDArray(images, [n, size, size]), masks: new NDArray(masks, [n, size, size]) };
}

/** Options of a set of images. */
export interface RootSetOptions {
  /** Number of images. */
  n: number;
  /** Seed of the set; image j uses deriveSeed(seed, `${split}:${j}`). Default 2018. */
  seed?: number;
  /** Split name mixed into the seeds, so train, val and test never share an image. Default 'train'. */
  split?: string;
  /** Image side. Default 256. */
  size?: number;
  /** Neutrons per pixel (rhizobox only). Default 400. */
  counts?: number;
}

/**
 * A stack of rhizobox radiographs and root masks (e.g. 24 train, 6 val, 6 test).
 *
 * @param opts `{n, seed = 2018, split = 'train', size = 256, counts = 400}`
 * @returns `{images: float32 [n, size, size], masks: uint8 [n, size, size]}`
 * @example
 *   const train = makeRootSet({ n: 24, split: 'train' });
 *   const test = makeRootSet({ n: 6, split: 'test' });
 */
export function makeRootSet(opts: RootSetOptions): SegmentationSet {
  const { n } = opts;
  if (!Number.isInteger(n) || n < 1) throw new Error(`makeRootSet: n must be a positive integer, got ${n}`);
  const seed = opts.seed ?? 2018;
  const split = opts.split ?? 'train';
  const size = opts.size ?? 256;
  const samples = Array.from({ length: n }, (_, j) => makeRootImage({ seed: deriveSeed(seed, `${split}:${j}`), size, counts: opts.counts }));
  return stack(samples, size);
}

/**
 * A stack of retina-like vessel images and masks, for pre-training.
 *
 * @param opts `{n, seed = 2018, split = 'train', size = 256}`
 * @returns `{images: float32 [n, size, size], masks: uint8 [n, size, size]}`
 * @example
 *   const vessels = makeVesselSet({ n: 16 });
 */
export function makeVesselSet(opts: Omit<RootSetOptions, 'counts'>): SegmentationSet {
  const { n } = opts;
  if (!Number.isInteger(n) || n < 1) throw new Error(`makeVesselSet: n must be a positive integer, got ${n}`);
  const seed = opts.seed ?? 2018;
  const split = opts.split ?? 'train';
  const size = opts.size ?? 256;
  const samples = Array.from({ length: n }, (_, j) => makeVesselImage({ seed: deriveSeed(seed, `vessel-${split}:${j}`), size }));
  return stack(samples, size);
}
