/**
 * lib/plot/pictures.ts: the lecture's picture slides.
 *
 * - The attenuation table agrees with the reference data it cites: X-ray mass attenuation at
 *   100 keV (xraylib, whose tables follow NIST XCOM) and thermal-neutron cross sections
 *   (Sears 1992 through the periodictable package), times density, within 3 %.
 * - The camouflage image says what its picture claims: object and background have the same
 *   grey levels, so no threshold separates them, and the texture direction does.
 * - Every picture renders to an SVG holding its labels and no NaN; bad arguments are refused
 *   with the function's name.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { subplots } from '../lib/plot/figure.js';
import {
  ATTENUATION_SOURCE, ATTENUATION_TABLE, drawAttenuation, drawCamouflage, drawImagingSetup, drawMarkedSpots,
  drawRhizobox, makeCamouflage,
} from '../lib/plot/pictures.js';
import { needs } from './helpers/needs.js';
import { pythonHas, pythonJson } from './helpers/python.js';

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
}

/** Plain formulas of the table's materials, for the reference packages. */
const FORMULA: Record<string, string> = {
  water: 'H2O', polyethylene: 'CH2', boron: 'B', aluminium: 'Al', silicon: 'Si', titanium: 'Ti', iron: 'Fe',
  copper: 'Cu', zirconium: 'Zr', cadmium: 'Cd', gadolinium: 'Gd', lead: 'Pb',
};

describe('ATTENUATION_TABLE', () => {
  it('matches xraylib (100 keV) and periodictable (1.798 Å) times density within 3 %', (ctx) => {
    needs(ctx, 'xraylib and periodictable in the reference Python', pythonHas('xraylib', 'periodictable'),
      'apt-get install python3-xraylib python3-periodictable');
    const rows = ATTENUATION_TABLE.map((r) => [FORMULA[r.material], r.density]);
    expect(rows.every(([f]) => typeof f === 'string')).toBe(true);
    const ref = pythonJson<{ xrays: number; neutrons: number }[]>(`
import json, sys, xraylib
from periodictable.nsf import neutron_scattering
out = []
for formula, rho in json.loads(sys.argv[1]):
    _, xs, _ = neutron_scattering(formula, density=rho, wavelength=1.798)
    out.append({'xrays': xraylib.CS_Total_CP(formula, 100.0) * rho, 'neutrons': sum(xs)})
print(json.dumps(out))
`, [JSON.stringify(rows)]);
    ATTENUATION_TABLE.forEach((r, i) => {
      expect(Math.abs(r.xrays / ref[i]!.xrays - 1), `${r.material} X-rays`).toBeLessThan(0.03);
      expect(Math.abs(r.neutrons / ref[i]!.neutrons - 1), `${r.material} neutrons`).toBeLessThan(0.03);
    });
  });

  it('tells the story of the slide: hydrogen and boron dark for neutrons, metals dark for X-rays', () => {
    const mu = (m: string) => ATTENUATION_TABLE.find((r) => r.material === m)!;
    expect(mu('water').neutrons / mu('water').xrays).toBeGreaterThan(10);
    expect(mu('lead').xrays / mu('lead').neutrons).toBeGreaterThan(100);
    expect(mu('aluminium').neutrons).toBeLessThan(mu('aluminium').xrays);
    expect(ATTENUATION_SOURCE).toMatch(/approximate/);
  });
});

describe('drawAttenuation', () => {
  it('draws two bars per material on a log axis labelled in decades, with the source', () => {
    const svg = drawAttenuation({ materials: ['water', 'iron', 'lead'] }).toSVG();
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['H₂O', 'Fe', 'Pb', 'thermal neutrons', 'X-rays, 100 keV', '0.1', '1', '10', '100']));
    expect(t.some((s) => s.includes('XCOM'))).toBe(true);
    expect(t.some((s) => s.includes('Sears 1992'))).toBe(true);
    expect(svg).not.toMatch(/NaN/);
  });

  it('names an unknown material', () => {
    expect(() => drawAttenuation({ materials: ['water', 'unobtainium'] })).toThrow(/drawAttenuation: unknown material 'unobtainium'/);
    expect(() => drawAttenuation({ materials: [] })).toThrow(/drawAttenuation: materials must name at least one/);
  });
});

