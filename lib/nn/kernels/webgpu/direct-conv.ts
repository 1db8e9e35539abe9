/**
 * WGSL generator for a direct 2-D convolution in NHWC with HWIO weights, register-tiled:
 * the program behind this project's `Conv2D` / `FusedConv2D` (forward) and, with the filter
 * flipped and transposed, `Conv2DBackpropInput` (stride 1) on the webgpu backend.
 *
 * out[n, oy, ox, co] = act(bias[co] + Σ_{kh, kw, ci} x[n, oy·sh + kh·dh − pt, ox·sw + kw·dw − pl, ci] · w[kh, kw, ci, co])
 * with x = 0 outside the image.
 *
 * Why it is shaped like this (measured on lavapipe, see bench/UNET-PERF.md, and sound on a
 * real GPU too):
 * - Each invocation computes a tile of TP consecutive output columns of one output row times
 *   TC output channels, so every loaded value feeds many FMAs: per filter row and input-channel
 *   quad it loads TP + KW − 1 input vec4s (the columns the KW taps share when the stride and
 *   dilation are 1) and KW·4·TC/4 weight vec4s, for KW·TP·4·TC FMAs.
 * - Lanes of a workgroup take neighbouring column tiles of the same row and channel block: the
 *   weight loads are the same address in every lane (one load, broadcast) and the input loads
 *   of neighbouring lanes are neighbours in memory (coalesced on a GPU).
 * - Rows run over workgroup y with a grid-stride loop, so any batch × height fits the
 *   65535-workgroup limit; channel blocks run over workgroup z.
 * - Channel counts that are multiples of 4 use vec4 loads and stores; others use scalars
 *   (the U-Net's first layer has 1 input channel, its last 1 output channel).
 * - Out-of-image columns read a clamped, valid address and are replaced by 0 with `select`, so
 *   there is no divergent branch per load and a NaN or Inf at the image edge never leaks in.
 */
import { ceilDiv, MAX_WORKGROUPS_PER_DIM, unroll, type ProgramSpec } from './program.js';

/**
 * WGSL that unpacks the `dims` uniform (input rows, input columns, output rows, output
 * columns) that both convolution generators pass.
 */
export const IMAGE_DIMS = 'let inH = uniforms.dims.x; let inW = uniforms.dims.y; let outH = uniforms.dims.z; let outW = uniforms.dims.w;';

/** Geometry of one convolution (sizes in elements; pads may be negative). */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  padTop: number;
  padLeft: number;
}

/** Register tile of one invocation. */
export interface ConvTile {
  /** output columns per invocation */
  tp: number;
  /** output channels per invocation (a multiple of 4 when outC is) */
  tc: number;
  /** invocations per workgroup (along the columns) */
  wg: number;
}

/** What follows the sum: nothing, a bias, a bias and a ReLU. */
export interface ConvEpilogue {
  bias: boolean;
  activation: 'linear' | 'relu';
}

