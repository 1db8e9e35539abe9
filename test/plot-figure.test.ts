/**
 * lib/plot: every drawing call rendered to SVG, checked for structure (panels, ticks,
 * labels, images, colour bars) and values (imshow pixel colours decoded from the
 * embedded PNG, histogram counts and colour maps against numpy / matplotlib).
 */
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figure, getColormap, plotlyFigure, subplots } from '../lib/plot/index.js';
import { buildCMap } from '../lib/plot/colors.js';
import { magnifyRegion, showHitCases, showHitMap } from '../lib/plot/lecture.js';
import { formatNumber } from '../lib/plot/text.js';
import { maxNTicks } from '../lib/plot/ticks.js';
import { pythonHas, pythonJson } from './helpers/python.js';
import { needs } from './helpers/needs.js';


function images(svg: string): { x: number; y: number; w: number; h: number; png: PNG }[] {
  const out: { x: number; y: number; w: number; h: number; png: PNG }[] = [];
  const re = /<image x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*href="data:image\/png;base64,([^"]+)"/g;
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    out.push({ x: +m[1], y: +m[2], w: +m[3], h: +m[4], png: PNG.sync.read(Buffer.from(m[5], 'base64')) });
  }
  return out;
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
}

function pixel(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
}

describe('subplots and layout', () => {
  it('makes a flat row-major axes array and a standalone SVG of the figure size', () => {
    const [fig, axes] = subplots(2, 3, { figsize: [9, 6] });
    expect(axes).toHaveLength(6);
    expect([axes[4].row, axes[4].col]).toEqual([1, 1]);
    axes.forEach((ax, i) => ax.plot([0, 1, 2], [i, i + 1, i * 2]));
    const svg = fig.toSVG();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/width="900" height="600"/);
    expect(svg.match(/<g class="axes">/g)).toHaveLength(6);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('keeps titles and tick labels of neighbouring panels apart (tight layout)', () => {
    const [fig, axes] = subplots(1, 2, { figsize: [8, 4] });
    axes[0].plot([0, 1e5], [0, 123456]);
    axes[1].plot([0, 1], [0, 1]);
    axes[1].setYlabel('a long y label');
    const svg = fig.toSVG();
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none" stroke="#000"/g)].map((m) => m.slice(1).map(Number));
    expect(rects).toHaveLength(2);
    const [a, b] = rects;
    // panel 2's y tick labels and y label (≈ 70 px) fit between the panels
    expect(b[0] - (a[0] + a[2])).toBeGreaterThan(60);
    expect(a[0]).toBeGreaterThan(40); // room for '120000'-style labels on the left
  });

  it('uses matplotlib tick steps (0, 250, … on a 2048-pixel image axis)', () => {
    expect(maxNTicks(-0.5, 2047.5, 9)).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(maxNTicks(0, 1, 9)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1].map((v) => Math.round(v * 10) / 10));
    const [fig, [ax]] = subplots(1, 1, { figsize: [5, 5] });
    ax.imshow({ data: new Float32Array(2048 * 2048), shape: [2048, 2048] });
    const t = texts(fig.toSVG());
    for (const l of ['0', '500', '1000', '2000']) expect(t).toContain(l);
  });
});

