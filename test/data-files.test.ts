/**
 * The files in data/ as the notebooks read them: ensureData makes them (or finds them up to
 * date), numpy/astropy/scikit-image read each one with the stated shape and dtype, a second
 * run writes nothing, and a damaged file is repaired (in a temporary folder).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureData } from '../lib/data/ensure.js';
import { pythonJson } from './helpers/python.js';

const tmp = mkdtempSync(join(tmpdir(), 'nseg-data-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('ensureData and the real files', () => {
  it('every file in data/ reads in Python with the stated shape and dtype', () => {
    ensureData();
    const r = pythonJson<Record<string, [number[], string]>>(
      `import json, glob, os, numpy as np
from astropy.io import fits
import skimage.io
out = {}
for p in sorted(glob.glob('data/**/*.npy', recursive=True)):
    a = np.load(p, mmap_mode='r'); out[p] = [list(a.shape), str(a.dtype)]
for p in sorted(glob.glob('data/spots/*.fits')):
    a = fits.getdata(p); out[p] = [list(a.shape), str(a.dtype)]
for p in sorted(glob.glob('data/spots/*.png')):
    a = skimage.io.imread(p); out[p] = [list(a.shape), str(a.dtype)]
meta = json.load(open('data/tofdata.json'))
out['tofdata.json'] = [[len(meta['wavelength'])], 'json']
c = np.load('data/tofdata.npy', mmap_mode='r')
out['points'] = [[float(c[3, 57].mean()), float(c[90, 79].mean()), float(c[30, 15].mean()), float(c[120, 100].mean())], 'means']
print(json.dumps(out))`,
    );
    expect(r['data/tofdata.npy']).toEqual([[128, 128, 661], 'float32']);
    expect(r['tofdata.json']).toEqual([[661], 'json']);
    for (const f of ['mixture12_00001', 'mixture12_00002', 'openbeam_00001', 'dark_00001']) expect(r[`data/spots/${f}.fits`]).toEqual([[2048, 2048], 'uint16']);
    for (const f of ['mixture12_00001', 'mixture12_00002']) expect(r[`data/spots/${f}.png`]).toEqual([[2048, 2048, 3], 'uint8']);
    const sets: [string, number][] = [['roots/train', 24], ['roots/val', 6], ['roots/test', 6], ['vessels/train', 16], ['vessels/val', 4]];
    for (const [s, n] of sets) {
      expect(r[`data/${s}-images.npy`]).toEqual([[n, 256, 256], 'float32']);
      expect(r[`data/${s}-masks.npy`]).toEqual([[n, 256, 256], 'uint8']);
    }
    const [bg, spacer, s1, s2] = r.points![0];
    expect(bg).toBeGreaterThan(0.95);
    expect(spacer).toBeLessThan(0.08);
    expect(s1).toBeLessThan(s2!);
    const meta = JSON.parse(readFileSync('data/tofdata.json', 'utf8')) as { wavelength: number[]; edges: { bcc: number[]; fcc: number[] } };
    expect(meta.wavelength[0]).toBeCloseTo(1.5, 6);
    expect(meta.edges.bcc[0]).toBeCloseTo(4.054, 3);
    expect(meta.edges.fcc[0]).toBeCloseTo(4.145, 3);
  });

  it('a second run skips everything', () => {
    const r = ensureData();
    expect(r.written).toEqual([]);
    expect(r.skipped.length).toBe(18);
  });

  it('writes a group into a fresh folder, skips it next time, repairs a damaged file, force rewrites', () => {
    const first = ensureData({ dir: tmp, groups: ['vessels'] });
    expect(first.written.sort()).toEqual(['vessels/train-images.npy', 'vessels/train-masks.npy', 'vessels/val-images.npy', 'vessels/val-masks.npy']);
    const manifest = JSON.parse(readFileSync(join(tmp, 'manifest.json'), 'utf8')) as { seed: number; groups: Record<string, { files: Record<string, { bytes: number }> }> };
    expect(manifest.seed).toBe(2018);
    expect(manifest.groups.vessels!.files['vessels/val-masks.npy']!.bytes).toBe(4 * 256 * 256 + 128);
    expect(ensureData({ dir: tmp, groups: ['vessels'] }).written).toEqual([]);
    const p = join(tmp, 'vessels/val-images.npy');
    const good = readFileSync(p);
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff;
    writeFileSync(p, bad);
    const repaired = ensureData({ dir: tmp, groups: ['vessels'] });
    expect(repaired.written).toContain('vessels/val-images.npy');
    expect(readFileSync(p).equals(good)).toBe(true);
    expect(ensureData({ dir: tmp, groups: ['vessels'], force: true }).written.length).toBe(4);
    // another seed is other data
    const other = ensureData({ dir: join(tmp, 'other'), groups: ['vessels'], seed: 7 });
    expect(other.written.length).toBe(4);
    expect(readFileSync(join(tmp, 'other/vessels/val-images.npy')).equals(good)).toBe(false);
    expect(() => ensureData({ dir: tmp, groups: ['nope' as 'tof'] })).toThrow(/unknown group/);
  });
});
