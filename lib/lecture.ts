/**
 * neutron-seg/lecture: what exists to teach the lecture rather than to segment images.
 *
 * - The stand-in data: seeded generators of every data set the notebooks use (time-of-flight
 *   cube, spot radiographs, roots and vessels, blobs, the cross image) and `ensureData`.
 * - The lecture's figures: hit maps (`showHitMap`, `showHitCases`, `HIT_COLORS`,
 *   `HIT_NAMES`), `magnifyRegion`, and `buildCMap` (a listed colour map from the colours a
 *   `plot` call returned, as the lecture's `buildCMap` helper did).
 * - The picture slides (`plot/pictures.ts`): `drawImagingSetup`, `drawAttenuation` with its
 *   table `ATTENUATION_TABLE` and `ATTENUATION_SOURCE`, `drawCamouflage` (data:
 *   `makeCamouflage`), `drawRhizobox`, `drawMarkedSpots`.
 * - The notebooks' bookkeeping: run profiles (`profile`, `byProfile`: the lecture's settings
 *   or the quick ones CI uses) and `writeFileAtomic` for their results files.
 *
 * @example
 *   import { subplots } from 'neutron-seg';
 *   import { makeBlobs, showHitMap, byProfile } from 'neutron-seg/lecture';
 */
export * from './data/index.js';
export { HIT_COLORS, HIT_NAMES, magnifyRegion, showHitCases, showHitMap } from './plot/lecture.js';
export type { HitMapOptions, MagnifyOptions } from './plot/lecture.js';
export { buildCMap } from './plot/colors.js';
export {
  ATTENUATION_SOURCE, ATTENUATION_TABLE, drawAttenuation, drawCamouflage, drawImagingSetup, drawMarkedSpots, drawRhizobox,
  makeCamouflage,
} from './plot/pictures.js';
export type {
  AttenuationOptions, AttenuationRow, Camouflage, CamouflageOptions, ImagingSetupOptions, MarkedSpotsOptions,
  RhizoboxOptions,
} from './plot/pictures.js';
export { byProfile, profile } from './notebook/profile.js';
export type { Profile } from './notebook/profile.js';
export { writeFileAtomic } from './io/atomic.js';
