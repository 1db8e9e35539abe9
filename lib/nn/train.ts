/**
 * Training loop with Keras' `model.fit` behaviour, as the lecture uses it:
 * `compile(optimizer=Adam(1e-3), loss='binary_crossentropy', metrics=[TP, FP, TN, FN,
 * BinaryAccuracy, Precision, Recall, AUC, MAE])` then `fit(x, y, epochs, validation_data)`.
 *
 * What it mirrors from Keras (TF 2.x):
 * - Mini-batches of `batchSize` (default 32), shuffled each epoch; Adam with
 *   `β1 = 0.9, β2 = 0.999, ε = 1e-7`.
 * - The training metrics of an epoch come from the forward pass of each training step,
 *   before that step's update, accumulated over the epoch's batches (Keras' stateful metrics;
 *   with one batch per epoch, as in the lecture, they describe the model before the epoch's
 *   step). The training loss is the batch-size-weighted mean of the batch losses.
 * - Validation runs after the epoch on the updated model, in batches, with the same
 *   accumulation; its values get the `val_` prefix.
 * - `loss: 'bce'` is Keras' `binary_crossentropy` on probabilities, `bceLoss` of `losses.ts`
 *   (its ε and clipping are stated there), so a ReLU output (the lecture's) works; any
 *   `(yTrue, yPred) → scalar` loss can be passed instead (the other losses in `losses.ts`).
 * - One progress line per epoch (`verbose`), like Keras' `verbose=2`.
 *
 * Design: a hand-written loop over `optimizer.minimize` rather than tfjs-layers' `fit`,
 * because `fit` averages metric values over batches (wrong for precision, recall and AUC when
 * an epoch has several batches), has no AUC, and cannot give the training metrics of the
 * step's own forward pass. Metrics are computed on the host from the downloaded predictions
 * (`keras-metrics.ts`); labels are downloaded once. On the webgpu backend the
 * metric sums are accumulated on the device instead and read back once per epoch and data set
 * (`KerasMetricsDeviceAccumulator`): nothing else is read back inside an epoch, so the GPU never
 * waits for the host between batches. Every tensor made during an epoch is
 * disposed (the count of live tensors is the same after every epoch — tested); an optimizer
 * made here is disposed at the end.
 *
 * On the cpu backend, `trainModel` first corrects tfjs 4.22's up-sampling gradient
 * (`kernels/cpu-resize-grad.ts`; wrong for batches of more than one sample). Importing this
 * module changes nothing in tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArrayLike2D } from '../core/types.js';
import { mulberry32 } from '../core/random.js';
import { patchCpuResizeNearestNeighborGrad } from './kernels/cpu-resize-grad.js';
import { checkChannels, checkFinite, checkRange, finiteStep, flaggedStep, snapshotTraining, targetRangeFor, type TrainingSnapshot } from './_guards.js';
import { KERAS_METRIC_NAMES, KerasMetricsAccumulator, KerasMetricsDeviceAccumulator } from './keras-metrics.js';
import { bceLoss } from './losses.js';
import { unetMultiple } from './unet.js';

/** A loss: truth and prediction in, a scalar out (as `model.compile({ loss })` accepts). */
export type TrainLossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Options of {@link trainModel}. */
export interface TrainModelOptions {
  /** Epochs to train. Default 1 (Keras' default). */
  epochs?: number;
  /** Samples per gradient step. Default 32 (Keras' default). */
  batchSize?: number;
  /** `[xVal, yVal]`, evaluated after every epoch (`val_*` in the history). */
  validationData?: readonly [tf.Tensor | ArrayLike2D, tf.Tensor | ArrayLike2D];
  /** 'bce' (Keras' binary cross-entropy, the default) or a loss function. */
  loss?: 'bce' | TrainLossFunction;
  /** Adam's learning rate. Default 1e-3. Ignored when `optimizer` is given. */
  learningRate?: number;
  /** An optimizer to use (and keep: it is not disposed, so a later call continues its state). Default: a new Adam. */
  optimizer?: tf.Optimizer;
  /** Shuffle the samples each epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling. Default 0. */
  seed?: number;
  /** Called after each epoch with its index (0-based) and its values; may be async. Return `true` to stop training. */
  onEpoch?: (epoch: number, logs: Record<string, number>) => void | boolean | Promise<void | boolean>;
  /** Print one progress line per epoch (`console.log`). Default true. */
  verbose?: boolean | 0 | 1;
  /**
   * The range the targets must lie in, checked before the first step. Default `[0, 1]` for
   * 'bce' and the library's binary losses (so 0/255 masks are an error, not a loss of 500),
   * none for other loss functions; `null` turns the check off.
   */
  targetRange?: readonly [number, number] | null;
}

