/**
 * Transfer learning helpers for U-Nets: freeze the encoder (the contracting path) of a model
 * pre-trained on one kind of image, fine-tune the decoder on another, then unfreeze everything.
 *
 * The lecture's root-segmentation project pre-trained on retinal-vessel images (thin branching
 * structures like roots) and fine-tuned on few root radiographs. The encoder's filters describe
 * local structure (edges, ridges, line ends) that carries over between the two; the decoder maps
 * them to the new masks.
 *
 * Design: the encoder is found from the layer graph, not from layer names or positions, so it
 * works for any `buildUNet` depth and for hand-built U-Nets: the first up-sampling layers
 * (`UpSampling2D` or `Conv2DTranspose` whose ancestors contain no other up-sampling layer) start
 * the decoder, and the encoder is everything they depend on — every encoder level and the
 * bottleneck. With `includeBottleneck: false` it is only what the `MaxPooling2D` layers depend on.
 * Freezing sets tfjs' `layer.trainable = false`, which removes the layer's weights from
 * `model.trainableWeights`: `trainModel` reads that list every epoch, so freezing between two
 * `trainModel` calls takes effect at once (tfjs' own `model.fit` needs `model.compile` again,
 * as in Keras). A frozen `BatchNormalization` layer keeps its γ and β, but in training mode tfjs
 * still updates its moving mean and variance.
 *
 * Optimizers: tfjs' Adam keeps its moment estimates by the position of each variable in the list
 * it is given, not by name. When the set of trainable weights changes (freezing or unfreezing),
 * an optimizer that continues from before would pair moments with the wrong weights (a shape
 * error, or silently wrong steps): start a new optimizer after {@link freezeEncoder} and
 * {@link unfreezeAll}, as Keras asks for a new `compile`.
 *
 * `withWeightSeed` makes the random initial weights reproducible without a seed option in every
 * builder: it builds the model, then draws every randomly initialised weight again with the
 * layer's own initialiser (read from the layer's config: Glorot, He, variance scaling, uniform,
 * normal, truncated normal, orthogonal) made by `tf.initializers` with a seed derived from the
 * given one and the weight's position. tfjs draws seeded random numbers in JavaScript
 * (seedrandom), so the weights are the same bits on every backend, run after run. Nothing global
 * is replaced (an earlier version swapped `Math.random` while the builder ran). Weights whose
 * initialiser is not random (zeros, ones, constants, identity) are left as built.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../core/random.js';

type Layer = tf.layers.Layer;

/** Options of {@link freezeEncoder} and {@link encoderLayers}. */
export interface FreezeEncoderOptions {
  /** Count the bottleneck (the deepest level, below the last max-pool) as encoder. Default true. */
  readonly includeBottleneck?: boolean;
}

/** What {@link freezeEncoder} and {@link unfreezeAll} report. */
export interface FreezeReport {
  /** Names of the layers that are frozen now (no trainable weights change in training). */
  readonly frozenLayers: string[];
  /** Number of weights (scalars) that training updates. */
  readonly trainableParams: number;
  /** Number of weights that training leaves alone (frozen layers and moving statistics). */
  readonly nonTrainableParams: number;
}

function checkModel(fn: string, model: tf.LayersModel): void {
  if (!model || !Array.isArray((model as { layers?: unknown }).layers) || typeof model.getWeights !== 'function') {
    throw new Error(`${fn}: model must be a tfjs LayersModel (e.g. from buildUNet)`);
  }
}

const UP_CLASSES = new Set(['UpSampling2D', 'Conv2DTranspose']);

/** The layers `layer` depends on inside `model` (not including itself). */
function ancestors(layer: Layer, inModel: Set<Layer>): Set<Layer> {
  const seen = new Set<Layer>();
  const stack: Layer[] = [layer];
  while (stack.length) {
    const l = stack.pop() as Layer;
    for (const node of l.inboundNodes) {
      for (const parent of node.inboundLayers) {
        if (inModel.has(parent) && !seen.has(parent)) {
          seen.add(parent);
          stack.push(parent);
        }
      }
    }
  }
  return seen;
}

/**
 * The encoder layers of a U-Net, in the model's layer order (the input layer excluded).
 *
 * @param model a U-Net (`buildUNet`, `buildSpotUNet` or any tfjs LayersModel with max-pool down- and
 *   `UpSampling2D`/`Conv2DTranspose` up-sampling)
 * @param options `includeBottleneck` (default true)
 * @returns the encoder's layers
 * @throws when the model has no up-sampling layer (then it has no decoder to tell apart)
 * @example
 * encoderLayers(buildUNet({ depth: 2 })).map((l) => l.getClassName());
 * // ['Conv2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D']
 */
