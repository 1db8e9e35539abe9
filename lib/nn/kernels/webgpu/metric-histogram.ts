/**
 * The counts behind Keras' threshold metrics and AUC, computed on the webgpu device in one
 * program: for predictions p and truths y, the histogram of AUC buckets for negative and for
 * positive truths, the confusion matrix at 0.5, and the number of NaN predictions.
 *
 * Why a kernel of its own: tfjs-backend-webgpu 4.22's `bincount` adds the float bit pattern of
 * 1 (1065353216) per value when its output is int32, and with float32 output every value does
 * a compare-and-swap loop on one of a few hundred global counters, which serialises badly on a
 * GPU when most predictions share a bucket (early in training, all of them do). Here each
 * workgroup counts its share of the values in workgroup memory (native u32 atomics), writes its
 * histogram once, and the per-workgroup histograms are summed with an int32 `sum` — exact for
 * any number of values below 2^31.
 *
 * Bins (T = number of AUC thresholds): [0, T) negatives' buckets, [T, 2T) positives' buckets,
 * 2T + (2·positive + (p > 0.5)) the confusion matrix (tn, fp, fn, tp), 2T + 4 NaN predictions.
 * The bucket of p is Keras' `max(ceil(p·(T − 1)) − 1, 0)`, capped at T − 1, in float32 as
 * `KerasMetricsAccumulator.update` computes it.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ceilDiv, flatDispatch, runProgram, type ProgramSpec } from './program.js';

const WG = 256;
const PER_GROUP = 8192;

function histogramProgram(n: number, T: number): ProgramSpec {
  const bins = 2 * T + 5;
  const dispatch = flatDispatch(Math.max(1, ceilDiv(n, PER_GROUP)));
  return {
    name: 'MetricHistogram',
    key: `metric_histogram_t${T}`,
    inputs: [{ name: 'p', components: 1 }, { name: 'y', components: 1 }],
    outputShape: [dispatch[0] * dispatch[1], bins],
    outputComponents: 1,
    outputDtype: 'int32',
    workgroup: [WG, 1, 1],
    dispatch,
    uniforms: [{ decl: 'hn : vec2<i32>', type: 'int32', data: [n, PER_GROUP] }],
    main: `
var<workgroup> hist : array<atomic<u32>, ${bins}>;
fn main() {
  let lid = i32(localIndex);
  for (var i = lid; i < ${bins}; i += ${WG}) { atomicStore(&hist[i], 0u); }
  workgroupBarrier();
  let g = i32(workgroupId.y * numWorkgroups.x + workgroupId.x);
  let start = g * uniforms.hn.y;
  let end = min(uniforms.hn.x, start + uniforms.hn.y);
  for (var i = start + lid; i < end; i += ${WG}) {
    // f32(): tfjs may store a float32 tensor made by casting a bool one in an i32 buffer.
    let pv = f32(p[i]);
    if (isnan(pv)) {
      atomicAdd(&hist[${2 * T + 4}], 1u);
    } else {
      let pos = f32(y[i]) != 0.0;
      let b = clamp(i32(ceil(pv * ${T - 1}.0)) - 1, 0, ${T - 1});
      atomicAdd(&hist[b + select(0, ${T}, pos)], 1u);
      atomicAdd(&hist[${2 * T} + select(0, 2, pos) + select(0, 1, pv > 0.5)], 1u);
    }
  }
  workgroupBarrier();
  for (var i = lid; i < ${bins}; i += ${WG}) { result[g * ${bins} + i] = i32(atomicLoad(&hist[i])); }
}
`,
  };
}

/**
 * The 2T + 5 counts described in the module header, as an int32 tensor on the webgpu backend.
 *
 * @param p predictions, float32, any shape
 * @param y truths (non-zero = positive), float32, the same number of values
 * @param T number of AUC thresholds
 * @returns int32 tensor [2T + 5]
 */
export function metricHistogramWebGpu(p: tf.Tensor, y: tf.Tensor, T: number): tf.Tensor {
  if (tf.getBackend() !== 'webgpu') throw new Error(`metricHistogramWebGpu: the active backend is ${tf.getBackend()}, not webgpu`);
  if (p.dtype !== 'float32' || y.dtype !== 'float32') throw new Error('metricHistogramWebGpu: p and y must be float32 tensors');
  if (p.size !== y.size) throw new Error(`metricHistogramWebGpu: p has ${p.size} values but y has ${y.size}`);
  const backend = tf.backend() as unknown as WebGPUBackend;
  return tf.tidy(() => {
    if (p.size === 0) return tf.zeros([2 * T + 5], 'int32');
    const partial = tf.engine().makeTensorFromTensorInfo(runProgram(backend, histogramProgram(p.size, T), [p, y]));
    return tf.sum(partial, 0);
  });
}
