/**
 * data — the lecture's stand-in data: seeded generators of the time-of-flight cube, the
 * spot radiographs, rhizobox roots and retinal-vessel stand-ins, blobs and the cross image,
 * Poisson counting noise for the introduction (`poissonNoise`, `noise.ts`), and `ensureData`, which writes the files in data/ (`npm run data`).
 *
 * Exported from `neutron-seg/lecture` (not from the package root: a user segments their own
 * images; these exist to teach). Internal (import by path): the generator `Rng` and its
 * seed mixing (`random.ts`), the texture helpers (`texture.ts`, whose names would clash with
 * lib/filters), the data fingerprint.
 */
export { deriveSeed } from './random.js';
export { LATTICE_PARAMETER, TOF_CLASS_NAMES, braggReflections, makeTofCube, steelCrossSection } from './tof.js';
export type { BraggReflection, CrystalStructure, SteelOptions, TofCube, TofCubeOptions } from './tof.js';
export { makeDarkFrame, makeOpenBeamFrame, makeSpotFrame, spotAnnotationRgb } from './spots.js';
export type { SpotEventCounts, SpotFrame, SpotFrameOptions } from './spots.js';
export { makeRootImage, makeRootSet, makeVesselImage, makeVesselSet } from './roots.js';
export type { RootImageOptions, RootSetOptions, SegmentationSample, SegmentationSet } from './roots.js';
export { makeBlobs, makeCrossImage } from './blobs.js';
export { poissonNoise } from './noise.js';
export type { BlobOptions, Blobs, CrossImageOptions } from './blobs.js';
export { ROOT_SPLITS, VESSEL_SPLITS, ensureData, spotMaskFromAnnotation } from './ensure.js';
export type { DataGroup, EnsureDataOptions, EnsureDataResult } from './ensure.js';
