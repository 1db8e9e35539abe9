/**
 * The lecture's stand-in data: seeded generators (time-of-flight cube, spot radiograph,
 * rhizobox roots, vessels, blobs, the cross image) and `ensureData`, which writes the
 * files in data/. Texture helpers stay internal (their names would clash with lib/filters).
 */
export * from './random.js';
export * from './tof.js';
export * from './spots.js';
export * from './roots.js';
export * from './blobs.js';
export * from './ensure.js';