describe('imshow', () => {
  it('embeds known data with the colour map (decoded pixel colours), y down, vmin/vmax clipping', () => {
    // 2 × 3 image: row 0 = 0, 1, 2 ; row 1 = 3, 4, 5 (gray, vmin 0, vmax 5)
    const [fig, [ax]] = subplots(1, 1, { figsize: [6, 4] });
    ax.imshow({ data: Float32Array.from([0, 1, 2, 3, 4, 5]), shape: [2, 3] }, { cmap: 'gray', vmin: 0, vmax: 5 });
    const [im] = images(fig.toSVG());
    expect(im).toBeDefined();
    const { png } = im;
    // enlarged by a whole factor with nearest neighbour
    expect(png.width % 3).toBe(0);
    expect(png.height % 2).toBe(0);
    const bw = png.width / 3;
    const bh = png.height / 2;
    const gray = getColormap('gray');
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 3; c++) {
        const v = r * 3 + c;
        const k = gray.index(v / 5);
        const [R, G, B] = pixel(png, Math.floor((c + 0.5) * bw), Math.floor((r + 0.5) * bh));
        expect([R, G, B]).toEqual([gray.lut[4 * k], gray.lut[4 * k + 1], gray.lut[4 * k + 2]]);
      }
    }
    // top-left black, bottom-right white
    expect(pixel(png, 0, 0).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixel(png, png.width - 1, png.height - 1).slice(0, 3)).toEqual([255, 255, 255]);
    // square pixels: the image box keeps the 3:2 ratio
    expect(im.w / im.h).toBeCloseTo(1.5, 1);
  });

  it('resamples a 2048² image to the displayed size instead of embedding it whole', () => {
    const n = 2048;
    const data = new Float32Array(n * n);
    for (let i = 0; i < n * n; i++) data[i] = (i % n) < n / 2 ? 0 : 1; // left half 0, right half 1
    const [fig, axes] = subplots(1, 3, { figsize: [15, 5] });
    axes[0].imshow({ data, shape: [n, n] }, { cmap: 'gray' });
    const svg = fig.toSVG();
    const [im] = images(svg);
    expect(im.png.width).toBeLessThanOrEqual(Math.ceil(im.w) + 1);
    expect(im.png.width).toBeGreaterThan(200);
    expect(svg.length).toBeLessThan(200_000);
    expect(pixel(im.png, 5, 5).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixel(im.png, im.png.width - 5, 5).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('origin lower puts row 0 at the bottom; RGB uint8 stacks are embedded as colours', () => {
    const [fig, axes] = subplots(1, 2);
    axes[0].imshow({ data: Float32Array.from([0, 1]), shape: [2, 1] }, { cmap: 'gray', origin: 'lower' });
    axes[1].imshow({ data: Uint8Array.from([255, 0, 0, 0, 0, 255]), shape: [1, 2, 3] });
    const [a, b] = images(fig.toSVG());
    expect(pixel(a.png, 0, 0).slice(0, 3)).toEqual([255, 255, 255]); // row 1 (value 1) on top
    expect(pixel(a.png, 0, a.png.height - 1).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixel(b.png, 0, 0).slice(0, 3)).toEqual([255, 0, 0]);
    expect(pixel(b.png, b.png.width - 1, 0).slice(0, 3)).toEqual([0, 0, 255]);
  });

  it('draws a colour bar with tick labels, and a listed map as blocks', () => {
    const [fig, [ax]] = subplots(1, 1);
    const cmap = buildCMap(['C0', 'C1', 'C2', 'C3']);
    const im = ax.imshow({ data: Int32Array.from([0, 1, 2, 3]), shape: [2, 2] }, { cmap });
    fig.colorbar(im, { ax, label: 'cluster' });
    const svg = fig.toSVG();
    expect(svg).toContain('<g class="colorbar">');
    const t = texts(svg);
    for (const l of ['0.0', '1.0', '2.0', '3.0', 'cluster']) expect(t).toContain(l);
    for (const c of ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728']) expect(svg).toContain(`fill="${c}"`);
  });

  it('rejects bad shapes with a message naming the problem', () => {
    const [, [ax]] = subplots();
    expect(() => ax.imshow({ data: new Float32Array(10), shape: [2, 3] })).toThrow(/does not match shape/);
    expect(() => ax.imshow({ data: new Float32Array(8), shape: [2, 2, 2] })).toThrow(/\[rows, cols\]/);
  });
});

describe('lines, scatter, text, patches, legend', () => {
  it('plot cycles tab10 and returns the colours; a 2-D y draws its columns', () => {
    const [fig, [ax]] = subplots();
    const c1 = ax.plot([0, 1, 2], [1, 2, 3], { label: 'a' });
    const c2 = ax.plot({ data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] });
    expect(c1).toEqual(['#1f77b4']);
    expect(c2).toEqual(['#ff7f0e', '#2ca02c']);
    expect(ax.plot([1, 2], 'r--')).toEqual(['#ff0000']);
    ax.legend();
    const svg = fig.toSVG();
    expect(svg).toContain('<g class="legend">');
    expect(svg).toMatch(/stroke="#ff0000"[^>]*stroke-dasharray/);
  });

  it('scatter colours points by label through the colour map', () => {
    const [fig, [ax]] = subplots();
    const m = ax.scatter([0, 1, 2], [0, 1, 2], { c: [0, 1, 2], cmap: 'viridis' });
    expect(m).not.toBeNull();
    const svg = fig.toSVG();
    const v = getColormap('viridis');
    expect(svg).toContain(`fill="${v.hex(0)}"`);
    expect(svg).toContain(`fill="${v.hex(0.999)}"`);
  });

  it('draws axvline, ellipse, rectangle, text, titles and axis labels; axis("off") hides ticks', () => {
    const [fig, axes] = subplots(1, 2);
    axes[0].plot([0, 10], [0, 1]);
    axes[0].axvline(4, { color: 'red', label: 'threshold' });
    axes[0].addEllipse([5, 0.5], 2, 0.2, { edgecolor: 'blue' });
    axes[0].addRectangle([1, 0.1], 2, 0.2, { edgecolor: 'red' });
    axes[0].text(3, 0.5, 'here');
    axes[0].setTitle('T1');
    axes[0].setXlabel('$|f - med_{3x3}(f)|$');
    axes[0].setYlabel('counts');
    axes[1].imshow({ data: new Float32Array(4), shape: [2, 2] });
    axes[1].axis('off');
    axes[1].setTitle('T2');
    const svg = fig.toSVG();
    expect(svg).toContain('<ellipse');
    expect(svg).toMatch(/<rect [^>]*stroke="#ff0000"/);
    const t = texts(svg);
    for (const l of ['here', 'T1', 'T2', 'counts']) expect(t).toContain(l);
    expect(t.some((s) => s.includes('med') && s.includes('3x3'))).toBe(true);
    expect(svg.match(/class="ticks"/g)).toHaveLength(1);
  });
});

describe('hist and hist2d', () => {
  it('hist bar heights equal numpy.histogram', (ctx) => {
    needs(ctx, 'numpy in the reference Python', pythonHas('numpy'));
    const values = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const [fig, [ax]] = subplots();
    const res = ax.hist(values, { bins: 17 });
    const ref = pythonJson<{ counts: number[]; edges: number[] }>(
      `import numpy as np, json, sys
v = np.array(json.loads(sys.stdin.read() if False else sys.argv[1]), dtype=np.float32)
c, e = np.histogram(v, bins=17)
print(json.dumps({"counts": c.tolist(), "edges": e.tolist()}))`,
      [JSON.stringify(Array.from(values))],
    );
    expect(res.counts).toEqual(ref.counts);
    res.edges.forEach((e, i) => expect(e).toBeCloseTo(ref.edges[i], 4));
    // drawn bar heights are proportional to the counts
    const d = /class="bars" d="([^"]+)"/.exec(fig.toSVG())![1];
    const hs = [...d.matchAll(/v([\d.]+)/g)].map((m) => Number(m[1]));
    const k = hs[0] / ref.counts[0];
    hs.forEach((h, i) => expect(h).toBeCloseTo(ref.counts[i] * k, 0));
  });

  it('hist2d counts equal numpy.histogram2d', (ctx) => {
    needs(ctx, 'numpy in the reference Python', pythonHas('numpy'));
    const x = Array.from({ length: 300 }, (_, i) => (i * 37) % 101);
    const y = Array.from({ length: 300 }, (_, i) => (i * 53) % 89);
    const [, [ax]] = subplots();
    const r = ax.hist2d(x, y, { bins: 7 });
    const ref = pythonJson<number[][]>(
      `import numpy as np, json, sys
x = np.array(json.loads(sys.argv[1])); y = np.array(json.loads(sys.argv[2]))
h, _, _ = np.histogram2d(x, y, bins=7)
print(json.dumps(h.tolist()))`,
      [JSON.stringify(x), JSON.stringify(y)],
    );
    expect(Array.from(r.counts)).toEqual(ref.flat());
  });
});

