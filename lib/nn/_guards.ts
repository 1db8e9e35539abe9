/**
 * Checks that keep bad data from ruining a model (internal to lib/nn: trainModel and
 * predictImage use them; not part of the public API).
 *
 * Why: one NaN pixel in the training images once turned all 22 weight tensors of the U-Net into
 * NaN before any error, which then blamed "divergence"; NaN in the masks, 0/255 masks or a
 * two-channel mask trained in silence or failed only after an update. So trainModel checks
 * its data before the first step (finite values, masks in the loss's range, channels that match
 * the model), and applies a step only when its loss and gradients are finite: a step that
 * would produce NaN is refused and the weights stay those from before it.
 *
 * The checks run on the device (a reduction to one number per tensor), so they cost one small
 * read per tensor before training and one per step; the error path downloads the data to say
 * where the first bad value is.
 */
import * as tf from '@tensorflow/tfjs';

/** NaN when any value of `t` is NaN or ±Infinity, else 0 (`sum(t·0)`: works on every backend). */
function nonFiniteFlag(t: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(t, 0)) as tf.Scalar);
}

/** "sample 0, row 3, col 5" for a flat index into `[n, rows, cols, channels]`. */
function where4d(shape: readonly number[], flat: number): string {
  const [, r = 1, c = 1, ch = 1] = shape;
  const s = Math.floor(flat / (r * c * ch));
  const rest = flat % (r * c * ch);
  const row = Math.floor(rest / (c * ch));
  const col = Math.floor((rest % (c * ch)) / ch);
  const k = rest % ch;
  return `sample ${s}, row ${row}, col ${col}${ch > 1 ? `, channel ${k}` : ''}`;
}

/**
 * Throws when a training tensor holds NaN or ±Infinity, saying how many and where the first is.
 *
 * @param fn the caller's name for the message
 * @param name the argument's name ('x', 'y', 'validationData[0]', …)
 * @param t the tensor `[n, rows, cols, channels]`
 */
export async function checkFinite(fn: string, name: string, t: tf.Tensor): Promise<void> {
  const flag = nonFiniteFlag(t);
  const v = (await flag.data())[0];
  flag.dispose();
  if (v === 0) return;
  const data = await t.data();
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      count++;
      if (first < 0) first = i;
    }
  }
  throw new Error(
    `${fn}: ${name} contains ${count} NaN or infinite value(s), the first (${data[first]}) at ${where4d(t.shape, first)}; ` +
      'one step on it would turn every weight into NaN. Replace or crop the bad pixels first (nothing was trained)',
  );
}

/**
 * Throws when the targets leave the range a loss needs (e.g. 0/255 masks for a binary loss).
 *
 * @param fn the caller's name for the message
 * @param name the argument's name ('y', 'validationData[1]')
 * @param t the targets
 * @param range `[low, high]` the loss needs
 * @param lossName the loss, for the message
 */
export async function checkRange(fn: string, name: string, t: tf.Tensor, range: readonly [number, number], lossName: string): Promise<void> {
  const mm = tf.tidy(() => tf.stack([tf.min(t), tf.max(t)]));
  const [lo, hi] = Array.from(await mm.data());
  mm.dispose();
  if (lo! >= range[0] && hi! <= range[1]) return;
  const hint = hi! > 1 && range[1] === 1 ? ' (0/255 masks? divide by 255, or use mask.gt(0))' : '';
  throw new Error(
    `${fn}: ${name} holds values from ${lo} to ${hi}, but the loss ${lossName} needs targets in [${range[0]}, ${range[1]}]${hint}; ` +
      'pass targetRange: null to train on them anyway (nothing was trained)',
  );
}

/**
 * Throws when the data's channels do not match the model's input or output channels.
 *
 * @param fn the caller's name
 * @param model the model
 * @param xName the inputs' name; `x` their tensor
 * @param yName the targets' name; `y` their tensor
 */
export function checkChannels(fn: string, model: tf.LayersModel, xName: string, x: tf.Tensor, yName: string, y: tf.Tensor): void {
  const inShape = model.inputs[0]?.shape;
  const outShape = model.outputs[0]?.shape;
  const inCh = inShape ? inShape[inShape.length - 1] : null;
  const outCh = outShape ? outShape[outShape.length - 1] : null;
  if (inCh != null && x.shape[3] !== inCh) {
    throw new Error(`${fn}: the model takes ${inCh} input channel(s) but ${xName} has ${x.shape[3]} (shape [${x.shape.join(', ')}])`);
  }
  if (outCh != null && y.shape[3] !== outCh) {
    throw new Error(
      `${fn}: the model outputs ${outCh} channel(s) but ${yName} has ${y.shape[3]} (shape [${y.shape.join(', ')}]); ` +
        'give the targets one channel per output channel (nothing was trained)',
    );
  }
}

/**
 * One optimizer step that is applied only when its loss and every gradient are finite, so a step
 * that would produce NaN leaves the weights (and the optimizer's state) as they were before it.
 * Same arithmetic as `optimizer.minimize(f, true, vars)`.
 *
 * @param fn the caller's name
 * @param what which step, for the message ('epoch 3, batch 1')
 * @param optimizer the optimizer
 * @param f the loss function of the step
 * @param vars the variables to train
 * @returns the loss (the caller disposes it)
 */
