/**
 * Training kernels for tfjs-backend-wasm 4.22.
 *
 * The wasm backend ships without `Conv2DBackpropFilter`, so it cannot train a convolution, and
 * its `Conv2DBackpropInput` is a scalar six-deep loop (no SIMD, no XNNPACK). Both are
 * registered here, built from kernels the wasm backend runs fast (XNNPACK convolution and
 * matrix product, pad, slice, transpose), and from the hand-written WebAssembly SIMD kernels
 * in `./simd.ts` where those are available.
 *
 * Design:
 * - `Conv2DBackpropFilter` (dW[kh,kw,ci,co] = Σ x_pad[n, y·s+kh, x·s+kw, ci] · dy[n,y,x,co]) is
 *   computed by the SIMD kernel when it loads, else as one XNNPACK matrix product per filter
 *   tap on a strided slice of the channel-major padded input. Any stride and padding (SAME,
 *   VALID, explicit) works; dilations other than 1 and NCHW are refused with an Error.
 * - `Conv2DBackpropInput` is the transposed convolution: dy is dilated by the stride (zeros
 *   between samples), padded (inside XNNPACK's convolution, explicit padding) or cropped to the
 *   exact extent, and convolved (stride 1) with the filter flipped in space and with in/out
 *   channels swapped, by XNNPACK.
 * - `Sum` (bias gradients), `SplitV` and `Concat` (skip connections) and
 *   `ResizeNearestNeighborGrad` (UpSampling2D) are scalar loops in the wasm backend; for the
 *   cases a U-Net uses (sum over all axes but the last, split/concat along the last axis, exact
 *   ×2 upsampling) SIMD kernels run instead, and every other case is delegated to the wasm
 *   backend's own kernel (its original config is kept, setupFunc included).
 * - Every intermediate is disposed inside the kernel, so kernels never leak tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { getSimdKernels, type SimdKernels } from './simd.js';

type TensorInfo = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: Attrs };

/** Runs a registered wasm kernel directly (no engine bookkeeping, no tape). */
function runWasm(backend: BackendWasm, name: string, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm training kernels: the wasm backend has no ${name} kernel`);
  const out = k.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs });
  return Array.isArray(out) ? out[0] : out;
}

function dispose(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

function checkNHWC(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} (wasm training kernels): dataFormat ${String(dataFormat)} is not supported, use NHWC`);
  }
}

type Shape4 = [number, number, number, number];

/**
 * tfjs' Conv2DInfo of a convolution gradient from its attributes (NHWC only). The input shape
 * comes from `xShape` or the attribute `inputShape`, the filter shape from `filterShape` or the
 * attribute of that name: Conv2DBackpropInput gets the former as an attribute, Conv2DBackpropFilter
 * the latter.
 */
function convInfo(kernel: string, attrs: Attrs | undefined, xShape: Shape4 | null, filterShape: Shape4 | null): tf.backend_util.Conv2DInfo {
  const a = (attrs ?? {}) as unknown as {
    strides: number | [number, number]; pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
    dataFormat?: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape?: Shape4; filterShape?: Shape4;
  };
  checkNHWC(kernel, a.dataFormat);
  const xs = xShape ?? a.inputShape;
  const fs = filterShape ?? a.filterShape;
  if (!xs || !fs) throw new Error(`${kernel} (wasm training kernels): the input or filter shape is missing`);
  return tf.backend_util.computeConv2DInfo(xs, fs, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor.
 * Returns the input itself when nothing changes (caller must not dispose it twice).
 */
function padOrCrop(backend: BackendWasm, x: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
  const [n, h, w, c] = x.shape;
  let cur = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const t0 = Math.max(0, -top), b0 = Math.max(0, -bottom), l0 = Math.max(0, -left), r0 = Math.max(0, -right);
    cur = runWasm(backend, 'Slice', { x: cur }, { begin: [0, t0, l0, 0], size: [n, h - t0 - b0, w - l0 - r0, c] });
  }
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    const p = runWasm(backend, 'PadV2', { x: cur }, {
      paddings: [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]],
      constantValue: 0,
    });
    if (cur !== x) dispose(backend, cur);
    cur = p;
  }
  return cur;
}