describe('colour maps against matplotlib', () => {
  it('gray, hot, bone, viridis tables match matplotlib within 1/255', (ctx) => {
    needs(ctx, 'matplotlib in the reference Python', pythonHas('numpy', 'matplotlib'));
    const ref = pythonJson<Record<string, number[][]>>(
      `import json, numpy as np
import matplotlib
out = {}
for n in ['gray', 'hot', 'bone', 'viridis']:
    out[n] = np.round(matplotlib.colormaps[n](np.arange(256))[:, :3] * 255).astype(int).tolist()
print(json.dumps(out))`,
    );
    for (const name of ['gray', 'hot', 'bone', 'viridis']) {
      const cm = getColormap(name);
      for (let i = 0; i < 256; i += 5) {
        for (let ch = 0; ch < 3; ch++) expect(Math.abs(cm.lut[4 * i + ch] - ref[name][i][ch])).toBeLessThanOrEqual(1);
      }
    }
  });

  it('reverses with _r and rejects unknown names', () => {
    expect(getColormap('gray_r').hex(0)).toBe('#ffffff');
    expect(() => getColormap('nope')).toThrow(/unknown colour map 'nope'/);
  });
});

describe('heat map and the lecture helpers', () => {
  it('heatmap annotates every cell with seaborn formatting', () => {
    const [fig, [ax]] = subplots();
    ax.heatmap([[0.98, 0.0068], [0.0055, 0.0038]], { xticklabels: ['Negative', 'Positive'], yticklabels: ['Negative', 'Positive'] });
    const t = texts(fig.toSVG());
    for (const l of ['0.98', '0.0068', '0.0055', '0.0038', 'Negative', 'Positive']) expect(t).toContain(l);
    expect(formatNumber(1234.5, '.2g')).toBe('1.2e+03');
    expect(formatNumber(-0.5, '.1f')).toBe('−0.5');
  });

  it('showHitMap: normalised confusion matrix and the four hit colours with a labelled colour bar', () => {
    const gt = Uint8Array.from([0, 0, 1, 1, 0, 0, 0, 0]);
    const pred = Uint8Array.from([0, 1, 0, 1, 0, 0, 0, 0]);
    const svg = showHitMap({ data: gt, shape: [2, 4] }, { data: pred, shape: [2, 4] }).toSVG();
    const t = texts(svg);
    // TN 5/8, FP 1/8, FN 1/8, TP 1/8
    for (const l of ['0.62', '0.12', 'True Negative', 'False Negative', 'False Positive', 'True Positive', 'Hit map', 'Confusion matrix']) expect(t).toContain(l);
    const hit = images(svg).find((im) => im.png.width % 4 === 0 && im.w / im.h > 1.5)!;
    const bw = hit.png.width / 4;
    const bh = hit.png.height / 2;
    const at = (r: number, c: number): number[] => pixel(hit.png, Math.floor((c + 0.5) * bw), Math.floor((r + 0.5) * bh)).slice(0, 3);
    expect(at(0, 0)).toEqual([0x40, 0x40, 0x40]); // TN
    expect(at(0, 1)).toEqual([0xff, 0x00, 0x66]); // FP
    expect(at(0, 2)).toEqual([0x33, 0xcc, 0xff]); // FN
    expect(at(0, 3)).toEqual([0xff, 0xff, 0xff]); // TP
    expect(() => showHitMap({ data: gt, shape: [2, 4] }, { data: pred, shape: [4, 2] })).toThrow(/2×4 but pred is 4×2/);
  });

  it('showHitCases has four panels; magnifyRegion draws the red box and the crop in original coordinates', () => {
    const gt = { data: Uint8Array.from([1, 0, 1, 0]), shape: [2, 2] };
    const pr = { data: Uint8Array.from([1, 1, 0, 0]), shape: [2, 2] };
    const t = texts(showHitCases(gt, pr).toSVG());
    for (const l of ['True positives (1)', 'False negatives (1)', 'False positives (1)', 'True negatives (1)']) expect(t).toContain(l);
    const img = { data: Float32Array.from({ length: 100 * 100 }, (_, i) => i % 100), shape: [100, 100] };
    const svg = magnifyRegion(img, [20, 40, 60, 80], { title: 'Radiograph' }).toSVG();
    expect(svg).toMatch(/<rect [^>]*stroke="#ff0000"/);
    const tt = texts(svg);
    expect(tt).toContain('Radiograph');
    expect(tt).toContain('Magnified ROI');
    expect(tt).toContain('50'); // a tick inside 40…80
    expect(() => magnifyRegion(img, [0, 0, 200, 10])).toThrow(/region/);
  });
});