export function encoderLayers(model: tf.LayersModel, options: FreezeEncoderOptions = {}): Layer[] {
  const fn = 'encoderLayers';
  checkModel(fn, model);
  const inModel = new Set<Layer>(model.layers);
  const ups = model.layers.filter((l) => UP_CLASSES.has(l.getClassName()));
  if (ups.length === 0) {
    throw new Error(`${fn}: model '${model.name}' has no UpSampling2D or Conv2DTranspose layer, so it has no decoder to tell the encoder apart from`);
  }
  const upAnc = new Map(ups.map((u) => [u, ancestors(u, inModel)] as const));
  const firstUps = ups.filter((u) => !ups.some((o) => o !== u && (upAnc.get(u) as Set<Layer>).has(o)));
  const enc = new Set<Layer>();
  for (const u of firstUps) for (const a of upAnc.get(u) as Set<Layer>) enc.add(a);
  if (options.includeBottleneck === false) {
    const pools = [...enc].filter((l) => l.getClassName() === 'MaxPooling2D');
    const shallow = new Set<Layer>(pools);
    for (const p of pools) for (const a of ancestors(p, inModel)) shallow.add(a);
    for (const l of [...enc]) if (!shallow.has(l)) enc.delete(l);
  }
  return model.layers.filter((l) => enc.has(l) && l.getClassName() !== 'InputLayer');
}

function report(model: tf.LayersModel): FreezeReport {
  const count = (ws: tf.LayerVariable[]): number =>
    ws.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  return {
    frozenLayers: model.layers.filter((l) => !l.trainable && l.weights.length > 0).map((l) => l.name),
    trainableParams: count(model.trainableWeights),
    nonTrainableParams: count(model.nonTrainableWeights),
  };
}

/**
 * Freezes the encoder of a U-Net: its weights stop changing in training, the decoder still learns.
 *
 * Use it after loading (or training) a model on a large related data set, to fine-tune only the
 * decoder on a few new images; then {@link unfreezeAll} to fine-tune everything with a small
 * learning rate. Use a new optimizer after freezing (see the module header); with tfjs'
 * `model.fit` call `model.compile` again.
 *
 * @param model a U-Net (see {@link encoderLayers}); changed in place
 * @param options `includeBottleneck` (default true: the bottleneck is frozen too)
 * @returns the names of the frozen layers and the trainable / non-trainable parameter counts
 * @example
 * const unet = buildUNet({ depth: 2, baseFilters: 8 });
 * await trainModel(unet, vesselX, vesselY, { epochs: 20 });   // pre-train
 * freezeEncoder(unet);                                         // { frozenLayers: [...], trainableParams: ... }
 * await trainModel(unet, rootX, rootY, { epochs: 5 });          // decoder only (a new Adam each call)
 * unfreezeAll(unet);
 * await trainModel(unet, rootX, rootY, { epochs: 5, learningRate: 1e-4 });
 */
export function freezeEncoder(model: tf.LayersModel, options: FreezeEncoderOptions = {}): FreezeReport {
  checkModel('freezeEncoder', model);
  for (const l of encoderLayers(model, options)) l.trainable = false;
  return report(model);
}

/**
 * Makes every layer of a model trainable again (undoes {@link freezeEncoder}).
 *
 * @param model a tfjs LayersModel; changed in place
 * @returns the report: no frozen layers, the parameter counts
 * @example
 * unfreezeAll(unet).frozenLayers; // []
 */
export function unfreezeAll(model: tf.LayersModel): FreezeReport {
  checkModel('unfreezeAll', model);
  model.trainable = true;
  for (const l of model.layers) l.trainable = true;
  return report(model);
}

/**
 * Copies all weights of one model into another of the same architecture (for example a U-Net
 * pre-trained on vessels into a fresh `buildUNet` with the same options), so that one pre-trained
 * model can start several fine-tuning runs.
 *
 * @param source the model to copy from (unchanged)
 * @param target the model to copy into (changed in place); its weights must have the same shapes, in the same order
 * @returns the target
 * @throws when the number or the shapes of the weights differ
 * @example
 * const pre = buildUNet(opts); await trainModel(pre, vx, vy, { epochs: 20 });
 * const fine = transferWeights(pre, buildUNet(opts));
 */
export function transferWeights(source: tf.LayersModel, target: tf.LayersModel): tf.LayersModel {
  const fn = 'transferWeights';
  checkModel(fn, source);
  checkModel(fn, target);
  const sw = source.weights;
  const tw = target.weights;
  if (sw.length !== tw.length) {
    throw new Error(`${fn}: source has ${sw.length} weight arrays but target has ${tw.length}; the architectures differ`);
  }
  sw.forEach((w, k) => {
    const a = w.shape.join(', ');
    const b = tw[k].shape.join(', ');
    if (a !== b) throw new Error(`${fn}: weight ${k} ('${w.name}') has shape [${a}] in source but [${b}] in target ('${tw[k].name}')`);
  });
  // getWeights returns the variables' own tensors (not copies): setWeights copies their values
  target.setWeights(source.getWeights());
  return target;
}

type InitializerConfig = Record<string, unknown> & { seed?: number | null };

