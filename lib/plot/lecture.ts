/**
 * The lecture's plotting helpers: `magnifyRegion`, `showHitMap`, `showHitCases`
 * (`buildCMap` lives in colors.ts).
 *
 * Hit codes follow the lecture: code = gt + 2·pred (0 TN, 1 FN, 2 FP, 3 TP). They are
 * computed here privately (a few lines) so the plots do not depend on the metrics
 * module's progress; `hitCodes` in lib/metrics is the public version.
 */
import type { ArrayLike2D, NumericArray } from '../core/types.js';
import { buildCMap, type CmapSpec } from './colors.js';
import { Figure, subplots } from './figure.js';

/** A 2-D image or mask: `{ data, shape }`. */
type Image = ArrayLike2D;

/** Hit-map colours: TN dark grey, FN cyan, FP pink-red, TP white (the lecture's). */
export const HIT_COLORS = ['#404040', '#33ccff', '#ff0066', '#ffffff'] as const;

/** Names of the four hit classes in code order. */
export const HIT_NAMES = ['True Negative', 'False Negative', 'False Positive', 'True Positive'] as const;

function check2D(a: Image, what: string): [number, number] {
  if (!a || typeof a !== 'object' || !('data' in a) || !('shape' in a)) throw new Error(`${what}: expected an image with .data and .shape`);
  const s = a.shape.filter((v, i) => i < 2 || v !== 1);
  if (s.length !== 2) throw new Error(`${what}: expected a 2-D image, got shape [${a.shape.join(', ')}]`);
  return [s[0], s[1]];
}

function codesOf(gt: Image, pred: Image, fn: string): { codes: Uint8Array; rows: number; cols: number } {
  const [rows, cols] = check2D(gt, `${fn}: gt`);
  const [pr, pc] = check2D(pred, `${fn}: pred`);
  if (pr !== rows || pc !== cols) throw new Error(`${fn}: gt is ${rows}×${cols} but pred is ${pr}×${pc}`);
  const codes = new Uint8Array(rows * cols);
  for (let i = 0; i < codes.length; i++) codes[i] = (gt.data[i] >= 0.5 ? 1 : 0) + (pred.data[i] >= 0.5 ? 2 : 0);
  return { codes, rows, cols };
}

function crop(img: Image, r0: number, c0: number, r1: number, c1: number): Image {
  const rows = img.shape[0];
  const cols = img.shape[1];
  const ch = img.shape.length > 2 ? img.shape[2] : 1;
  const h = r1 - r0;
  const w = c1 - c0;
  const Ctor = img.data.constructor as new (n: number) => NumericArray;
  const out = new Ctor(h * w * ch);
  for (let r = 0; r < h; r++) {
    const src = ((r0 + r) * cols + c0) * ch;
    out.set(img.data.subarray(src, src + w * ch), r * w * ch);
  }
  void rows;
  return { data: out, shape: ch > 1 ? [h, w, ch] : [h, w] };
}

/** Options of {@link magnifyRegion}. */
export interface MagnifyOptions {
  figsize?: readonly [number, number];
  cmap?: CmapSpec;
  vmin?: number;
  vmax?: number;
  /** Title of the left panel, or [left, right] titles. */
  title?: string | readonly [string, string];
}

/**
 * The whole image with a red rectangle around a region, and the region magnified beside
 * it (tick labels in the original image's coordinates).
 *
 * @param img 2-D image (or RGB stack)
 * @param region [r0, c0, r1, c1]: rows r0…r1−1, columns c0…c1−1
 * @param opts figsize (default [12, 6]), cmap (default 'gray'), vmin, vmax, title
 * @returns the figure
 * @example
 *   magnifyRegion(img, [600, 600, 856, 856], { vmin: 400, vmax: 4000, title: 'Neutron radiography' });
 */