/** Inserts (stride − 1) zeros between the samples of dy along height and width. */
function dilate(backend: BackendWasm, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const dh = (oh - 1) * sh + 1, dw = (ow - 1) * sw + 1;
  const out = backend.makeOutput([n, dh, dw, c], 'float32');
  const src = backend.typedArrayFromHeap(dy) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  dst.fill(0);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const s = ((b * oh + y) * ow + x) * c;
        const d = ((b * dh + y * sh) * dw + x * sw) * c;
        dst.set(src.subarray(s, s + c), d);
      }
    }
  }
  return out;
}

function conv2DBackpropInput(args: KernelArgs): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const info = convInfo('Conv2DBackpropInput', args.attrs, null, filter.shape as Shape4);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w } = info;
  const top = info.padInfo.top, left = info.padInfo.left;
  const dyd = dilate(backend, dy, sh, sw);
  const dh = dyd.shape[1], dwid = dyd.shape[2];
  const pads = [kh - 1 - top, h - dh + top, kw - 1 - left, w - dwid + left];
  // Padding only (the usual case): XNNPACK pads inside the convolution, no PadV2 copy of dy.
  const explicit = pads.every((p) => p >= 0);
  const padded = explicit ? dyd : padOrCrop(backend, dyd, pads[0], pads[1], pads[2], pads[3]);
  // Filter [kh, kw, ci, co] → flipped in space, channels swapped: [kh, kw, co, ci].
  const rev = runWasm(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const ft = runWasm(backend, 'Transpose', { x: rev }, { perm: [0, 1, 3, 2] });
  const out = runWasm(backend, 'Conv2D', { x: padded, filter: ft }, {
    strides: [1, 1], pad: explicit ? [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]] : 'valid', dataFormat: 'NHWC', dilations: [1, 1],
  });
  dispose(backend, rev, ft);
  if (padded !== dyd) dispose(backend, padded);
  if (dyd !== dy) dispose(backend, dyd);
  return out;
}

function conv2DBackpropFilterXnn(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, inChannels: ci, outChannels: co, batchSize: n } = info;
  const top = info.padInfo.top, left = info.padInfo.left;
  const needH = kh + (oh - 1) * sh, needW = kw + (ow - 1) * sw;
  const [, h, w] = x.shape;
  const xp = padOrCrop(backend, x, top, needH - top - h, left, needW - left - w);
  const xt = runWasm(backend, 'Transpose', { x: xp }, { perm: [3, 0, 1, 2] }); // [ci, n, H', W']
  if (xp !== x) dispose(backend, xp);
  const p = n * oh * ow;
  const dy2 = runWasm(backend, 'Reshape', { x: dy }, { shape: [1, p, co] });
  const parts: TensorInfo[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const s = runWasm(backend, 'StridedSlice', { x: xt }, {
        begin: [0, 0, i, j], end: [ci, n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1], strides: [1, 1, sh, sw],
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      });
      const s2 = runWasm(backend, 'Reshape', { x: s }, { shape: [1, ci, p] });
      parts.push(runWasm(backend, 'BatchMatMul', { a: s2, b: dy2 }, { transposeA: false, transposeB: false }));
      dispose(backend, s, s2);
    }
  }
  dispose(backend, xt, dy2);
  // Concat's inputs are an array of tensors (tfjs ConcatInputs).
  const cat = runWasm(backend, 'Concat', parts as unknown as Record<string, TensorInfo>, { axis: 0 });
  dispose(backend, ...parts);
  const out = runWasm(backend, 'Reshape', { x: cat }, { shape: [kh, kw, ci, co] });
  dispose(backend, cat);
  return out;
}