/** tfjs' random initialisers by the class name a layer's config serialises them with. */
const RANDOM_INITIALIZERS: Record<string, (config: InitializerConfig) => ReturnType<typeof tf.initializers.zeros>> = {
  VarianceScaling: (c) => tf.initializers.varianceScaling(c as unknown as Parameters<typeof tf.initializers.varianceScaling>[0]),
  GlorotUniform: (c) => tf.initializers.glorotUniform(c as { seed?: number }),
  GlorotNormal: (c) => tf.initializers.glorotNormal(c as { seed?: number }),
  HeUniform: (c) => tf.initializers.heUniform(c as { seed?: number }),
  HeNormal: (c) => tf.initializers.heNormal(c as { seed?: number }),
  LeCunUniform: (c) => tf.initializers.leCunUniform(c as { seed?: number }),
  LeCunNormal: (c) => tf.initializers.leCunNormal(c as { seed?: number }),
  RandomUniform: (c) => tf.initializers.randomUniform(c as Parameters<typeof tf.initializers.randomUniform>[0]),
  RandomNormal: (c) => tf.initializers.randomNormal(c as Parameters<typeof tf.initializers.randomNormal>[0]),
  TruncatedNormal: (c) => tf.initializers.truncatedNormal(c as Parameters<typeof tf.initializers.truncatedNormal>[0]),
  Orthogonal: (c) => tf.initializers.orthogonal(c as Parameters<typeof tf.initializers.orthogonal>[0]),
};

/** Initialisers that draw no random numbers: their weights are the same on every build. */
const FIXED_INITIALIZERS = new Set(['Zeros', 'Ones', 'Constant', 'Identity']);

/** The config key of a weight's initialiser: 'conv2d_1/kernel' → 'kernelInitializer', 'moving_mean' → 'movingMeanInitializer'. */
function initializerKey(weight: tf.LayerVariable): string {
  const base = (weight.originalName ?? weight.name).split('/').pop() ?? '';
  return `${base.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}Initializer`;
}

/**
 * Draws every randomly initialised weight of `model` again with its layer's initialiser, seeded
 * (see the module header). Weights are visited in the model's layer order.
 */
function reseedWeights(model: tf.LayersModel, seed: number): void {
  const fn = 'withWeightSeed';
  const next = mulberry32(seed);
  const visit = (layers: readonly Layer[]): void => {
    for (const layer of layers) {
      const inner = (layer as unknown as { layers?: Layer[] }).layers;
      if (Array.isArray(inner)) {
        visit(inner);
        continue;
      }
      if (layer.weights.length === 0) continue;
      const config = layer.getConfig() as Record<string, unknown>;
      for (const w of layer.weights) {
        const key = initializerKey(w);
        const spec = config[key] as { className?: string; config?: InitializerConfig } | undefined;
        const name = spec?.className;
        if (name && FIXED_INITIALIZERS.has(name)) continue;
        const make = name ? RANDOM_INITIALIZERS[name] : undefined;
        if (!make) {
          throw new Error(`${fn}: cannot seed weight '${w.name}' of layer '${layer.name}': its initialiser (${name ?? `no ${key} in the layer config`}) is not one tfjs can seed`);
        }
        const init = make({ ...(spec?.config ?? {}), seed: Math.floor(next() * 2 ** 31) });
        const value = init.apply(w.shape as number[], w.dtype);
        try {
          w.write(value);
        } finally {
          value.dispose();
        }
      }
    }
  };
  visit(model.layers);
}

/**
 * Builds a model with reproducible initial weights: `build()` makes it, then every randomly
 * initialised weight is drawn again by its layer's tfjs initialiser with a seed derived from
 * `seed` (see the module header), so the same seed gives the same weights every time, on every
 * backend, and nothing global (such as `Math.random`) is touched.
 *
 * @param seed any finite number (fractions are dropped)
 * @param build a synchronous function that returns a tfjs LayersModel, usually `() => buildUNet(options)`
 * @returns the model `build` returned, its initial weights seeded
 * @throws when `build` returns a Promise or something that is not a LayersModel, or a layer's
 *   initialiser cannot be seeded
 * @example
 * const a = withWeightSeed(42, () => buildUNet({ depth: 3, baseFilters: 8 }));
 * const b = withWeightSeed(42, () => buildUNet({ depth: 3, baseFilters: 8 }));
 * // a and b have identical weights
 */
export function withWeightSeed<T extends tf.LayersModel>(seed: number, build: () => T): T {
  if (!Number.isFinite(seed)) throw new Error(`withWeightSeed: seed must be a finite number, got ${seed}`);
  if (typeof build !== 'function') throw new Error('withWeightSeed: build must be a function');
  const model = build() as unknown;
  if (model instanceof Promise) throw new Error('withWeightSeed: build must be synchronous (it returned a Promise)');
  if (!(model instanceof tf.LayersModel)) throw new Error('withWeightSeed: build must return a tfjs LayersModel (e.g. buildUNet(...))');
  reseedWeights(model, Math.trunc(seed));
  return model as T;
}
