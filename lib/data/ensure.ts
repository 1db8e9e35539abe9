/**
 * Writes the lecture's stand-in data files into `data/` (what `npm run data` and the main
 * job call), skipping files that already match.
 *
 * Files (all simulated; see data/README.md):
 *   tofdata.npy (+ tofdata.json: wavelengths, edges, classes, sample points)
 *   spots/mixture12_00001.fits + .png, spots/mixture12_00002.fits + .png,
 *   spots/openbeam_00001.fits, spots/dark_00001.fits
 *   roots/{train,val,test}-{images,masks}.npy, vessels/{train,val}-{images,masks}.npy
 *   manifest.json (generator version, seed, size and SHA-256 of every file)
 *
 * Design: files come in groups made by one generator call (tof, spots, roots, vessels).
 * A group is regenerated when the manifest's version or seed differs, when the group's
 * generator fingerprint differs (the SHA-256 of a tiny sample drawn by the same generators,
 * ~0.1 s; so an edited generator remakes its files without anyone bumping a version), or
 * when any of its files is missing or has other bytes than the manifest records (SHA-256
 * of ~120 MB takes a fraction of a second). Every file is written atomically (temporary file + rename), and
 * the manifest is updated after each finished group, so a run killed during the third group
 * keeps the first two: the next run resumes where it stopped. Temporary files that killed runs
 * left in data/ (writeFileAtomic's `.<name>.<pid>.….tmp`, their process gone) are removed first.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NDArray } from '../core/ndarray.js';
import { removeStaleTempFiles, writeFileAtomic } from '../io/atomic.js';
import { encodeFits } from '../io/fits.js';
import { encodeNpy } from '../io/npy.js';
import { encodePng } from '../io/png.js';
import { makeRootSet, makeVesselSet } from './roots.js';
import { makeDarkFrame, makeOpenBeamFrame, makeSpotFrame, spotAnnotationRgb } from './spots.js';
import { TOF_CLASS_NAMES, makeTofCube } from './tof.js';

/** Version of the generators: bump when any generator's output changes. */
export const DATA_VERSION = 'neutron-seg-data 1';

/** The file groups ensureData can make. */
export type DataGroup = 'tof' | 'spots' | 'roots' | 'vessels';

/** Sizes of the root and vessel sets. */
export const ROOT_SPLITS: Readonly<Record<'train' | 'val' | 'test', number>> = { train: 24, val: 6, test: 6 };
export const VESSEL_SPLITS: Readonly<Record<'train' | 'val', number>> = { train: 16, val: 4 };

const GROUP_FILES: Readonly<Record<DataGroup, readonly string[]>> = {
  tof: ['tofdata.npy', 'tofdata.json'],
  spots: [
    'spots/mixture12_00001.fits',
    'spots/mixture12_00001.png',
    'spots/mixture12_00002.fits',
    'spots/mixture12_00002.png',
    'spots/openbeam_00001.fits',
    'spots/dark_00001.fits',
  ],
  roots: ['train', 'val', 'test'].flatMap((s) => [`roots/${s}-images.npy`, `roots/${s}-masks.npy`]),
  vessels: ['train', 'val'].flatMap((s) => [`vessels/${s}-images.npy`, `vessels/${s}-masks.npy`]),
};