function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const info = convInfo('Conv2DBackpropFilter', args.attrs, x.shape as Shape4, null);
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth || dy.shape[3] !== info.outChannels) {
    throw new Error(`Conv2DBackpropFilter (wasm training kernels): dy shape ${dy.shape} does not match the convolution's output ${info.outShape}`);
  }
  const simd = wasmTrainingKernelOptions.useSimd && info.strideHeight === 1 && info.strideWidth === 1 ? getSimdKernels(backend) : null;
  if (simd) return simdBackpropFilter(simd, backend, x, dy, info);
  return conv2DBackpropFilterXnn(backend, x, dy, info);
}

/**
 * Stride-1 filter gradient with the SIMD kernel. x is padded (or cropped) to exactly
 * [n, oh + kh − 1, ow + kw − 1, ci]; dy is placed on the same grid (zeros elsewhere, channels
 * padded to a multiple of 8), so tap (i, j) reads x at flat position p + i·Wp + j.
 */
function simdBackpropFilter(simd: SimdKernels, backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, inChannels: ci, outChannels: co, batchSize: n } = info;
  const [, h, w] = x.shape;
  const hp = oh + kh - 1, wp = ow + kw - 1;
  const top = info.padInfo.top, left = info.padInfo.left;
  const xp = padOrCrop(backend, x, top, hp - top - h, left, wp - left - w);
  const co8 = Math.ceil(co / 8) * 8;
  const dyx = runWasm(backend, 'PadV2', { x: dy }, { paddings: [[0, 0], [0, kh - 1], [0, kw - 1], [0, co8 - co]], constantValue: 0 });
  const dw8 = backend.makeOutput([kh, kw, ci, co8], 'float32');
  (backend.typedArrayFromHeap(dw8) as Float32Array).fill(0);
  // A second accumulator for the helper thread (threaded build only).
  const dw2 = simd.threads() > 1 ? backend.makeOutput([kh, kw, ci, co8], 'float32') : null;
  if (dw2) (backend.typedArrayFromHeap(dw2) as Float32Array).fill(0);
  // Last output position + 1 on the grid: taps never read past the end of xp.
  const np = (n - 1) * hp * wp + (oh - 1) * wp + ow;
  simd.convBpfS1(backend.getMemoryOffset(xp.dataId), backend.getMemoryOffset(dyx.dataId), backend.getMemoryOffset(dw8.dataId),
    dw2 ? backend.getMemoryOffset(dw2.dataId) : -1, np, wp, kh, kw, ci, co8);
  if (xp !== x) dispose(backend, xp);
  if (dw2) dispose(backend, dw2);
  dispose(backend, dyx);
  if (co8 === co) return dw8;
  const out = runWasm(backend, 'Slice', { x: dw8 }, { begin: [0, 0, 0, 0], size: [kh, kw, ci, co] });
  dispose(backend, dw8);
  return out;
}

/**
 * Switches of the wasm training kernels, for tests and benchmarks: `useSimd` false forces the
 * XNNPACK-only paths.
 */
export const wasmTrainingKernelOptions = { useSimd: true };

/**
 * MaxPoolGrad with the tfjs cpu backend's semantics. The wasm backend's own kernel drops the
 * gradient of windows whose values are all negative (found by the tests); this one gives each
 * output's gradient to the first maximum of its window, in the SIMD module or in JavaScript.
 */