describe('figure output', () => {
  it('figure legend, savefig .svg/.png atomically, toPNG decodes, text repr outside a notebook', () => {
    const [fig, axes] = subplots(1, 3, { figsize: [9, 3] });
    axes[0].plot([0, 1], [0, 1], { color: 'coral', label: 'Training' });
    axes[0].plot([0, 1], [1, 0], { color: 'cornflowerblue', label: 'Validation' });
    axes[1].plot([0, 1], [0, 1], { color: 'coral', label: 'Training' });
    axes[2].axis('off');
    fig.legend({ ax: axes[2] });
    const svg = fig.toSVG();
    expect(svg.match(/<g class="legend">/g)).toHaveLength(1);
    expect(texts(svg).filter((s) => s === 'Training')).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), 'plot-'));
    try {
      fig.savefig(join(dir, 'a.svg'));
      fig.savefig(join(dir, 'b.png'));
      expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toBe(svg.replace(/f[0-9a-z]+-/g, (m) => m)); // same kind of document
      const png = PNG.sync.read(readFileSync(join(dir, 'b.png')));
      expect([png.width, png.height]).toEqual([900, 300]);
      expect(pixel(png, 2, 2).slice(0, 3)).toEqual([255, 255, 255]);
      expect(() => fig.savefig(join(dir, 'c.jpg'))).toThrow(/unsupported extension/);
      expect(existsSync(join(dir, 'c.jpg'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(String(fig.describe())).toBe('<Figure size 900x300 with 3 Axes>');
    expect(figure().gca()).toBeDefined();
  });

  it('plotlyFigure renders nodeplotlib traces (lines, bar, histogram, heatmap)', () => {
    const fig = plotlyFigure(
      [
        { x: [1, 2, 3], y: [2, 4, 3], type: 'scatter', mode: 'lines', name: 'line' },
        { x: [1, 2, 3], y: [1, 2, 1], type: 'bar', name: 'bars' },
        { x: [1, 1, 2, 3, 3, 3], type: 'histogram', nbinsx: 3 },
      ],
      { title: 'demo', xaxis: { title: 'x' } },
    );
    const svg = fig.toSVG();
    const t = texts(svg);
    for (const l of ['demo', 'x', 'line', 'bars']) expect(t).toContain(l);
    const hm = plotlyFigure([{ type: 'heatmap', z: [[0, 1], [2, 3]] }]).toSVG();
    expect(images(hm)).toHaveLength(1);
    expect(hm).toContain('<g class="colorbar">');
    expect(() => plotlyFigure([{ type: 'pie' as 'bar' }])).toThrow(/not supported/);
  });
});

describe('notebook display bundle', () => {
  it('always carries a PNG; the SVG joins it only within the size budget', async () => {
    const { figureBundle } = await import('../lib/plot/figure.js');
    const { NDArray } = await import('../lib/core/ndarray.js');
    const [small, sax] = subplots(1, 1, { figsize: [3, 2] });
    sax[0]!.plot([0, 1, 2], [1, 0, 1]);
    const b1 = figureBundle(small);
    expect(Object.keys(b1).sort()).toEqual(['image/png', 'image/svg+xml', 'text/plain']);
    expect(Buffer.from(b1['image/png']!, 'base64').subarray(1, 4).toString()).toBe('PNG');
    // Noise images do not compress: four 512² panels of noise blow the SVG budget.
    let seed = 1;
    const noise = NDArray.zeros([512, 512]).map(() => ((seed = (seed * 16807) % 2147483647) / 2147483647));
    const [big, bax] = subplots(2, 2, { figsize: [16, 16] });
    for (const ax of bax) ax.imshow(noise, { cmap: 'gray' });
    const b2 = figureBundle(big);
    expect(b2['image/png']).toBeDefined();
    expect(b2['image/svg+xml']).toBeUndefined();
  });
});
