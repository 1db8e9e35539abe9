/**
 * The project's convolution kernels for the webgpu backend: `Conv2D`, `FusedConv2D` (bias and
 * ReLU applied in the same program), `Conv2DBackpropInput` and `Conv2DBackpropFilter`.
 *
 * Each is a function from the kernel's tfjs arguments to either its output or a refusal (a
 * short reason). A refusal is never an error: `./index.ts` then runs tfjs's stock kernel and
 * counts the reason, so a case this file does not handle gives the stock answer, never a wrong
 * one. Handled: NHWC float32, any filter size, stride, dilation (forward) and padding ('same',
 * 'valid', a number, explicit, any dimRoundingMode). Refused: NCHW, non-float32 inputs,
 * `Conv2DBackpropInput` with a stride above 1, fused activations other than linear and ReLU,
 * PReLU weights, a bias that is not one value per output channel, tensors stored in textures.
 *
 * Tiles: a software adapter (lavapipe, SwiftShader) runs each invocation as CPU code where a
 * storage load costs as much as tens of FMAs, so it gets large register tiles; a hardware GPU
 * gets moderate ones that leave registers for many resident invocations
 * (bench/UNET-PERF.md has the measurements behind both).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { directConvProgram, defaultConvTile, type ConvGeometry, type ConvTile } from './direct-conv.js';
import { filterGradPartialProgram, planFilterGrad, sumSlicesProgram, type FilterGradGeometry } from './conv2d-backprop-filter.js';
import { ceilDiv, flatDispatch, runProgram, type ProgramSpec } from './program.js';

type TensorInfo = tf.TensorInfo;

/** What a project kernel returns: its output, or why it leaves the work to the stock kernel. */
export type KernelResult = TensorInfo | { refused: string };

/** The arguments tfjs passes to a kernel function. */
export interface WebGpuKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: WebGPUBackend;
  attrs?: tf.NamedAttrMap;
}

/** True when the backend's adapter is a CPU implementation of WebGPU (lavapipe, SwiftShader). */
export function isSoftwareAdapter(backend: WebGPUBackend): boolean {
  const a = backend.adapterInfo as unknown as { vendor?: string; architecture?: string } | undefined;
  return a?.architecture === 'software' || /swiftshader|llvmpipe|lavapipe/i.test(`${a?.vendor ?? ''} ${a?.architecture ?? ''}`);
}

/** Why the tensors cannot go to a project kernel, or null when they can. */
function unsupported(backend: WebGPUBackend, tensors: (TensorInfo | undefined)[]): string | null {
  const map = (backend as unknown as { tensorMap: { get(id: object): { resource?: unknown; dtype?: string } | undefined } }).tensorMap;
  for (const t of tensors) {
    if (!t) continue;
    if (t.dtype !== 'float32') return `${t.dtype} input`;
    const data = map.get(t.dataId as object);
    // a float32 tensor cast from bool or int32 can share an int32 buffer: the WGSL reads f32
    if (data?.dtype !== undefined && data.dtype !== 'float32') return `float32 input stored as ${data.dtype}`;
    const r = data?.resource;
    if (r != null && typeof GPUBuffer !== 'undefined' && !(r instanceof GPUBuffer)) return 'input stored in a texture';
  }
  return null;
}