describe('makeCamouflage', () => {
  const { image, mask, direction } = makeCamouflage({ seed: 2018, size: 128 });
  const inside = image.data.filter((_, i) => mask.data[i]);
  const outside = image.data.filter((_, i) => !mask.data[i]);

  it('hides an object of a sensible size', () => {
    expect(image.shape).toEqual([128, 128]);
    const share = inside.length / image.size;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.4);
  });

  it('gives object and background the same grey levels: no threshold separates them', () => {
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(inside) - mean(outside))).toBeLessThan(0.01);
    // best balanced accuracy of any threshold (either polarity) stays near chance
    const sortedIn = Float32Array.from(inside).sort();
    const sortedOut = Float32Array.from(outside).sort();
    const below = (a: Float32Array, t: number) => { let lo = 0, hi = a.length; while (lo < hi) { const m = (lo + hi) >> 1; if (a[m]! < t) lo = m + 1; else hi = m; } return lo / a.length; };
    let best = 0;
    for (let t = 0; t <= 1; t += 0.01) {
      const ba = 0.5 * (1 - below(sortedIn, t)) + 0.5 * below(sortedOut, t);
      best = Math.max(best, ba, 1 - ba);
    }
    expect(best).toBeLessThan(0.56);
  });

  it('is found by the texture direction (negative inside, positive outside)', () => {
    let hitIn = 0, hitOut = 0;
    direction.data.forEach((v, i) => {
      if (mask.data[i] && v < 0) hitIn++;
      if (!mask.data[i] && v > 0) hitOut++;
    });
    const balanced = 0.5 * (hitIn / inside.length) + 0.5 * (hitOut / outside.length);
    expect(balanced).toBeGreaterThan(0.85);
  });

  it('is reproducible and refuses a tiny size', () => {
    expect(makeCamouflage({ seed: 2018, size: 128 }).image.data).toEqual(image.data);
    expect(() => makeCamouflage({ size: 10 })).toThrow(/makeCamouflage: size must be an integer ≥ 64/);
  });
});

describe('schematics', () => {
  it('drawImagingSetup labels every part of the beamline and states the L/D rule', () => {
    const t = texts(drawImagingSetup().toSVG()).join(' | ');
    for (const part of ['neutron source', 'collimator', 'aperture', 'sample', 'scintillator', 'mirror', 'camera', 'flight path']) {
      expect(t).toContain(part);
    }
    expect(t).toMatch(/L\/D/);
  });

  it('drawRhizobox shows the beam, the container and what the detector sees', () => {
    const svg = drawRhizobox().toSVG();
    const t = texts(svg).join(' | ');
    for (const part of ['neutron beam', 'rhizobox', 'detector', 'roots', 'porous barrier', 'soil', 'container wall']) expect(t).toContain(part);
    expect(svg).toContain('data:image/png;base64');
    expect(svg).not.toMatch(/NaN/);
  });

  it('drawCamouflage shows image, histograms, threshold and texture direction', () => {
    const t = texts(drawCamouflage({ size: 96 }).toSVG());
    expect(t).toEqual(expect.arrayContaining(['Grey levels', 'Threshold at 0.5', 'Texture direction']));
  });
});

describe('drawMarkedSpots', () => {
  const img = NDArray.zeros([40, 50]).map((_, i) => 1000 + (i % 7));
  const mask = new NDArray(new Uint8Array(40 * 50), [40, 50]);
  mask.set(1, 12, 15);
  mask.set(1, 12, 16);
  mask.set(1, 30, 45); // outside the region below

  it('magnifies the region and counts the marked pixels in it', () => {
    const svg = drawMarkedSpots(img, mask, [10, 10, 20, 20]).toSVG();
    expect(texts(svg)).toEqual(expect.arrayContaining(['Radiograph', 'Marked spots (2 pixels in red)']));
  });

  it('refuses mismatched shapes and regions outside the image', () => {
    expect(() => drawMarkedSpots(img, new NDArray(new Uint8Array(4), [2, 2]), [0, 0, 1, 1])).toThrow(/drawMarkedSpots: mask shape \[2, 2\] differs/);
    expect(() => drawMarkedSpots(img, mask, [30, 0, 50, 10])).toThrow(/drawMarkedSpots: region \[30, 0, 50, 10\]/);
    expect(() => drawMarkedSpots(img, mask, [0, 0, 10.5, 10])).toThrow(/drawMarkedSpots: region/);
  });
});

describe('patches without an edge', () => {
  it("addRectangle and addEllipse honour edgecolor 'none'", () => {
    const [fig, [ax]] = subplots(1, 1);
    ax!.addRectangle([0, 0], 1, 1, { facecolor: '#123456', edgecolor: 'none' });
    ax!.addEllipse([2, 2], 1, 1, { facecolor: '#654321', edgecolor: 'none' });
    const svg = fig.toSVG();
    expect(svg).toMatch(/<rect [^>]*fill="#123456" stroke="none"/);
    expect(svg).toMatch(/<ellipse [^>]*fill="#654321" stroke="none"/);
  });
});