/** What {@link trainModel} returns. */
export interface TrainModelResult {
  /** Per key (loss, tp, fp, tn, fn, binary_accuracy, precision, recall, auc, mae, and val_*), one value per epoch. */
  history: Record<string, number[]>;
  /** Epochs run. */
  epochs: number;
  /** Wall time of each epoch, validation included, in seconds. */
  epochSeconds: number[];
  /** Mean of `epochSeconds`. */
  secondsPerEpoch: number;
}

/** Keras' Adam default ε. */
const ADAM_EPSILON = 1e-7;

function toTensor4d(fn: string, name: string, v: tf.Tensor | ArrayLike2D): { t: tf.Tensor4D; owned: boolean } {
  if (v instanceof tf.Tensor) {
    if (v.rank !== 4) throw new Error(`${fn}: ${name} must be a 4-D tensor [n, rows, cols, channels], got shape [${v.shape.join(', ')}]`);
    return { t: v as tf.Tensor4D, owned: false };
  }
  if (!v || !v.data || !Array.isArray(v.shape)) throw new Error(`${fn}: ${name} must be a tf.Tensor or an array {data, shape}`);
  const s = v.shape;
  if (s.length !== 3 && s.length !== 4) {
    throw new Error(`${fn}: ${name} must have shape [n, rows, cols] or [n, rows, cols, channels], got [${s.join(', ')}]`);
  }
  const shape: [number, number, number, number] = [s[0], s[1], s[2], s.length === 4 ? s[3] : 1];
  if (shape[0] * shape[1] * shape[2] * shape[3] !== v.data.length) {
    throw new Error(`${fn}: ${name}.data has ${v.data.length} elements, shape [${s.join(', ')}] needs more or fewer`);
  }
  const data = v.data instanceof Float32Array ? v.data : Float32Array.from(v.data as ArrayLike<number>);
  return { t: tf.tensor4d(data, shape), owned: true };
}


function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => {
      const base = k.startsWith('val_') ? k.slice(4) : k;
      const isCount = base === 'tp' || base === 'fp' || base === 'tn' || base === 'fn';
      const text = isCount ? String(Math.round(v)) : v === 0 || Math.abs(v) >= 1e-3 ? v.toFixed(4) : v.toExponential(3);
      return `${k}: ${text}`;
    })
    .join(' – ');
}

/**
 * True when tensors live on a GPU (the webgpu backend), where every read-back is a sync point:
 * metrics are then summed on the device and read once per epoch (see the module header).
 */
