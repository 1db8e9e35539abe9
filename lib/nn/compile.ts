/**
 * Keras' two training calls, `compile` then `fit`, in front of {@link trainModel}, so a
 * notebook cell names the loss, the optimiser and the metrics where a student can change them:
 *
 *   const net = compile(model, {
 *     optimizer: tf.train.adam(1e-3),
 *     loss: 'binary_crossentropy',
 *     metrics: ['tp', 'fp', 'tn', 'fn', 'binary_accuracy', 'precision', 'recall', 'auc', 'mae'],
 *   });
 *   const history = await net.fit(x, y, { epochs: 20, validationData: [xv, yv] });
 *   history.history.val_auc;   // one value per epoch, as Keras' History
 *
 * Design: `compile` returns a small object instead of changing the tfjs model (tfjs' own
 * `model.compile` knows neither TP/FP/TN/FN nor AUC, and its `fit` averages precision and
 * recall over batches, which is wrong; see train.ts). The training itself is `trainModel`'s,
 * so both ways give the same numbers. The history holds the loss and the metrics named in
 * `compile`, in that order, then the same with `val_`.
 *
 * Progress: in a notebook, one line that is rewritten after every epoch (tslab's
 * `newDisplay`), so the log never fills a slide; elsewhere one line per epoch on the console.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ArrayLike2D } from '../core/types.js';
import { KERAS_METRIC_NAMES, type KerasMetricName } from './keras-metrics.js';
import { bceLoss, segmentationLoss, type SegmentationLoss, type SegmentationLossName } from './losses.js';
import { trainModel, type TrainLossFunction } from './train.js';
import { progressLine } from '../notebook/progress.js';

/** A loss by Keras' name, by this library's name, or as a function `(yTrue, yPred) → scalar`. */
export type CompileLoss = 'binary_crossentropy' | SegmentationLossName | TrainLossFunction;

/** What {@link compile} takes: Keras' `compile` arguments. */
export interface CompileOptions {
  /** The optimiser, e.g. `tf.train.adam(1e-3)`. It is kept (not disposed) between `fit` calls, as in Keras. */
  optimizer: tf.Optimizer;
  /** The loss. `'binary_crossentropy'` is Keras' (see `bceLoss`). */
  loss: CompileLoss;
  /** Metrics to report, any of {@link KERAS_METRIC_NAMES}. Default none (only the loss). */
  metrics?: readonly KerasMetricName[];
}

/** What `fit` takes: Keras' `fit` arguments. */
export interface FitOptions {
  /** Epochs. Default 1. */
  epochs?: number;
  /** Samples per gradient step. Default 32. */
  batchSize?: number;
  /** `[xVal, yVal]`, evaluated after each epoch. */
  validationData?: readonly [tf.Tensor | ArrayLike2D, tf.Tensor | ArrayLike2D];
  /** Shuffle the samples each epoch (default true), with this seed (default 0). */
  shuffle?: boolean;
  seed?: number;
  /** `'line'` (default): one progress line rewritten each epoch; `'epoch'`: a line per epoch; `'none'`. */
  progress?: 'line' | 'epoch' | 'none';
}

/** What `fit` returns, shaped like Keras' `History`. */
export interface History {
  /** Per key (`loss`, the compiled metrics, then `val_…`), one value per epoch. */
  history: Record<string, number[]>;
  /** Epoch indices run, 0-based. */
  epoch: number[];
  /** Wall time of each epoch in seconds, validation included. */
  epochSeconds: number[];
}

/** A model with its loss, optimiser and metrics: what {@link compile} returns. */
export interface CompiledModel {
  /** The tfjs model being trained. */
  readonly model: tf.LayersModel;
  /** The loss function. */
  readonly loss: TrainLossFunction;
  /** The optimiser. */
  readonly optimizer: tf.Optimizer;
  /** The metric names, in the order given. */
  readonly metrics: readonly KerasMetricName[];
  /** Trains, as Keras' `fit`. */
  fit(x: tf.Tensor | ArrayLike2D, y: tf.Tensor | ArrayLike2D, options?: FitOptions): Promise<History>;
}

