/**
 * A correct `ResizeNearestNeighborGrad` (the gradient of `UpSampling2D`) for tfjs' pure-JS
 * 'cpu' backend.
 *
 * tfjs 4.22's cpu kernel reads `dy` at the input's batch stride, so for a batch of more than
 * one sample every sample after the first gets another sample's gradient (found by comparing
 * one training step with PyTorch: the weights above the last up-sampling got relative errors of
 * 0.1 to 1). The kernel below scatters `dy` with the forward kernel's own index map. After it,
 * every gradient of the spot U-Net matches PyTorch's within 1.3e-6 relative on the cpu backend,
 * as on wasm. The wasm (native) and WebGPU kernels index `dy` per sample correctly.
 *
 * Design: registering a kernel changes tfjs' global kernel registry, so it never happens when
 * the library is imported. `selectBackend()` applies it (whichever backend it picks, the cpu
 * backend may be used later), `trainModel` applies it when it runs on 'cpu', and a program that
 * sets the cpu backend itself calls {@link patchCpuResizeNearestNeighborGrad} once.
 */
import * as tf from '@tensorflow/tfjs';

interface CpuBackendLike {
  data: { get(id: unknown): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

let cpuPatched = false;

/** `ResizeNearestNeighborGrad` for the cpu backend: scatters dy with the forward kernel's own index map. */
function resizeNearestNeighborGradCpu(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const images = args.inputs.images as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const backend = args.backend as CpuBackendLike;
  const alignCorners = Boolean(args.attrs?.alignCorners);
  const halfPixelCenters = Boolean(args.attrs?.halfPixelCenters);
  const [batch, xH, xW, depth] = images.shape;
  const [, yH, yW] = dy.shape;
  const dyValues = backend.data.get(dy.dataId).values;
  const out = new Float32Array(batch * xH * xW * depth);
  const ratioR = (alignCorners && yH > 1 ? xH - 1 : xH) / (alignCorners && yH > 1 ? yH - 1 : yH);
  const ratioC = (alignCorners && yW > 1 ? xW - 1 : xW) / (alignCorners && yW > 1 ? yW - 1 : yW);
  const source = (i: number, ratio: number, size: number): number => {
    const f = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
    const s = Math.min(size - 1, alignCorners ? Math.round(f) : Math.floor(f));
    return halfPixelCenters ? Math.max(0, s) : s;
  };
  const colMap = Int32Array.from({ length: yW }, (_, c) => source(c, ratioC, xW));
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < yH; r++) {
      const rowBase = (b * xH + source(r, ratioR, xH)) * xW;
      for (let c = 0; c < yW; c++) {
        const o = (rowBase + colMap[c]) * depth;
        for (let d = 0; d < depth; d++) out[o + d] += dyValues[k++];
      }
    }
  }
  return backend.makeTensorInfo(images.shape, 'float32', out);
}

/**
 * Replaces the cpu backend's `ResizeNearestNeighborGrad` kernel (wrong for batches > 1 in
 * tfjs 4.22, see the module header) by a correct one. Idempotent; a no-op when the cpu backend
 * is not registered.
 *
 * @returns true when the kernel is (now) the corrected one
 * @example
 *   patchCpuResizeNearestNeighborGrad();
 *   await tf.setBackend('cpu');   // UpSampling2D gradients are now right for any batch
 */
export function patchCpuResizeNearestNeighborGrad(): boolean {
  if (cpuPatched) return true;
  if (!tf.findBackendFactory('cpu')) return false;
  if (tf.getKernel('ResizeNearestNeighborGrad', 'cpu')) tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
  tf.registerKernel({
    kernelName: 'ResizeNearestNeighborGrad',
    backendName: 'cpu',
    kernelFunc: resizeNearestNeighborGradCpu as unknown as tf.KernelFunc,
  });
  cpuPatched = true;
  return true;
}