function maxPoolGrad(args: KernelArgs): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const a = (args.attrs ?? {}) as unknown as {
    filterSize: number | [number, number]; strides: number | [number, number];
    pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding; dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const dims = [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left];
  const dx = backend.makeOutput(input.shape, 'float32');
  const dxa = backend.typedArrayFromHeap(dx) as Float32Array;
  dxa.fill(0);
  const simd = wasmTrainingKernelOptions.useSimd ? getSimdKernels(backend) : null;
  if (simd) {
    simd.maxPoolGrad(backend.getMemoryOffset(input.dataId), backend.getMemoryOffset(dy.dataId), backend.getMemoryOffset(dx.dataId), dims);
    return dx;
  }
  const [n, h, w, c, oh, ow, fh, fw, sh, sw, dh, dwd, pt, pl] = dims;
  const xa = backend.typedArrayFromHeap(input) as Float32Array;
  const ga = backend.typedArrayFromHeap(dy) as Float32Array;
  for (let b = 0; b < n; b++) {
    const base = b * h * w * c;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const g = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity, at = -1;
          for (let fy = 0; fy < fh; fy++) {
            const iy = oy * sh + fy * dh - pt;
            if (iy < 0 || iy >= h) continue;
            for (let fx = 0; fx < fw; fx++) {
              const ix = ox * sw + fx * dwd - pl;
              if (ix < 0 || ix >= w) continue;
              const idx = base + (iy * w + ix) * c + ch;
              if (xa[idx] > best) { best = xa[idx]; at = idx; }
            }
          }
          if (at >= 0) dxa[at] += ga[g + ch];
        }
      }
    }
  }
  return dx;
}

/** The wasm backend's own kernels that the fast paths below delegate to outside their cases. */
const original: Record<string, tf.KernelConfig | undefined> = {};

function delegate(name: string, args: KernelArgs): TensorInfo | TensorInfo[] {
  const k = original[name];
  if (!k) throw new Error(`wasm training kernels: the wasm backend has no ${name} kernel`);
  return k.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
}

function normAxes(axis: number | number[] | undefined, rank: number): number[] {
  const list = axis === undefined || axis === null ? Array.from({ length: rank }, (_, i) => i) : Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
}

/**
 * Sum: the bias gradient (a sum over every axis but the last of a float32 tensor) as SIMD
 * column sums; other sums go to the wasm backend's kernel (which transposes first).
 */
function sumKernel(args: KernelArgs): TensorInfo | TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = (args.attrs ?? {}) as unknown as { axis: number | number[]; keepDims: boolean };
  const r = x.shape.length;
  const axes = normAxes(axis, r);
  const simd = wasmTrainingKernelOptions.useSimd && x.dtype === 'float32' && r >= 2 && axes.length === r - 1 && axes.every((a, i) => a === i)
    ? getSimdKernels(backend) : null;
  const cols = x.shape[r - 1], rows = x.shape.slice(0, r - 1).reduce((p, q) => p * q, 1);
  if (!simd || rows === 0 || cols === 0) return delegate('Sum', args);
  const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, r - 1).map(() => 1), cols] : [cols], 'float32');
  simd.colSum(backend.getMemoryOffset(x.dataId), backend.getMemoryOffset(out.dataId), rows, cols);
  return out;
}

/** SplitV along the last axis of a float32 tensor (the concatenation's gradient) as strided copies. */
function splitVKernel(args: KernelArgs): TensorInfo | TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  const { numOrSizeSplits, axis } = (args.attrs ?? {}) as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const r = x.shape.length;
  const ax = axis < 0 ? axis + r : axis;
  const simd = wasmTrainingKernelOptions.useSimd && x.dtype === 'float32' && r >= 2 && ax === r - 1 ? getSimdKernels(backend) : null;
  const cols = x.shape[r - 1], rows = x.shape.slice(0, r - 1).reduce((p, q) => p * q, 1);
  if (!simd || rows === 0) return delegate('SplitV', args);
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
  const src = backend.getMemoryOffset(x.dataId);
  let c0 = 0;
  return sizes.map((k) => {
    const out = backend.makeOutput([...x.shape.slice(0, r - 1), k], 'float32');
    if (k > 0) simd.copyCols(src, backend.getMemoryOffset(out.dataId), rows, cols, c0, k, 0, k);
    c0 += k;
    return out;
  });
}