type Conv2DAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * The forward tile for this adapter and geometry. A software adapter runs each workgroup on one
 * CPU thread, so it gets small workgroups (8 invocations: more of them to share out) and
 * 16 columns × 8 channels per invocation: on an idle machine that made the U-Net step 0.24 of the
 * stock kernels' time instead of 0.26–0.27 with 8 columns, and a cold shader cache cost 2 s more
 * (the bench's whole run: 28.5 s instead of 26.6 s; W11 in bench/UNET-PERF.md). A GPU gets 32
 * invocations per workgroup and 8 columns × 8 channels (untuned: no GPU was lent yet).
 */
function forwardTile(backend: WebGPUBackend, g: ConvGeometry): ConvTile {
  return isSoftwareAdapter(backend) ? defaultConvTile(g, 8, 16) : defaultConvTile(g, 32);
}

function geometryOf(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, outC: info.outChannels,
    kh: info.filterHeight, kw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth,
    dh: info.dilationHeight, dw: info.dilationWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

function forward(args: WebGpuKernelArgs, fused: boolean): KernelResult {
  const { backend } = args;
  const x = args.inputs.x as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const bias = fused ? (args.inputs.bias as TensorInfo | undefined) : undefined;
  const attrs = (args.attrs ?? {}) as unknown as Conv2DAttrs & { activation?: string; };
  if (attrs.dataFormat === 'NCHW') return { refused: 'NCHW' };
  const activation = fused ? attrs.activation ?? 'linear' : 'linear';
  if (activation !== 'linear' && activation !== 'relu') return { refused: `fused activation ${activation}` };
  if (fused && args.inputs.preluActivationWeights) return { refused: 'PReLU weights' };
  const why = unsupported(backend, [x, filter, bias]);
  if (why) return { refused: why };
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (bias && !(bias.shape.length === 1 && bias.shape[0] === info.outChannels)) return { refused: `bias of shape [${bias.shape.join(', ')}]` };
  if (info.outHeight * info.outWidth * info.batchSize * info.outChannels === 0) return { refused: 'empty output' };
  const g = geometryOf(info);
  const spec = directConvProgram(fused ? 'FusedConv2DProject' : 'Conv2DProject', g, forwardTile(backend, g), { bias: !!bias, activation });
  return runProgram(backend, spec, bias ? [x, filter, bias] : [x, filter]);
}

/** `Conv2D`: x [n, h, w, ci] ⊛ filter [kh, kw, ci, co]. */
export function conv2dProject(args: WebGpuKernelArgs): KernelResult {
  return forward(args, false);
}

/** `FusedConv2D` with a per-channel bias and a linear or ReLU activation. */
export function fusedConv2dProject(args: WebGpuKernelArgs): KernelResult {
  return forward(args, true);
}

/** w [kh, kw, ci, co] → w' [kh, kw, co, ci] with w'[a, b] = w[kh − 1 − a, kw − 1 − b]. */
function flipTransposeProgram(shape: number[]): ProgramSpec {
  const [kh, kw, ci, co] = shape;
  const size = kh * kw * ci * co;
  const wg = 64;
  return {
    name: 'FlipTransposeFilter',
    key: 'flip_transpose_filter',
    inputs: [{ name: 'w', components: 1 }],
    outputShape: [kh, kw, co, ci],
    outputComponents: 1,
    workgroup: [wg, 1, 1],
    dispatch: flatDispatch(ceilDiv(size, wg)),
    uniforms: [{ decl: 'fs : vec4<i32>', type: 'int32', data: [kh, kw, ci, co] }],
    main: `
fn main() {
  let i = (i32(workgroupId.y) * i32(numWorkgroups.x) + i32(workgroupId.x)) * ${wg} + i32(localId.x);
  let kh = uniforms.fs.x; let kw = uniforms.fs.y; let ci = uniforms.fs.z; let co = uniforms.fs.w;
  if (i >= kh * kw * ci * co) { return; }
  // i indexes the output [a, b, o, c]
  let c = i % ci;
  var r = i / ci;
  let o = r % co;
  r = r / co;
  let b = r % kw;
  let a = r / kw;
  result[i] = w[(((kh - 1 - a) * kw + (kw - 1 - b)) * ci + c) * co + o];
}
`,
  };
}

/** `Conv2DBackpropInput` (stride 1): dy ⊛ the flipped, transposed filter. */
export function conv2dBackpropInputProject(args: WebGpuKernelArgs): KernelResult {
  const { backend } = args;
  const dy = args.inputs.dy as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const attrs = (args.attrs ?? {}) as unknown as Conv2DAttrs & { inputShape: [number, number, number, number] };
  if (attrs.dataFormat === 'NCHW') return { refused: 'NCHW' };
  const why = unsupported(backend, [dy, filter]);
  if (why) return { refused: why };
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return { refused: `stride ${info.strideHeight}×${info.strideWidth}` };
  if (info.inHeight * info.inWidth * info.batchSize * info.inChannels === 0) return { refused: 'empty output' };
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth) return { refused: 'dy shape does not match the convolution' };
  const g: ConvGeometry = {
    batch: info.batchSize, inH: info.outHeight, inW: info.outWidth, inC: info.outChannels,
    outH: info.inHeight, outW: info.inWidth, outC: info.inChannels,
    kh: info.filterHeight, kw: info.filterWidth, sh: 1, sw: 1, dh: 1, dw: 1,
    padTop: info.filterHeight - 1 - info.padInfo.top, padLeft: info.filterWidth - 1 - info.padInfo.left,
  };
  const wt = runProgram(backend, flipTransposeProgram(filter.shape), [filter]);
  try {
    return runProgram(backend, directConvProgram('Conv2DBackpropInputProject', g, forwardTile(backend, g), { bias: false, activation: 'linear' }), [dy, wt]);
  } finally {
    backend.disposeData(wt.dataId);
  }
}

/** `Conv2DBackpropFilter`: split-reduction implicit matrix product, then a sum over slices. */
export function conv2dBackpropFilterProject(args: WebGpuKernelArgs): KernelResult {
  const { backend } = args;
  const x = args.inputs.x as TensorInfo;
  const dy = args.inputs.dy as TensorInfo;
  const attrs = (args.attrs ?? {}) as unknown as Conv2DAttrs & { filterShape: [number, number, number, number] };
  if (attrs.dataFormat === 'NCHW') return { refused: 'NCHW' };
  const why = unsupported(backend, [x, dy]);
  if (why) return { refused: why };
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape,
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth || dy.shape[3] !== info.outChannels) return { refused: 'dy shape does not match the convolution' };
  if (info.filterHeight * info.filterWidth * info.inChannels * info.outChannels === 0) return { refused: 'empty filter' };
  const g: FilterGradGeometry = {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, outC: info.outChannels,
    kh: info.filterHeight, kw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
  if (g.batch * g.outH * g.outW === 0) return { refused: 'empty dy' };
  // A software adapter needs a few hundred invocations to keep its threads busy, a GPU thousands.
  const plan = planFilterGrad(g, isSoftwareAdapter(backend) ? 256 : 8192);
  const part = runProgram(backend, filterGradPartialProgram(g, plan), [x, dy]);
  try {
    return runProgram(backend, sumSlicesProgram(plan.slices, info.filterShape), [part]);
  } finally {
    backend.disposeData(part.dataId);
  }
}