export function magnifyRegion(img: Image, region: readonly [number, number, number, number], opts: MagnifyOptions = {}): Figure {
  const [rows, cols] = check2D({ data: img.data, shape: img.shape.slice(0, 2) }, 'magnifyRegion: img');
  const [r0, c0, r1, c1] = region.map((v) => Math.round(v));
  if (!(r0 >= 0 && c0 >= 0 && r1 <= rows && c1 <= cols && r1 > r0 && c1 > c0)) {
    throw new Error(`magnifyRegion: region [${region.join(', ')}] must satisfy 0 <= r0 < r1 <= ${rows} and 0 <= c0 < c1 <= ${cols}`);
  }
  const [fig, axes] = subplots(1, 2, { figsize: opts.figsize ?? [12, 6] });
  const show = { cmap: opts.cmap ?? 'gray', vmin: opts.vmin, vmax: opts.vmax };
  axes[0].imshow(img, show);
  axes[0].addRectangle([c0 - 0.5, r0 - 0.5], c1 - c0, r1 - r0, { edgecolor: 'red', linewidth: 1.5 });
  axes[1].imshow(crop(img, r0, c0, r1, c1), { ...show, extent: [c0 - 0.5, c1 - 0.5, r1 - 0.5, r0 - 0.5] });
  const t = opts.title;
  axes[0].setTitle(typeof t === 'string' ? t : t?.[0] ?? 'Image');
  axes[1].setTitle(typeof t === 'string' || t === undefined ? 'Magnified ROI' : t[1]);
  return fig;
}

/** Options of {@link showHitMap}. */
export interface HitMapOptions {
  /** Title over both panels. */
  title?: string;
  figsize?: readonly [number, number];
}

/**
 * The lecture's hit map: the normalised confusion matrix (fractions of all pixels) as an
 * annotated heat map, beside the image of hit codes (TN dark grey, FN cyan, FP pink-red,
 * TP white) with a labelled colour bar.
 *
 * @param gt ground-truth mask (0/1)
 * @param pred predicted mask (0/1; values ≥ 0.5 count as positive)
 * @param opts title, figsize (default [12, 4.5])
 * @returns the figure (save it with `savefig` to compare methods later)
 * @example
 *   showHitMap(mask.slice(null, [1000, 2048]), knnPrediction, { title: '1-NN' }).savefig('build/hitmap-knn.png');
 */
export function showHitMap(gt: Image, pred: Image, opts: HitMapOptions = {}): Figure {
  const { codes, rows, cols } = codesOf(gt, pred, 'showHitMap');
  const n = codes.length;
  const count = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) count[codes[i]]++;
  const cm = [
    [count[0] / n, count[2] / n],
    [count[1] / n, count[3] / n],
  ];
  const [fig, axes] = subplots(1, 2, { figsize: opts.figsize ?? [12, 4.5] });
  if (opts.title) fig.suptitle(opts.title);
  axes[0].heatmap(cm, { annot: true, xticklabels: ['Negative', 'Positive'], yticklabels: ['Negative', 'Positive'] });
  axes[0].setXlabel('Prediction');
  axes[0].setYlabel('Ground Truth');
  axes[0].setTitle('Confusion matrix');
  axes[1].imshow({ data: codes, shape: [rows, cols] }, {
    cmap: buildCMap([...HIT_COLORS], 'hitmap'), vmin: 0, vmax: 3, interpolation: 'nearest',
    colorbar: { ticks: [0.375, 1.125, 1.875, 2.625], ticklabels: [...HIT_NAMES] },
  });
  axes[1].setTitle('Hit map');
  return fig;
}

/**
 * The four hit cases as separate masks: true positives, false negatives, false
 * positives, true negatives (each titled with its pixel count).
 *
 * @param gt ground-truth mask (0/1)
 * @param pred predicted mask (0/1)
 * @param opts figsize (default [16, 4.5])
 * @returns the figure
 * @example
 *   showHitCases(mask, prediction.gt(0.05));
 */
export function showHitCases(gt: Image, pred: Image, opts: { figsize?: readonly [number, number] } = {}): Figure {
  const { codes, rows, cols } = codesOf(gt, pred, 'showHitCases');
  const [fig, axes] = subplots(1, 4, { figsize: opts.figsize ?? [16, 4.5] });
  const order: [number, string][] = [
    [3, 'True positives'],
    [1, 'False negatives'],
    [2, 'False positives'],
    [0, 'True negatives'],
  ];
  order.forEach(([code, name], k) => {
    const m = new Uint8Array(codes.length);
    let n = 0;
    for (let i = 0; i < codes.length; i++) if (codes[i] === code) {
      m[i] = 1;
      n++;
    }
    // block maximum keeps single hit pixels visible when the mask is shown small
    axes[k].imshow({ data: m, shape: [rows, cols] }, { cmap: 'gray', vmin: 0, vmax: 1, interpolation: 'max' });
    axes[k].setTitle(`${name} (${n})`);
  });
  return fig;
}
