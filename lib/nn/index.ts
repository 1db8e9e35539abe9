/**
 * nn — U-Nets with TensorFlow.js: pick the fastest backend, build the lecture's U-Nets,
 * prepare images, train as Keras' `compile` + `fit` do, predict whole images, save and load,
 * transfer learning, and the segmentation losses.
 *
 * Public, by job: backend choice (`backend.ts`); models (`unet.ts`); inputs and whole-image
 * prediction (`prep.ts`); training sets and random crops (`datasets.ts`); training
 * (`train.ts`, with Keras' `compile` + `fit` in front of it in `compile.ts`, and training on
 * fresh random crops every epoch in `crop-training.ts`); losses
 * (`losses.ts`); saving and loading (`model-io.ts`); freezing, weight transfer and seeded initial weights (`transfer.ts`).
 * Internal (import by path): the Keras metrics behind `trainModel`'s history
 * (`keras-metrics.ts`), the kernels that fix or speed up tfjs (`kernels/`: the cpu
 * up-sampling gradient, the wasm training kernels, wasm threads), `unetMultiple`.
 */
export { NN_BACKEND_CANDIDATES, backendInfo, selectBackend } from './backend.js';
export type { BackendAttempt, BackendInfo, NnBackendCandidate, SelectBackendOptions } from './backend.js';
export { buildSpotUNet, buildUNet, unetParamCount } from './unet.js';
export type { UNetActivation, UNetOptions } from './unet.js';
export { imageStats, predictImage, predictStack, prepImg, prepMask } from './prep.js';
export { randomCrops, randomSplit } from './datasets.js';
export { fitRandomCrops } from './crop-training.js';
export type { FitRandomCropsOptions, FitRandomCropsResult, ImageSet } from './crop-training.js';
export type { RandomCropsOptions } from './datasets.js';
export type { ImageStats, PredictImageOptions, PredictStackOptions } from './prep.js';
export { trainModel } from './train.js';
export { compile } from './compile.js';
export type { CompileLoss, CompileOptions, CompiledModel, FitOptions, History } from './compile.js';
export type { TrainLossFunction, TrainModelOptions, TrainModelResult } from './train.js';
export {
  LOSS_EPSILON, bceLoss, clDiceLoss, diceLoss, focalLoss, positiveClassWeight, segmentationLoss, softDiceLoss, softSkeleton,
  weightedBceLoss,
} from './losses.js';
export type {
  ClDiceLossOptions, DiceLossOptions, FocalLossOptions, MaskSource, SegmentationLoss, SegmentationLossName, SegmentationLossOptions,
} from './losses.js';
export { loadModel, saveModel } from './model-io.js';
export type { SavedModelInfo } from './model-io.js';
export { encoderLayers, freezeEncoder, transferWeights, unfreezeAll, withWeightSeed } from './transfer.js';
export type { FreezeEncoderOptions, FreezeReport } from './transfer.js';
