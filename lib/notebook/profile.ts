/**
 * Run profiles. The lecture's parameters are the default ('lecture'); CI runs the
 * notebooks with NSEG_PROFILE=quick, which shrinks only what costs minutes (epochs,
 * crop sizes) and says so in the notebook's output.
 */

/** The two run profiles. */
export type Profile = 'lecture' | 'quick';

/**
 * The active profile: NSEG_PROFILE ('lecture' or 'quick'), 'lecture' when unset.
 *
 * @returns the profile name
 * @throws Error when NSEG_PROFILE holds another value
 * @example
 *   const epochs = profile() === 'quick' ? 3 : 20;
 */
export function profile(): Profile {
  const p = (typeof process !== 'undefined' ? process.env.NSEG_PROFILE : undefined) ?? 'lecture';
  if (p !== 'lecture' && p !== 'quick') {
    throw new Error(`NSEG_PROFILE must be 'lecture' or 'quick', got '${p}'`);
  }
  return p;
}

/**
 * Picks the lecture's value, or the quick profile's value under NSEG_PROFILE=quick.
 *
 * @param lecture value used in the lecture (the default)
 * @param quick value used by the quick profile (CI)
 * @example
 *   const epochs = byProfile(20, 2);
 */
export function byProfile<T>(lecture: T, quick: T): T {
  return profile() === 'quick' ? quick : lecture;
}