export async function finiteStep(fn: string, what: string, optimizer: tf.Optimizer, f: () => tf.Scalar, vars: tf.Variable[]): Promise<tf.Scalar> {
  const { value, grads } = tf.variableGrads(f, vars);
  try {
    const flag = tf.tidy(() => Object.values(grads).reduce<tf.Scalar>((s, g) => tf.add(s, nonFiniteFlag(g)), nonFiniteFlag(value)));
    const v = (await flag.data())[0];
    flag.dispose();
    if (v !== 0) {
      const loss = (await value.data())[0];
      value.dispose();
      throw new Error(
        `${fn}: ${what}: the ${Number.isFinite(loss) ? 'gradient' : `loss (${loss})`} is not finite, so the step was not applied and ` +
          'the weights are those from before it. The data were checked, so training diverged: try a lower learning rate',
      );
    }
    optimizer.applyGradients(grads);
    return value;
  } finally {
    tf.dispose(Object.values(grads));
  }
}

/**
 * {@link finiteStep} without a sync point, for a GPU, where reading a flag back after every step
 * would stall the device: the step is applied at once, and its flag (0 when the loss and every
 * gradient are finite, NaN otherwise) stays on the device, for the caller to sum over the epoch
 * and read with the epoch's metrics. A non-finite step is then undone with the whole epoch
 * ({@link snapshotTraining}).
 *
 * @param optimizer the optimizer
 * @param f the loss function of the step
 * @param vars the variables to train
 * @returns the loss and the flag (the caller disposes both)
 */
export function flaggedStep(optimizer: tf.Optimizer, f: () => tf.Scalar, vars: tf.Variable[]): { loss: tf.Scalar; flag: tf.Scalar } {
  const { value, grads } = tf.variableGrads(f, vars);
  try {
    // One sum per gradient, added in groups, times 0: 28 programs for the spot U-Net, not the 68
    // of a flag per tensor. The sum of finite values overflows only for gradients near 1e38,
    // which is divergence as well.
    const flag = tf.tidy(() => tf.mul(addScalars([value, ...Object.values(grads).map((g) => tf.sum(g))]), 0) as tf.Scalar);
    optimizer.applyGradients(grads);
    return { loss: value, flag };
  } finally {
    tf.dispose(Object.values(grads));
  }
}

/**
 * The sum of many scalars in groups of at most 6 per addN: a WebGPU program has a limited number
 * of storage buffers (8 on some adapters, inputs and output included), and tfjs' webgpu AddN does
 * not split its inputs itself.
 */
function addScalars(xs: tf.Tensor[]): tf.Tensor {
  let level = xs;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 6) {
      const group = level.slice(i, i + 6);
      next.push(group.length === 1 ? group[0]! : tf.addN(group));
    }
    level = next;
  }
  return level[0]!;
}

/** A copy of a model's weights and an optimizer's state, kept on the device (see snapshotTraining). */
export interface TrainingSnapshot {
  /** Puts the weights and the optimizer's state back as they were; reads back only the step count. */
  restore(): Promise<void>;
  /** Frees the copies. */
  dispose(): void;
}

/**
 * Copies every weight of `model` (batch-norm statistics included) and the optimizer's state, on
 * the device and without a sync point, so that an epoch can be undone.
 *
 * @param model the model being trained
 * @param optimizer its optimizer
 * @returns the snapshot; dispose it when the epoch went well
 */
export async function snapshotTraining(model: tf.LayersModel, optimizer: tf.Optimizer): Promise<TrainingSnapshot> {
  const weights = model.weights.map((w) => tf.clone(w.read()));
  const iterations = optimizer.iterations;
  const [iter, ...now] = await optimizer.getWeights(); // the step count (a new scalar), then the state
  iter?.tensor.dispose();
  const state = now.map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
  let live = true;
  const dispose = (): void => {
    if (!live) return;
    live = false;
    tf.dispose(weights);
    tf.dispose(state.map((s) => s.tensor));
  };
  return {
    async restore(): Promise<void> {
      model.weights.forEach((w, i) => w.write(weights[i]!));
      const old = (await optimizer.getWeights()).map((s) => s.tensor);
      // setWeights makes new state variables from the copies; the replaced ones are freed
      const iter = tf.scalar(iterations, 'int32');
      await optimizer.setWeights([{ name: 'iter', tensor: iter }, ...state]);
      tf.dispose([iter, ...old]);
      dispose();
    },
    dispose,
  };
}

/** The names of the library's binary segmentation losses (lib/nn/losses.ts): targets in [0, 1]. */
const BINARY_LOSSES = new Set(['binary_crossentropy', 'weighted_binary_crossentropy', 'dice_loss', 'focal_loss', 'cldice_loss']);

/**
 * The target range a loss needs: [0, 1] for 'bce' (the default) and the library's binary losses,
 * none (null) for other loss functions, unless `targetRange` says otherwise.
 *
 * @param fn the caller's name
 * @param loss the loss option
 * @param targetRange the caller's `targetRange` option
 * @returns the range and the loss's name for messages, or null when nothing is checked
 */
export function targetRangeFor(fn: string, loss: unknown, targetRange: readonly [number, number] | null | undefined): { range: readonly [number, number]; name: string } | null {
  const name = loss === undefined || loss === 'bce' ? "'bce'" : typeof loss === 'function' ? loss.name || 'loss function' : String(loss);
  if (targetRange === null) return null;
  if (targetRange !== undefined) {
    if (!Array.isArray(targetRange) || targetRange.length !== 2 || !(targetRange[0] <= targetRange[1])) {
      throw new Error(`${fn}: targetRange must be [low, high] with low <= high, or null; got ${JSON.stringify(targetRange)}`);
    }
    return { range: targetRange, name };
  }
  const binary = loss === undefined || loss === 'bce' || (typeof loss === 'function' && BINARY_LOSSES.has(loss.name));
  return binary ? { range: [0, 1], name } : null;
}