/** Concat along the last axis of float32 tensors of equal leading shape, as strided copies. */
function concatKernel(args: KernelArgs): TensorInfo | TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const xs = args.inputs as unknown as TensorInfo[];
  const { axis } = (args.attrs ?? {}) as unknown as { axis: number | number[] };
  const first = xs[0];
  const r = first?.shape.length ?? 0;
  const ax0 = Array.isArray(axis) ? axis[0] : axis;
  const ax = ax0 < 0 ? ax0 + r : ax0;
  const lead = first ? first.shape.slice(0, r - 1) : [];
  const rows = lead.reduce((p, q) => p * q, 1);
  const ok = wasmTrainingKernelOptions.useSimd && Array.isArray(xs) && xs.length > 1 && r >= 2 && ax === r - 1 && rows > 0 &&
    xs.every((t) => t.dtype === 'float32' && t.shape.length === r && t.shape.slice(0, r - 1).every((d, i) => d === lead[i]));
  const simd = ok ? getSimdKernels(backend) : null;
  if (!simd) return delegate('Concat', args);
  const cols = xs.reduce((p, t) => p + t.shape[r - 1], 0);
  const out = backend.makeOutput([...lead, cols], 'float32');
  const dst = backend.getMemoryOffset(out.dataId);
  let c0 = 0;
  for (const t of xs) {
    const k = t.shape[r - 1];
    if (k > 0) simd.copyCols(backend.getMemoryOffset(t.dataId), dst, rows, k, 0, cols, c0, k);
    c0 += k;
  }
  return out;
}

/** ResizeNearestNeighborGrad for exact ×2 upsampling (Keras UpSampling2D) as 2×2 block sums. */
function resizeNNGradKernel(args: KernelArgs): TensorInfo | TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
  const { alignCorners, halfPixelCenters } = (args.attrs ?? {}) as unknown as { alignCorners?: boolean; halfPixelCenters?: boolean };
  const [n, h, w, c] = images.shape;
  const ok = wasmTrainingKernelOptions.useSimd && !alignCorners && !halfPixelCenters && dy.dtype === 'float32' &&
    images.shape.length === 4 && dy.shape[0] === n && dy.shape[1] === 2 * h && dy.shape[2] === 2 * w && dy.shape[3] === c;
  const simd = ok ? getSimdKernels(backend) : null;
  if (!simd) return delegate('ResizeNearestNeighborGrad', args);
  const dx = backend.makeOutput(images.shape, 'float32');
  simd.up2Grad(backend.getMemoryOffset(dy.dataId), backend.getMemoryOffset(dx.dataId), n, h, w, c);
  return dx;
}

let registered = false;

/**
 * Registers the training kernels the wasm backend lacks, runs slowly or gets wrong
 * (`Conv2DBackpropFilter`, `Conv2DBackpropInput`, `MaxPoolGrad`) and the SIMD fast paths of
 * `Sum`, `SplitV`, `Concat`, `ResizeNearestNeighborGrad` (other cases go to the wasm
 * backend's kernels). Idempotent.
 *
 * @returns the names of the kernels registered for 'wasm'.
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 */
export function registerWasmTrainingKernels(): string[] {
  const names = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Sum', 'SplitV', 'Concat', 'ResizeNearestNeighborGrad'];
  if (registered) return names;
  const funcs: Record<string, (args: KernelArgs) => TensorInfo | TensorInfo[]> = {
    Conv2DBackpropFilter: conv2DBackpropFilter, Conv2DBackpropInput: conv2DBackpropInput, MaxPoolGrad: maxPoolGrad,
    Sum: sumKernel, SplitV: splitVKernel, Concat: concatKernel, ResizeNearestNeighborGrad: resizeNNGradKernel,
  };
  for (const name of names) {
    const prev = tf.getKernel(name, 'wasm');
    if (prev) {
      original[name] = prev;
      tf.unregisterKernel(name, 'wasm');
    }
    // Keep the original setupFunc: the delegating kernels call the original kernelFunc, which
    // needs its cwrap'ed wasm function bound at backend start.
    tf.registerKernel({
      kernelName: name, backendName: 'wasm', kernelFunc: funcs[name] as unknown as tf.KernelFunc,
      ...(prev?.setupFunc ? { setupFunc: prev.setupFunc } : {}), ...(prev?.disposeFunc ? { disposeFunc: prev.disposeFunc } : {}),
    });
  }
  registered = true;
  return names;
}
