/**
 * U-Net models built with tfjs layers (`@tensorflow/tfjs`), shaped like the Keras code of
 * the lecture.
 *
 * `buildSpotUNet(baseDepth)` is the lecture's spot-detection network, layer for layer: an
 * input of any size with one channel, two levels of down-sampling, a bottleneck of 4·b
 * filters, two levels of up-sampling with skip connections (concatenated as
 * `[skip, upsampled]`, the order of the lecture's `concatenate([lay_5, lay_9])`), and a 1×1
 * convolution to one channel with a ReLU (as in the lecture — not a sigmoid; the losses and
 * metrics clip it where they need probabilities). With `b = 24` it has 265 105 parameters
 * (the test checks the count against the same network in PyTorch and against the formula).
 *
 * `buildUNet(options)` is the general form (any depth, base filters, batch normalisation,
 * dropout, output activation, input channels) used by the root-segmentation notebook; with
 * `depth 2`, no batch norm and a ReLU output it builds the same graph as `buildSpotUNet`.
 *
 * Design: tfjs layers rather than a hand-written graph, because the notebooks print
 * `model.summary()`, save the model with `saveModel` and hand it to `trainModel`, and
 * because the transfer-learning helpers freeze layers by their `trainable` flag. Defaults
 * are Keras' (Glorot-uniform kernels, zero biases), so the untrained model behaves like the
 * lecture's.
 */
import * as tf from '@tensorflow/tfjs';

/** Output activations a U-Net may end with. */
export type UNetActivation = 'relu' | 'sigmoid' | 'linear' | 'softmax' | 'tanh';

/** Options of {@link buildUNet}. */
export interface UNetOptions {
  /** Number of down-sampling (max-pool 2) steps; the input sides must be multiples of 2^depth. Default 2. */
  depth?: number;
  /** Filters of the first level; level l has `baseFilters · 2^l`. Default 24. */
  baseFilters?: number;
  /** Batch normalisation after every 3×3 convolution (before its ReLU; convolutions then have no bias). Default false. */
  batchNorm?: boolean;
  /**
   * Momentum of the batch-normalisation running averages (used at prediction). Default 0.99,
   * Keras' and tfjs' default, which needs several hundred steps before the averages reflect the
   * data: after 80 steps they are still about half the initial (mean 0, variance 1), and a
   * network that trains well predicts nothing. For the short trainings of a lecture use 0.8–0.9.
   */
  batchNormMomentum?: number;
  /** Dropout rate after the bottleneck's convolutions (as in the original U-Net paper); 0 = none. Default 0. */
  dropout?: number;
  /** Activation of the final 1×1 convolution. Default 'sigmoid' ('relu' reproduces the lecture's spot U-Net). */
  outputActivation?: UNetActivation;
  /** Channels of the input image. Default 1. */
  inputChannels?: number;
  /** Channels (classes) of the output. Default 1. */
  outputChannels?: number;
  /** 3×3 convolutions per level. Default 2. */
  convsPerLevel?: number;
  /** Model name shown by `summary()`. Default 'UNet'. */
  name?: string;
}

function checkInt(fn: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`${fn}: ${name} must be an integer >= ${min}, got ${String(v)}`);
}

/**
 * Builds a U-Net for image segmentation.
 *
 * Encoder level l (l = 0 … depth−1): `convsPerLevel` 3×3 convolutions ('same' padding, ReLU)
 * of `baseFilters·2^l` filters, then a 2×2 max-pool. Bottleneck: the same with
 * `baseFilters·2^depth` filters (plus dropout if asked). Decoder level l (from depth−1 down to
 * 0): 2×2 nearest up-sampling, concatenation `[skip_l, upsampled]` along channels, then the
 * convolutions of level l. Finally a 1×1 convolution to `outputChannels` with
 * `outputActivation`.
 *
 * @param options see {@link UNetOptions}
 * @returns an uncompiled tfjs `LayersModel` with input shape `[null, null, null, inputChannels]`
 * @example
 *   const model = buildUNet({ depth: 3, baseFilters: 16, batchNorm: true, dropout: 0.2 });
 *   model.summary();
 *   const y = model.predict(tf.zeros([1, 64, 64, 1])) as tf.Tensor; // [1, 64, 64, 1]
 */
