/**
 * Training on random crops: every epoch cuts a fresh random window out of every training image
 * (mirrored at random) and takes gradient steps on those windows, then scores the whole
 * validation images. The network never sees the same crop twice, which acts as data
 * augmentation, and a small crop keeps an epoch cheap; prediction still runs on whole images.
 *
 * Design: a loop over `trainModel` one epoch at a time, so the Keras metrics, the input checks
 * and the finite-step guard are `trainModel`'s. One optimiser serves the whole run, except
 * that a new Adam is made when the set of trainable weights changes (after freezing or
 * unfreezing layers in `beforeEpoch`): Adam keeps its running averages per weight position,
 * so the old state would be applied to the wrong weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArrayLike2D } from '../core/types.js';
import { mulberry32 } from '../core/random.js';
import { progressLine } from '../notebook/progress.js';
import { randomCrops } from './datasets.js';
import { trainModel, type TrainLossFunction } from './train.js';

/** Images and their masks, stacks `[n, rows, cols]`. */
export interface ImageSet {
  images: ArrayLike2D;
  masks: ArrayLike2D;
}

/** Options of {@link fitRandomCrops}. */
export interface FitRandomCropsOptions {
  /** The loss, `(yTrue, yPred) → scalar` (e.g. `bceLoss`, `diceLoss`). */
  loss: TrainLossFunction;
  /** Epochs. */
  epochs: number;
  /** Side of the square crops. */
  cropSize: number;
  /** Samples per gradient step. Default 4. */
  batchSize?: number;
  /** Adam's learning rate. Default 1e-3. */
  learningRate?: number;
  /** Whole images to score after every epoch (Dice at 0.5). */
  validation?: ImageSet;
  /** Seed of the crop positions and of the shuffling. Default 1. */
  seed?: number;
  /** Called before each epoch (0-based), e.g. to freeze or unfreeze layers. */
  beforeEpoch?: (epoch: number) => void;
  /** `'line'` (default): one progress line rewritten each epoch; `'none'`. */
  progress?: 'line' | 'none';
}

/** What {@link fitRandomCrops} returns, one value per epoch. */
export interface FitRandomCropsResult {
  /** Training loss. */
  loss: number[];
  /** Validation Dice at the threshold 0.5 (empty without validation images). */
  valDice: number[];
  /** Wall time of each epoch, validation included, in seconds. */
  epochSeconds: number[];
}

/**
 * Trains a model on fresh random crops of the training images every epoch.
 *
 * @param model - a tfjs LayersModel (a U-Net)
 * @param data - training images and masks `[n, rows, cols]`
 * @param options - loss, epochs, cropSize, batchSize, learningRate, validation, seed, beforeEpoch
 * @returns loss, validation Dice and seconds per epoch
 * @example
 *   const run = await fitRandomCrops(unet, train, { loss: bceLoss, epochs: 12, cropSize: 128,
 *                                                   validation: val });
 *   run.valDice.at(-1);
 */
export async function fitRandomCrops(model: tf.LayersModel, data: ImageSet, options: FitRandomCropsOptions): Promise<FitRandomCropsResult> {
  const fn = 'fitRandomCrops';
  if (!options || typeof options.loss !== 'function') throw new Error(`${fn}: options.loss must be a loss function (yTrue, yPred) => scalar`);
  if (!Number.isInteger(options.epochs) || options.epochs < 0) throw new Error(`${fn}: epochs must be a whole number >= 0, got ${String(options.epochs)}`);
  const lr = options.learningRate ?? 1e-3;
  const random = mulberry32(options.seed ?? 1);
  const line = (options.progress ?? 'line') === 'line' ? progressLine() : null;
  const validationData = options.validation ? ([options.validation.images, options.validation.masks] as const) : undefined;
  let optimizer = tf.train.adam(lr);
  let trainable = model.trainableWeights.length;
  const result: FitRandomCropsResult = { loss: [], valDice: [], epochSeconds: [] };
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      options.beforeEpoch?.(epoch);
      if (model.trainableWeights.length !== trainable) {
        optimizer.dispose();
        optimizer = tf.train.adam(lr);
        trainable = model.trainableWeights.length;
      }
      const { x, y } = randomCrops(data.images, data.masks, options.cropSize, { random });
      const run = await trainModel(model, x, y, {
        epochs: 1, batchSize: options.batchSize ?? 4, loss: options.loss, optimizer, validationData,
        seed: (options.seed ?? 1) * 1000 + epoch, verbose: false,
      });
      const h = run.history;
      result.loss.push(h.loss![0]!);
      result.epochSeconds.push(run.epochSeconds[0]!);
      let text = `epoch ${epoch + 1}/${options.epochs} – ${run.epochSeconds[0]!.toFixed(1)} s – loss ${h.loss![0]!.toFixed(4)}`;
      if (validationData) {
        const [tp, fp, fnn] = [h.val_tp![0]!, h.val_fp![0]!, h.val_fn![0]!];
        const d = 2 * tp + fp + fnn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fnn);
        result.valDice.push(d);
        text += ` – validation Dice ${d.toFixed(3)}`;
      }
      line?.update(text);
    }
  } finally {
    optimizer.dispose();
  }
  return result;
}