function metricsOnDevice(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** Runs the model over `x` in batches (inference mode); accumulates loss and metrics. */
async function evaluate(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  y: tf.Tensor4D,
  yHost: Float32Array,
  batchSize: number,
  lossFn: TrainLossFunction,
): Promise<Record<string, number>> {
  const n = x.shape[0];
  const per = y.size / n;
  const acc = new KerasMetricsAccumulator();
  const dev = metricsOnDevice() ? new KerasMetricsDeviceAccumulator() : null;
  let lossSum = 0;
  for (let s = 0; s < n; s += batchSize) {
    const len = Math.min(batchSize, n - s);
    const [pred, loss] = tf.tidy(() => {
      const xb = n === len ? x : tf.slice(x, [s, 0, 0, 0], [len, -1, -1, -1]);
      const yb = n === len ? y : tf.slice(y, [s, 0, 0, 0], [len, -1, -1, -1]);
      const p = model.apply(xb, { training: false }) as tf.Tensor;
      const l = lossFn(yb, p);
      dev?.update(yb, p, l, len);
      return [p, l];
    });
    try {
      if (dev) continue;
      const [pv, lv] = await Promise.all([pred.data(), loss.data()]);
      lossSum += lv[0] * len;
      acc.update(yHost.subarray(s * per, (s + len) * per), pv as Float32Array);
    } finally {
      pred.dispose();
      loss.dispose();
    }
  }
  if (dev) {
    try {
      const r = await dev.read();
      acc.addSums(r.sums);
      lossSum = r.lossSum;
    } finally {
      dev.dispose();
    }
  }
  return { loss: lossSum / n, ...acc.result() };
}

/**
 * Trains a model like Keras' `compile` + `fit` in the lecture: Adam, binary cross-entropy (or
 * another loss), epochs, validation data, and a per-epoch history of the loss and the nine
 * metrics (tp, fp, tn, fn, binary_accuracy, precision, recall, auc, mae — threshold 0.5, AUC by
 * Keras' 200-threshold trapezoid) for training and validation.
 *
 * @param model a tfjs LayersModel (e.g. {@link buildSpotUNet}); its trainable weights are updated in place
 * @param x inputs `[n, rows, cols, channels]` (a tensor from {@link prepImg}, or an array `{data, shape}`)
 * @param y targets of the model's output shape (from {@link prepMask})
 * @param options see {@link TrainModelOptions}
 * @returns the history per epoch, the number of epochs and the time per epoch
 * @example
 *   const stats = imageStats(trainImg);
 *   const x = prepImg(trainImg, 3, stats), y = prepMask(trainMask, 3);
 *   const xv = prepImg(validImg, 1, stats), yv = prepMask(validMask, 1);
 *   const { history } = await trainModel(unet, x, y, { epochs: 20, validationData: [xv, yv] });
 *   // Epoch 1/20 – 2.1 s – loss: 0.6931 – tp: 0 – … – val_auc: 0.5120 – val_mae: 0.4990
 *   history.val_auc.at(-1);
 */
export async function trainModel(
  model: tf.LayersModel,
  x: tf.Tensor | ArrayLike2D,
  y: tf.Tensor | ArrayLike2D,
  options: TrainModelOptions = {},
): Promise<TrainModelResult> {
  const fn = 'trainModel';
  if (!model || typeof (model as { apply?: unknown }).apply !== 'function' || !Array.isArray(model.trainableWeights)) {
    throw new Error(`${fn}: model must be a tfjs LayersModel`);
  }
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const lr = options.learningRate ?? 1e-3;
  const verbose = options.verbose === undefined ? true : Boolean(options.verbose);
  const shuffle = options.shuffle ?? true;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`${fn}: epochs must be an integer >= 0, got ${String(epochs)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${fn}: batchSize must be an integer >= 1, got ${String(batchSize)}`);
  if (!(lr > 0)) throw new Error(`${fn}: learningRate must be > 0, got ${String(lr)}`);
  let lossFn: TrainLossFunction;
  if (options.loss === undefined || options.loss === 'bce') lossFn = bceLoss;
  else if (typeof options.loss === 'function') lossFn = options.loss;
  else throw new Error(`${fn}: loss must be 'bce' or a function (yTrue, yPred) => scalar, got ${String(options.loss)}`);

  if (tf.getBackend() === 'cpu') patchCpuResizeNearestNeighborGrad();
  const m = unetMultiple(model);
  const owned: tf.Tensor[] = [];
  const take = (name: string, v: tf.Tensor | ArrayLike2D): tf.Tensor4D => {
    const { t, owned: o } = toTensor4d(fn, name, v);
    if (o) owned.push(t);
    return t;
  };
  const checkPair = (xn: string, yn: string, xt: tf.Tensor4D, yt: tf.Tensor4D): void => {
    const [n, r, c] = xt.shape;
    if (yt.shape[0] !== n || yt.shape[1] !== r || yt.shape[2] !== c) {
      throw new Error(`${fn}: ${yn} has shape [${yt.shape.join(', ')}] but ${xn} has [${xt.shape.join(', ')}]; samples, rows and cols must match`);
    }
    if (n < 1) throw new Error(`${fn}: ${xn} has no samples`);
    if (r % m !== 0 || c % m !== 0) {
      throw new Error(`${fn}: ${xn} is ${r}×${c} but the model needs sides that are multiples of ${m} (crop or pad the images)`);
    }
  };

  const optimizer = options.optimizer ?? tf.train.adam(lr, 0.9, 0.999, ADAM_EPSILON);
  let dev: KerasMetricsDeviceAccumulator | null = null; // this epoch's metric sums on a GPU
  let snapshot: TrainingSnapshot | null = null; // the weights before this epoch, on a GPU
  try {
    const xt = take('x', x);
    const yt = take('y', y);
    checkPair('x', 'y', xt, yt);
    let xv: tf.Tensor4D | null = null;
    let yv: tf.Tensor4D | null = null;
    if (options.validationData) {
      if (!Array.isArray(options.validationData) || options.validationData.length !== 2) {
        throw new Error(`${fn}: validationData must be [xVal, yVal]`);
      }
      xv = take('validationData[0]', options.validationData[0]);
      yv = take('validationData[1]', options.validationData[1]);
      checkPair('validationData[0]', 'validationData[1]', xv, yv);
    }
    // The data, before the first step: finite, targets in the loss's range, channels that fit.
    const targets = targetRangeFor(fn, options.loss, options.targetRange);
    for (const [xn, a, yn, b] of [['x', xt, 'y', yt], ...(xv && yv ? [['validationData[0]', xv, 'validationData[1]', yv]] : [])] as [string, tf.Tensor4D, string, tf.Tensor4D][]) {
      checkChannels(fn, model, xn, a, yn, b);
      await checkFinite(fn, xn, a);
      await checkFinite(fn, yn, b);
      if (targets) await checkRange(fn, yn, b, targets.range, targets.name);
    }
    const yHost = (await yt.data()) as Float32Array;
    const yvHost = yv ? ((await yv.data()) as Float32Array) : null;

    const n = xt.shape[0];
    const per = yt.size / n;
    const rand = mulberry32(options.seed ?? 0);
    const history: Record<string, number[]> = {};
    const epochSeconds: number[] = [];
    let run = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = performance.now();
      const order = Array.from({ length: n }, (_, i) => i);
      if (shuffle && n > batchSize) {
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
      }
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const acc = new KerasMetricsAccumulator();
      dev?.dispose();
      dev = metricsOnDevice() ? new KerasMetricsDeviceAccumulator() : null;
      // On a GPU no step is checked on its own (a readback per step stalls the device): the
      // epoch's step flags are read with its metrics, and a non-finite step undoes the epoch.
      snapshot?.dispose();
      snapshot = dev ? await snapshotTraining(model, optimizer) : null;
      let lossSum = 0;
      for (let s = 0; s < n; s += batchSize) {
        const idx = order.slice(s, s + batchSize);
        const whole = idx.length === n;
        let xb: tf.Tensor4D = xt;
        let yb: tf.Tensor4D = yt;
        if (!whole) {
          const ii = tf.tensor1d(idx, 'int32');
          xb = tf.gather(xt, ii);
          yb = tf.gather(yt, ii);
          ii.dispose();
        }
        let pred: tf.Tensor | null = null;
        let lossT: tf.Scalar | null = null;
        // the step's loss; keeps the prediction for the metrics
        const forward = (): tf.Scalar => {
          const p = model.apply(xb, { training: true }) as tf.Tensor;
          pred = tf.keep(p);
          return lossFn(yb, p);
        };
        try {
          if (dev) {
            const step = flaggedStep(optimizer, forward, vars);
            lossT = step.loss;
            dev.update(yb, pred!, lossT, idx.length, step.flag);
            step.flag.dispose();
            continue;
          }
          // Applied only when loss and gradients are finite: a NaN step leaves the weights as they were.
          lossT = await finiteStep(fn, `epoch ${epoch + 1}, batch ${s / batchSize + 1}`, optimizer, forward, vars);
          if (!lossT || pred === null) throw new Error(`${fn}: the optimizer returned no loss`);
          const [lv, pv] = await Promise.all([lossT.data(), (pred as tf.Tensor).data()]);
          lossSum += lv[0] * idx.length;
          let yBatch: Float32Array;
          if (whole) yBatch = yHost;
          else {
            yBatch = new Float32Array(idx.length * per);
            idx.forEach((k, j) => yBatch.set(yHost.subarray(k * per, (k + 1) * per), j * per));
          }
          acc.update(yBatch, pv as Float32Array);
        } finally {
          if (pred !== null) (pred as tf.Tensor).dispose();
          if (lossT !== null) lossT.dispose();
          if (!whole) {
            xb.dispose();
            yb.dispose();
          }
        }
      }
      if (dev) {
        const r = await dev.read();
        if (!r.stepsFinite) {
          await snapshot!.restore();
          snapshot = null;
          throw new Error(
            `${fn}: epoch ${epoch + 1}: a step's loss or gradient was not finite, so the epoch was undone: the weights and the ` +
              `optimizer are those from before it. The data were checked, so training diverged: try a lower learning rate`,
          );
        }
        acc.addSums(r.sums);
        lossSum = r.lossSum;
      }
      const logs: Record<string, number> = { loss: lossSum / n, ...acc.result() };
      if (xv && yv && yvHost) {
        const v = await evaluate(model, xv, yv, yvHost, batchSize, lossFn);
        for (const k of ['loss', ...KERAS_METRIC_NAMES]) logs[`val_${k}`] = v[k];
      }
      const sec = (performance.now() - t0) / 1000;
      epochSeconds.push(sec);
      for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
      run = epoch + 1;
      if (verbose) console.log(`Epoch ${epoch + 1}/${epochs} – ${sec.toFixed(1)} s – ${formatLogs(logs)}`);
      if (options.onEpoch) {
        const stop = await options.onEpoch(epoch, logs);
        if (stop === true) break;
      }
    }
    const secondsPerEpoch = epochSeconds.length ? epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length : 0;
    return { history, epochs: run, epochSeconds, secondsPerEpoch };
  } finally {
    dev?.dispose();
    snapshot?.dispose();
    for (const t of owned) t.dispose();
    if (!options.optimizer) optimizer.dispose();
  }
}