/** Options of ensureData. */
export interface EnsureDataOptions {
  /** Target folder. Default 'data' (relative to the working directory). */
  dir?: string;
  /** Regenerate everything even when the files match. Default false. */
  force?: boolean;
  /** Seed of all generators. Default 2018 (the lecture's random_state). */
  seed?: number;
  /** Only these groups (default all). */
  groups?: readonly DataGroup[];
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

/** What ensureData did. */
export interface EnsureDataResult {
  /** Absolute folder. */
  dir: string;
  /** Files written (relative to dir). */
  written: string[];
  /** Files that already matched (relative to dir). */
  skipped: string[];
  /** Seconds per regenerated group. */
  seconds: Partial<Record<DataGroup, number>>;
}

interface ManifestEntry {
  bytes: number;
  sha256: string;
}
interface Manifest {
  generator: string;
  seed: number;
  groups: Partial<Record<DataGroup, { fingerprint: string; files: Record<string, ManifestEntry> }>>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readManifest(path: string): Manifest | null {
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return m && typeof m === 'object' && m.groups && typeof m.groups === 'object' ? m : null;
  } catch {
    return null;
  }
}

/**
 * Merges `groups` into the manifest on disk (re-read first: another process may have refreshed
 * other groups meanwhile; a manifest of another generator version or seed is started afresh).
 */
function writeManifest(path: string, seed: number, groups: Manifest['groups'], replace: readonly DataGroup[]): void {
  const now = readManifest(path);
  const merged: Manifest['groups'] = now && now.generator === DATA_VERSION && now.seed === seed ? { ...now.groups } : {};
  for (const g of replace) merged[g] = groups[g];
  const manifest: Manifest = { generator: DATA_VERSION, seed, groups: merged };
  writeFileAtomic(path, JSON.stringify(manifest, null, 1) + '\n');
}

function fileMatches(path: string, entry: ManifestEntry | undefined): boolean {
  if (!entry || !existsSync(path)) return false;
  const bytes = readFileSync(path);
  return bytes.length === entry.bytes && sha256(bytes) === entry.sha256;
}

/**
 * SHA-256 of a tiny sample of a group's generators: changes whenever a generator's output
 * changes (used to notice stale files).
 */
export function dataFingerprint(group: DataGroup, seed: number): string {
  const h = createHash('sha256').update(`${DATA_VERSION}:${group}:${seed}`);
  const add = (a: { data: ArrayBufferView }): void => {
    h.update(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  };
  if (group === 'tof') add(makeTofCube({ seed, rows: 16, cols: 16, bins: 64 }).cube);
  else if (group === 'spots') {
    const f = makeSpotFrame({ seed, rows: 64, cols: 64 });
    add(f.image);
    add(f.mask);
    add(makeOpenBeamFrame({ seed, rows: 64, cols: 64 }).image);
    add(makeDarkFrame({ seed, rows: 64, cols: 64 }));
    add(spotAnnotationRgb(f.image, f.mask));
  } else if (group === 'roots') {
    const r = makeRootSet({ n: 1, seed, size: 64 });
    add(r.images);
    add(r.masks);
  } else {
    const v = makeVesselSet({ n: 1, seed, size: 64 });
    add(v.images);
    add(v.masks);
  }
  return h.digest('hex');
}

/** Encodes the files of one group: relative path → bytes. */
function makeGroup(group: DataGroup, seed: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const header = (object: string): Record<string, string | number> => ({ OBJECT: object, ORIGIN: 'neutron-seg simulation', SEED: seed, GENERATR: DATA_VERSION });
  if (group === 'tof') {
    const t = makeTofCube({ seed });
    out.set('tofdata.npy', encodeNpy(t.cube));
    const meta = {
      description: 'Simulated time-of-flight transmission cube: six steel blocks (top row ferrite bcc, bottom row austenite fcc), spacers, void. See data/README.md.',
      generator: DATA_VERSION,
      seed,
      shape: t.cube.shape,
      dtype: 'float32',
      axes: ['row', 'column', 'wavelength bin'],
      wavelengthUnit: 'angstrom',
      wavelength: Array.from(t.wavelength, (v) => Number(v.toFixed(6))),
      edges: { bcc: t.edges.bcc.map((v) => Number(v.toFixed(4))), fcc: t.edges.fcc.map((v) => Number(v.toFixed(4))) },
      classNames: TOF_CLASS_NAMES,
      samplePoints: { sample: [30, 15], background: [3, 57], spacer: [90, 79], sample2: [120, 100] },
      openBeamPeakCounts: t.params.peakCounts,
    };
    out.set('tofdata.json', Buffer.from(JSON.stringify(meta, null, 1) + '\n', 'utf8'));
  } else if (group === 'spots') {
    for (const frame of [1, 2]) {
      const f = makeSpotFrame({ seed, frame });
      const name = `spots/mixture12_0000${frame}`;
      out.set(`${name}.fits`, encodeFits(f.image, { header: { ...header(`mixture 12 frame ${frame}`), EXPTIME: 30, COMMENT: 'simulated soil radiograph with gamma spots' } }));
      out.set(`${name}.png`, encodePng(spotAnnotationRgb(f.image, f.mask)));
    }
    const ob = makeOpenBeamFrame({ seed, frame: 1 });
    out.set('spots/openbeam_00001.fits', encodeFits(ob.image, { header: { ...header('open beam'), EXPTIME: 30 } }));
    out.set('spots/dark_00001.fits', encodeFits(makeDarkFrame({ seed, frame: 1 }), { header: { ...header('dark'), EXPTIME: 30 } }));
  } else if (group === 'roots') {
    for (const [split, n] of Object.entries(ROOT_SPLITS)) {
      const s = makeRootSet({ n, seed, split });
      out.set(`roots/${split}-images.npy`, encodeNpy(s.images));
      out.set(`roots/${split}-masks.npy`, encodeNpy(s.masks));
    }
  } else {
    for (const [split, n] of Object.entries(VESSEL_SPLITS)) {
      const s = makeVesselSet({ n, seed, split });
      out.set(`vessels/${split}-images.npy`, encodeNpy(s.images));
      out.set(`vessels/${split}-masks.npy`, encodeNpy(s.masks));
    }
  }
  return out;
}

/**
 * Makes the lecture's data files in `dir` unless they already match the manifest.
 *
 * @param opts `{dir = 'data', force = false, seed = 2018, groups = all, log}`
 * @returns `{dir, written, skipped, seconds}`
 * @example
 *   const r = ensureData({ log: console.log });
 *   r.written; // [] when everything was already there
 *   readNpy('data/tofdata.npy').shape; // [128, 128, 661]
 */
export function ensureData(opts: EnsureDataOptions = {}): EnsureDataResult {
  const dir = resolve(opts.dir ?? 'data');
  const seed = opts.seed ?? 2018;
  if (!Number.isFinite(seed)) throw new Error(`ensureData: seed must be a finite number, got ${seed}`);
  const groups = opts.groups ?? (Object.keys(GROUP_FILES) as DataGroup[]);
  for (const g of groups) if (!(g in GROUP_FILES)) throw new Error(`ensureData: unknown group '${String(g)}' (tof, spots, roots, vessels)`);
  const log = opts.log ?? ((): void => undefined);
  const manifestPath = join(dir, 'manifest.json');
  // Temporary files of killed runs (their process gone) in every folder the groups write to.
  const folders = new Set([dir, ...Object.values(GROUP_FILES).flat().map((f) => dirname(join(dir, f)))]);
  for (const folder of folders) for (const p of removeStaleTempFiles(folder)) log(`  removed ${p} (left by a killed run)`);
  const old = readManifest(manifestPath);
  const sameGen = !!old && old.generator === DATA_VERSION && old.seed === seed;
  const result: EnsureDataResult = { dir, written: [], skipped: [], seconds: {} };
  if (!sameGen && old) writeManifest(manifestPath, seed, {}, []);
  for (const g of groups) {
    const names = GROUP_FILES[g];
    const fingerprint = dataFingerprint(g, seed);
    const prev = sameGen ? old.groups[g] : undefined;
    const ok = !opts.force && !!prev && prev.fingerprint === fingerprint && names.every((f) => fileMatches(join(dir, f), prev.files[f]));
    if (ok) {
      result.skipped.push(...names);
      log(`  ${g}: up to date (${names.length} files)`);
      continue;
    }
    const t0 = performance.now();
    const made = makeGroup(g, seed);
    const files: Record<string, ManifestEntry> = {};
    for (const [rel, bytes] of made) {
      try {
        writeFileAtomic(join(dir, rel), bytes);
      } catch (err) {
        throw new Error(`ensureData: cannot write ${join(dir, rel)}: ${(err as Error).message}`);
      }
      files[rel] = { bytes: bytes.length, sha256: sha256(bytes) };
      result.written.push(rel);
    }
    // Record the finished group now: a run killed later resumes after it.
    writeManifest(manifestPath, seed, { [g]: { fingerprint, files } }, [g]);
    const s = (performance.now() - t0) / 1000;
    result.seconds[g] = s;
    log(`  ${g}: wrote ${made.size} files in ${s.toFixed(1)} s`);
  }
  if (!old || !sameGen) writeManifest(manifestPath, seed, {}, []);
  return result;
}

/**
 * The spot mask stored in an annotation picture (`png[:, :, 1] == 0`, as the lecture reads it).
 *
 * @param rgb uint8 [rows, cols, 3 or 4], e.g. readPng('data/spots/mixture12_00001.png')
 * @returns uint8 [rows, cols], 1 on spots
 * @example
 *   const mask = spotMaskFromAnnotation(readPng('data/spots/mixture12_00001.png'));
 */
export function spotMaskFromAnnotation(rgb: { data: ArrayLike<number>; shape: readonly number[] }): NDArray<Uint8Array> {
  if (rgb.shape.length !== 3 || rgb.shape[2]! < 3) throw new Error(`spotMaskFromAnnotation: expected an RGB(A) image [rows, cols, 3|4], got [${rgb.shape.join(', ')}]`);
  const [rows, cols, ch] = rgb.shape as [number, number, number];
  const out = new Uint8Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) out[i] = rgb.data[i * ch + 1] === 0 ? 1 : 0;
  return new NDArray(out, [rows, cols]);
}