function resolveLoss(loss: CompileLoss): TrainLossFunction {
  if (typeof loss === 'function') return loss;
  if (loss === 'binary_crossentropy') return bceLoss;
  const names: readonly string[] = ['bce', 'weighted-bce', 'dice', 'focal', 'cldice'];
  if (!names.includes(loss)) {
    throw new Error(`compile: unknown loss '${String(loss)}'; use 'binary_crossentropy', one of ${names.join(', ')}, or a function`);
  }
  return segmentationLoss(loss) as SegmentationLoss;
}

function keyOrder(metrics: readonly KerasMetricName[], validation: boolean): string[] {
  const keys = ['loss', ...metrics];
  return validation ? [...keys, ...keys.map((k) => `val_${k}`)] : keys;
}

function formatValue(key: string, v: number): string {
  const base = key.replace(/^val_/, '');
  if (['tp', 'fp', 'tn', 'fn'].includes(base)) return String(Math.round(v));
  return v === 0 || Math.abs(v) >= 1e-3 ? v.toFixed(4) : v.toExponential(2);
}

/**
 * Names the loss, the optimiser and the metrics of a training, as Keras' `model.compile`.
 *
 * @param model - a tfjs LayersModel (for instance a U-Net built layer by layer)
 * @param options - `{ optimizer, loss, metrics }`
 * @returns an object whose `fit(x, y, options)` trains and returns a Keras-shaped history
 * @example
 *   const net = compile(model, { optimizer: tf.train.adam(1e-3), loss: 'binary_crossentropy',
 *                                metrics: ['precision', 'recall', 'auc'] });
 *   const { history } = await net.fit(x, y, { epochs: 20, validationData: [xv, yv] });
 */
export function compile(model: tf.LayersModel, options: CompileOptions): CompiledModel {
  const fn = 'compile';
  if (!model || typeof (model as { apply?: unknown }).apply !== 'function') throw new Error(`${fn}: model must be a tfjs LayersModel`);
  if (!options || typeof options !== 'object') throw new Error(`${fn}: options { optimizer, loss, metrics } are required`);
  const optimizer = options.optimizer;
  if (!optimizer || typeof (optimizer as { minimize?: unknown }).minimize !== 'function') {
    throw new Error(`${fn}: optimizer must be a tfjs optimizer, e.g. tf.train.adam(1e-3)`);
  }
  const loss = resolveLoss(options.loss);
  const metrics = [...(options.metrics ?? [])];
  for (const m of metrics) {
    if (!(KERAS_METRIC_NAMES as readonly string[]).includes(m)) {
      throw new Error(`${fn}: unknown metric '${String(m)}'; use any of ${KERAS_METRIC_NAMES.join(', ')}`);
    }
  }
  return {
    model,
    loss,
    optimizer,
    metrics,
    async fit(x, y, fitOptions = {}) {
      const epochs = fitOptions.epochs ?? 1;
      const progress = fitOptions.progress ?? 'line';
      const keys = keyOrder(metrics, Boolean(fitOptions.validationData));
      const line = progress === 'line' ? progressLine() : null;
      const run = await trainModel(model, x, y, {
        epochs,
        batchSize: fitOptions.batchSize,
        validationData: fitOptions.validationData,
        shuffle: fitOptions.shuffle,
        seed: fitOptions.seed,
        loss,
        optimizer,
        verbose: false,
        onEpoch: (epoch, logs) => {
          const text = `Epoch ${epoch + 1}/${epochs} – ${keys.map((k) => `${k}: ${formatValue(k, logs[k] ?? NaN)}`).join(' – ')}`;
          if (line) line.update(text);
          else if (progress === 'epoch') console.log(text);
        },
      });
      const history: Record<string, number[]> = {};
      for (const k of keys) history[k] = run.history[k] ?? [];
      return { history, epoch: Array.from({ length: run.epochs }, (_, i) => i), epochSeconds: run.epochSeconds };
    },
  };
}