/** The largest divisor of n that is at most max (at least 1). */
export function largestDivisorAtMost(n: number, max: number): number {
  for (let d = Math.min(n, max); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/**
 * The tile used for a geometry: `tp` columns (default 8) × 8 channels when the output channels
 * come in quads (4 when their number of quads is odd), 16 columns × 1 channel otherwise, and
 * `wg` invocations per workgroup. It depends on the channel count only through its
 * divisibility, not on the image size, so few pipelines serve many shapes.
 */
export function defaultConvTile(g: ConvGeometry, wg = 32, tp = 8): ConvTile {
  if (g.outC % 4 !== 0) return { tp: 16, tc: 1, wg };
  return { tp, tc: 4 * largestDivisorAtMost(g.outC / 4, 2), wg };
}

/**
 * The WGSL program of a direct convolution. Inputs: `x` [batch, inH, inW, inC], `w`
 * [kh, kw, inC, outC], and `b` [outC] when `epi.bias`. Output [batch, outH, outW, outC].
 */
export function directConvProgram(name: string, g: ConvGeometry, tile: ConvTile, epi: ConvEpilogue): ProgramSpec {
  const vci = g.inC % 4 === 0 ? 4 : 1;
  const vco = g.outC % 4 === 0 ? 4 : 1;
  const { tp, wg } = tile;
  const tc = vco === 4 ? tile.tc : 1;
  if (tc % vco !== 0 || (g.outC / vco) % (tc / vco) !== 0) throw new Error(`${name}: tile of ${tc} channels does not divide ${g.outC}`);
  const tcv = tc / vco; // vectors of output channels per invocation
  const co4 = g.outC / vco; // output-channel vectors per pixel
  const reuse = g.sw === 1 && g.dw === 1 && g.kw <= 7;
  const zeroX = vci === 4 ? 'vec4<f32>(0.0)' : '0.0';
  const zeroA = vco === 4 ? 'vec4<f32>(0.0)' : '0.0';
  const splat = (s: string) => (vco === 4 ? `vec4<f32>(${s})` : s);
  const comp = (v: string, q: number) => (vci === 4 ? `${v}[${q}]` : v);
  const acc = (p: number, t: number) => `a${p}_${t}`;

  /** Loads input column `ix` (expression) of row base `xrow` into `name`, 0 outside the image. */
  const loadX = (nameX: string, ix: string) =>
    `let ${nameX} = select(${zeroX}, x[(xrow + clamp(${ix}, 0, inW - 1)) * ci4 + c], ${ix} >= 0 && ${ix} < inW);`;
  /** Weight vectors (tag `tag`) of filter tap `tap` (an expression) for input channel q of the current vector. */
  const loadW = (tap: string, tag: string, q: number, t: number) =>
    `let w${tag}_${q}_${t} = w[(${tap} * inC + c * ${vci} + ${q}) * co4 + cb + ${t}];`;
  /** Loads one tap's weights and adds its products to every accumulator. */
  const fmaTap = (tap: string, tag: string, xv: (p: number) => string) =>
    unroll(vci, (q) => unroll(tcv, (t) => loadW(tap, tag, q, t))) + '\n' +
    unroll(tp, (p) => unroll(vci, (q) => unroll(tcv, (t) => `${acc(p, t)} = fma(${splat(comp(xv(p), q))}, w${tag}_${q}_${t}, ${acc(p, t)});`)));

  let inner: string;
  if (reuse) {
    // The TP + KW − 1 columns that the KW taps of TP neighbouring outputs read.
    const cols = tp + g.kw - 1;
    inner = unroll(cols, (j) => loadX(`x${j}`, `ox0 - pl + ${j}`)) + '\n' +
      unroll(g.kw, (k) => fmaTap(`(kh * ${g.kw} + ${k})`, String(k), (p) => `x${p + k}`));
  } else {
    inner = `for (var k = 0; k < ${g.kw}; k++) {\n` +
      unroll(tp, (p) => loadX(`x${p}`, `(ox0 + ${p}) * ${g.sw} + k * ${g.dw} - pl`)) + '\n' +
      fmaTap(`(kh * ${g.kw} + k)`, 'k', (p) => `x${p}`) + '\n}';
  }
  const epilogue = (p: number, t: number) => {
    let v = acc(p, t);
    if (epi.bias) v = `(${v} + b[cb + ${t}])`;
    if (epi.activation === 'relu') v = `max(${v}, ${zeroA})`;
    return v;
  };

  const main = `
fn main() {
  ${IMAGE_DIMS}
  let pt = uniforms.pads.x;
  let pl = uniforms.pads.y;
  let rows = uniforms.pads.z;
  let ci4 = uniforms.chans.x;
  let co4 = uniforms.chans.y;
  let inC = uniforms.chans.z;
  let ox0 = (i32(workgroupId.x) * ${wg} + i32(localId.x)) * ${tp};
  let cb = i32(workgroupId.z) * ${tcv};
  for (var row = i32(workgroupId.y); row < rows; row += i32(numWorkgroups.y)) {
    let n = row / outH;
    let oy = row - n * outH;
    ${unroll(tp, (p) => unroll(tcv, (t) => `var ${acc(p, t)} = ${zeroA};`, ' '), '\n    ')}
    for (var kh = 0; kh < ${g.kh}; kh++) {
      let iy = oy * ${g.sh} + kh * ${g.dh} - pt;
      if (iy < 0 || iy >= inH) { continue; }
      let xrow = (n * inH + iy) * inW;
      for (var c = 0; c < ci4; c++) {
        ${inner.split('\n').join('\n        ')}
      }
    }
    let orow = row * outW;
    ${unroll(tp, (p) => `if (ox0 + ${p} < outW) {\n      ${unroll(tcv, (t) => `result[(orow + ox0 + ${p}) * co4 + cb + ${t}] = ${epilogue(p, t)};`, '\n      ')}\n    }`, '\n    ')}
  }
}
`;
  const rowsTotal = g.batch * g.outH;
  return {
    name,
    // Channel counts are uniforms: every convolution with the same vector widths, filter
    // size, strides and tile shares one pipeline (forward and input gradient alike).
    key: `dconv_v${vci}x${vco}_k${g.kh}x${g.kw}_s${g.sh}x${g.sw}_d${g.dh}x${g.dw}_tp${tp}_tcv${tcv}_wg${wg}_${epi.bias ? 'b' : ''}${epi.activation}`,
    inputs: [{ name: 'x', components: vci as 1 | 4 }, { name: 'w', components: vco as 1 | 4 }, ...(epi.bias ? [{ name: 'b', components: vco as 1 | 4 }] : [])],
    outputShape: [g.batch, g.outH, g.outW, g.outC],
    outputComponents: vco as 1 | 4,
    workgroup: [wg, 1, 1],
    dispatch: [ceilDiv(g.outW, tp * wg), Math.min(rowsTotal, MAX_WORKGROUPS_PER_DIM), co4 / tcv],
    uniforms: [
      { decl: 'dims : vec4<i32>', type: 'int32', data: [g.inH, g.inW, g.outH, g.outW] },
      { decl: 'pads : vec4<i32>', type: 'int32', data: [g.padTop, g.padLeft, rowsTotal, 0] },
      { decl: 'chans : vec4<i32>', type: 'int32', data: [g.inC / vci, co4, g.inC, 0] },
    ],
    main,
  };
}
