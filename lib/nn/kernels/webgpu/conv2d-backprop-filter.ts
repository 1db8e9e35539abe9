/**
 * `Conv2DBackpropFilter` for the webgpu backend: the convolution's filter gradient as an
 * implicit matrix product whose long reduction is split across many invocations, then summed.
 *
 * dW[kh, kw, ci, co] = Σ_{n, oy, ox} x[n, oy·sh + kh − pt, ox·sw + kw − pl, ci] · dy[n, oy, ox, co]
 * (x = 0 outside the image; tfjs allows no dilation in this gradient).
 *
 * Why: tfjs-backend-webgpu 4.22 runs one invocation per filter weight, each looping over all
 * batch × rows × columns (307 200 iterations for the lecture's batch): a GPU cannot spread that
 * serial work, and on lavapipe it was 60–68 % of a training step. Here:
 * - Pass 1 (`ConvBackpropFilterPartial`): invocation (tile, slice) sums over the output rows of
 *   its slice for one register tile of dW — one filter row kh, all KW taps, one quad of input
 *   channels, TC output channels. Along a row it slides a window of KW input columns (stride
 *   1), so each step loads one input vec4 and TC/4 dy vec4s for KW·4·TC FMAs. Its partial sums
 *   go to a [slices, kh, kw, ci, co] buffer.
 * - Pass 2 (`ConvBackpropFilterReduce`): sums the slices.
 * The number of slices is chosen so that there are thousands of invocations when the image is
 * large (a GPU needs them) while the partial buffer stays small (≤ 4 M floats).
 * Lanes of a workgroup take neighbouring input-channel quads of the same slice: their x loads
 * are neighbours in memory and their dy loads are one shared address.
 * Any stride and padding ('same', 'valid', explicit, dimRoundingMode) works; NCHW is refused
 * (the caller falls back to the stock kernel).
 */
import { ceilDiv, flatDispatch, unroll, type ProgramSpec } from './program.js';
import { IMAGE_DIMS, largestDivisorAtMost, type ConvGeometry } from './direct-conv.js';

/** Geometry of a filter gradient: the convolution's, without dilation (tfjs has none here). */
export type FilterGradGeometry = Omit<ConvGeometry, 'dh' | 'dw'>;

/** How the work is cut: output channels per invocation, rows per slice, invocations per workgroup. */
export interface FilterGradPlan {
  /** output channels per invocation (a multiple of 4 when outC is) */
  tc: number;
  /** output rows (of batch × outH) per slice */
  rowsPerSlice: number;
  /** number of slices */
  slices: number;
  /** workgroup size */
  wg: number;
}

/** Largest partial buffer, in floats. */
const MAX_PARTIAL = 4 << 20;

/** The cut used for a geometry (see the module header). */
export function planFilterGrad(g: FilterGradGeometry, targetInvocations = 8192, maxTc = 8): FilterGradPlan {
  const vco = g.outC % 4 === 0 ? 4 : 1;
  const vci = g.inC % 4 === 0 ? 4 : 1;
  const tc = vco === 4 ? 4 * largestDivisorAtMost(g.outC / 4, Math.max(1, Math.floor((g.kw <= 3 ? maxTc : 4) / 4))) : 1;
  const tiles = g.kh * (g.inC / vci) * (g.outC / tc);
  const rows = g.batch * g.outH;
  const filterSize = g.kh * g.kw * g.inC * g.outC;
  const maxSlices = Math.max(1, Math.min(rows, Math.floor(MAX_PARTIAL / filterSize)));
  const wanted = Math.max(1, Math.min(maxSlices, ceilDiv(targetInvocations, tiles)));
  const rowsPerSlice = ceilDiv(rows, wanted);
  return { tc, rowsPerSlice, slices: ceilDiv(rows, rowsPerSlice), wg: 64 };
}