export function buildUNet(options: UNetOptions = {}): tf.LayersModel {
  const fn = 'buildUNet';
  const depth = options.depth ?? 2;
  const base = options.baseFilters ?? 24;
  const batchNorm = options.batchNorm ?? false;
  const momentum = options.batchNormMomentum ?? 0.99;
  const dropout = options.dropout ?? 0;
  const outAct = options.outputActivation ?? 'sigmoid';
  const inCh = options.inputChannels ?? 1;
  const outCh = options.outputChannels ?? 1;
  const convs = options.convsPerLevel ?? 2;
  checkInt(fn, 'depth', depth, 0);
  checkInt(fn, 'baseFilters', base, 1);
  checkInt(fn, 'inputChannels', inCh, 1);
  checkInt(fn, 'outputChannels', outCh, 1);
  checkInt(fn, 'convsPerLevel', convs, 1);
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`${fn}: batchNormMomentum must be in [0, 1), got ${String(momentum)}`);
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`${fn}: dropout must be in [0, 1), got ${String(dropout)}`);
  const acts: readonly string[] = ['relu', 'sigmoid', 'linear', 'softmax', 'tanh'];
  if (!acts.includes(outAct)) throw new Error(`${fn}: outputActivation must be one of ${acts.join(', ')}, got '${String(outAct)}'`);

  const block = (x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor => {
    let y = x;
    for (let i = 0; i < convs; i++) {
      if (batchNorm) {
        y = tf.layers
          .conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false })
          .apply(y) as tf.SymbolicTensor;
        y = tf.layers.batchNormalization({ axis: -1, momentum }).apply(y) as tf.SymbolicTensor;
        y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
      } else {
        y = tf.layers
          .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' })
          .apply(y) as tf.SymbolicTensor;
      }
    }
    return y;
  };

  const input = tf.input({ shape: [null, null, inCh], name: 'Image_Input' });
  const skips: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor = input;
  for (let l = 0; l < depth; l++) {
    x = block(x, base * 2 ** l);
    skips.push(x);
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = block(x, base * 2 ** depth);
  if (dropout > 0) x = tf.layers.dropout({ rate: dropout }).apply(x) as tf.SymbolicTensor;
  for (let l = depth - 1; l >= 0; l--) {
    const up = tf.layers.upSampling2d({ size: [2, 2] }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1 }).apply([skips[l], up]) as tf.SymbolicTensor;
    x = block(x, base * 2 ** l);
  }
  const output = tf.layers
    .conv2d({ filters: outCh, kernelSize: 1, padding: 'same', activation: outAct })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: options.name ?? 'UNet' });
}

/**
 * The lecture's spot-detection U-Net (`buildSpotUNet(base_depth)`): input `(None, None, 1)`;
 * two 3×3 ReLU convolutions of b filters; max-pool 2; two of 2b; max-pool 2; two of 4b;
 * up-sample 2; concatenate with the 2b level; two of 2b; up-sample 2; concatenate with the b
 * level; two of b; a 1×1 convolution to one channel with ReLU.
 *
 * @param baseDepth b, the filters of the first level (the lecture uses 24)
 * @returns an uncompiled tfjs `LayersModel` named 'SpotUNET'; its input sides must be multiples of 4
 * @example
 *   const unet = buildSpotUNet(24);
 *   unet.summary();               // 265,105 parameters
 *   unet.countParams();           // 265105
 */
export function buildSpotUNet(baseDepth: number): tf.LayersModel {
  checkInt('buildSpotUNet', 'baseDepth', baseDepth, 1);
  return buildUNet({ depth: 2, baseFilters: baseDepth, outputActivation: 'relu', name: 'SpotUNET' });
}

/**
 * The number of parameters of {@link buildUNet} without batch norm, by formula: a k×k
 * convolution from c_in to c_out channels has `(k·k·c_in + 1)·c_out` parameters.
 *
 * @param options the builder's options (`batchNorm` adds 2 trainable + 2 moving parameters per channel and drops the biases)
 * @returns the total parameter count, as `model.countParams()` reports it
 * @example
 *   unetParamCount({ depth: 2, baseFilters: 24 }); // 265105
 */
export function unetParamCount(options: UNetOptions = {}): number {
  const depth = options.depth ?? 2;
  const b = options.baseFilters ?? 24;
  const inCh = options.inputChannels ?? 1;
  const outCh = options.outputChannels ?? 1;
  const convs = options.convsPerLevel ?? 2;
  const bn = options.batchNorm ?? false;
  const conv = (cin: number, cout: number, k = 3): number =>
    bn && k === 3 ? k * k * cin * cout + 4 * cout : (k * k * cin + 1) * cout;
  const blockCount = (cin: number, cout: number): number => {
    let n = conv(cin, cout);
    for (let i = 1; i < convs; i++) n += conv(cout, cout);
    return n;
  };
  let total = 0;
  let c = inCh;
  for (let l = 0; l < depth; l++) {
    total += blockCount(c, b * 2 ** l);
    c = b * 2 ** l;
  }
  total += blockCount(c, b * 2 ** depth);
  c = b * 2 ** depth;
  for (let l = depth - 1; l >= 0; l--) {
    total += blockCount(c + b * 2 ** l, b * 2 ** l);
    c = b * 2 ** l;
  }
  return total + (c + 1) * outCh;
}

/**
 * The factor the input sides of a U-Net must be multiples of: 2 to the number of
 * `MaxPooling2D` layers (each halves the sides, and the skip concatenations need the
 * up-sampled sides to match).
 *
 * @param model a model from {@link buildUNet}, {@link buildSpotUNet} or any tfjs LayersModel
 * @returns 2^(number of max-pool layers), 1 for a model without pooling
 * @example
 *   unetMultiple(buildSpotUNet(8)); // 4
 */
export function unetMultiple(model: tf.LayersModel): number {
  let m = 1;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'MaxPooling2D') {
      const cfg = layer.getConfig() as { poolSize?: number | number[]; strides?: number | number[] };
      const s = cfg.strides ?? cfg.poolSize ?? 2;
      m *= Array.isArray(s) ? Math.max(...s) : s;
    }
  }
  return m;
}