/** Pass 1: partial sums [slices, kh, kw, inC, outC] of the filter gradient. Inputs x, dy. */
export function filterGradPartialProgram(g: FilterGradGeometry, plan: FilterGradPlan): ProgramSpec {
  const vci = g.inC % 4 === 0 ? 4 : 1;
  const vco = g.outC % 4 === 0 ? 4 : 1;
  const tc = vco === 4 ? plan.tc : 1;
  const tcv = tc / vco;
  const ci4 = g.inC / vci;
  const co4 = g.outC / vco;
  const cbs = co4 / tcv; // channel blocks
  const tiles = g.kh * ci4 * cbs;
  const zeroX = vci === 4 ? 'vec4<f32>(0.0)' : '0.0';
  const zeroA = vco === 4 ? 'vec4<f32>(0.0)' : '0.0';
  const splat = (s: string) => (vco === 4 ? `vec4<f32>(${s})` : s);
  const comp = (v: string, q: number) => (vci === 4 ? `${v}[${q}]` : v);
  const acc = (k: number, q: number, t: number) => `a${k}_${q}_${t}`;
  const slide = g.sw === 1;
  const loadX = (name: string, ix: string) =>
    `let ${name} = select(${zeroX}, x[(xrow + clamp(${ix}, 0, inW - 1)) * ci4 + c], ${ix} >= 0 && ${ix} < inW);`;
  const fmas = (xv: (k: number) => string) =>
    unroll(tcv, (t) => `let d${t} = dy[(drow + ox) * co4 + cb + ${t}];`) + '\n' +
    unroll(g.kw, (k) => unroll(vci, (q) => unroll(tcv, (t) => `${acc(k, q, t)} = fma(${splat(comp(xv(k), q))}, d${t}, ${acc(k, q, t)});`)));

  // The window: xw0 … xw(KW−2) carried between columns, the newest column loaded each step.
  const body = slide
    ? `${unroll(g.kw - 1, (k) => `var xw${k} = ${zeroX};\n{ ${loadX('v', `-pl + ${k}`)} xw${k} = v; }`)}
      for (var ox = 0; ox < outW; ox++) {
        ${loadX(`xn`, `ox - pl + ${g.kw - 1}`)}
        ${fmas((k) => (k === g.kw - 1 ? 'xn' : `xw${k}`)).split('\n').join('\n        ')}
        ${unroll(g.kw - 1, (k) => `xw${k} = ${k + 1 === g.kw - 1 ? 'xn' : `xw${k + 1}`};`, ' ')}
      }`
    : `for (var ox = 0; ox < outW; ox++) {
        ${unroll(g.kw, (k) => loadX(`xs${k}`, `ox * ${g.sw} - pl + ${k}`), '\n        ')}
        ${fmas((k) => `xs${k}`).split('\n').join('\n        ')}
      }`;

  const main = `
fn main() {
  ${IMAGE_DIMS}
  let pt = uniforms.geo.x;
  let pl = uniforms.geo.y;
  let rows = uniforms.geo.z;
  let rowsPerSlice = uniforms.geo.w;
  let ci4 = uniforms.chans.x;
  let co4 = uniforms.chans.y;
  let cbs = uniforms.chans.z;
  let tiles = uniforms.chans.w;
  let khs = uniforms.filt.x;
  let inC = uniforms.filt.y;
  let gid = i32(workgroupId.x) * ${plan.wg} + i32(localId.x) + i32(workgroupId.y) * ${plan.wg} * i32(numWorkgroups.x);
  if (gid >= tiles * uniforms.filt.z) { return; }
  let slice = gid / tiles;
  var tile = gid - slice * tiles;
  let c = tile % ci4;
  tile = tile / ci4;
  let cb = (tile % cbs) * ${tcv};
  let kh = tile / cbs;
  ${unroll(g.kw, (k) => unroll(vci, (q) => unroll(tcv, (t) => `var ${acc(k, q, t)} = ${zeroA};`, ' '), ' '), '\n  ')}
  let rowEnd = min(rows, (slice + 1) * rowsPerSlice);
  for (var row = slice * rowsPerSlice; row < rowEnd; row++) {
    let n = row / outH;
    let oy = row - n * outH;
    let iy = oy * ${g.sh} + kh - pt;
    if (iy >= 0 && iy < inH) {
      let xrow = (n * inH + iy) * inW;
      let drow = row * outW;
      ${body}
    }
  }
  // partial[slice, kh, k, ci, co]
  ${unroll(g.kw, (k) => unroll(vci, (q) => unroll(tcv, (t) =>
    `result[(((slice * khs + kh) * ${g.kw} + ${k}) * inC + c * ${vci} + ${q}) * co4 + cb + ${t}] = ${acc(k, q, t)};`), '\n  '), '\n  ')}
}
`;
  return {
    name: 'ConvBackpropFilterPartial',
    // Channel counts, filter height and slices are uniforms: one pipeline per vector widths,
    // filter width, stride and tile.
    key: `convbpf_part_v${vci}x${vco}_kw${g.kw}_s${g.sh}x${g.sw}_tcv${tcv}_wg${plan.wg}`,
    inputs: [{ name: 'x', components: vci as 1 | 4 }, { name: 'dy', components: vco as 1 | 4 }],
    outputShape: [plan.slices, g.kh, g.kw, g.inC, g.outC],
    outputComponents: vco as 1 | 4,
    workgroup: [plan.wg, 1, 1],
    dispatch: flatDispatch(ceilDiv(tiles * plan.slices, plan.wg)),
    uniforms: [
      { decl: 'dims : vec4<i32>', type: 'int32', data: [g.inH, g.inW, g.outH, g.outW] },
      { decl: 'geo : vec4<i32>', type: 'int32', data: [g.padTop, g.padLeft, g.batch * g.outH, plan.rowsPerSlice] },
      { decl: 'chans : vec4<i32>', type: 'int32', data: [ci4, co4, cbs, tiles] },
      { decl: 'filt : vec4<i32>', type: 'int32', data: [g.kh, g.inC, plan.slices, 0] },
    ],
    main,
  };
}

/** Pass 2: sums the [slices, size] partial buffer over slices into [kh, kw, inC, outC]. */
export function sumSlicesProgram(slices: number, filterShape: [number, number, number, number]): ProgramSpec {
  const size = filterShape[0] * filterShape[1] * filterShape[2] * filterShape[3];
  const v = size % 4 === 0 ? 4 : 1;
  const n = size / v;
  const wg = 64;
  const zero = v === 4 ? 'vec4<f32>(0.0)' : '0.0';
  return {
    name: 'ConvBackpropFilterReduce',
    key: `convbpf_reduce_v${v}`,
    inputs: [{ name: 'part', components: v as 1 | 4 }],
    outputShape: [...filterShape],
    outputComponents: v as 1 | 4,
    workgroup: [wg, 1, 1],
    dispatch: flatDispatch(ceilDiv(n, wg)),
    uniforms: [{ decl: 'red : vec2<i32>', type: 'int32', data: [n, slices] }],
    main: `
fn main() {
  let i = (i32(workgroupId.y) * i32(numWorkgroups.x) + i32(workgroupId.x)) * ${wg} + i32(localId.x);
  let n = uniforms.red.x;
  if (i >= n) { return; }
  var s0 = ${zero};
  var s1 = ${zero};
  var s = 0;
  for (; s + 1 < uniforms.red.y; s += 2) {
    s0 += part[s * n + i];
    s1 += part[(s + 1) * n + i];
  }
  if (s < uniforms.red.y) { s0 += part[s * n + i]; }
  result[i] = s0 + s1;
}
`,
  };
}
