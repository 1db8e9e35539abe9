/**
 * A U-Net drawn from the model itself, in the classic picture: each convolution a box at the
 * level of its resolution (deeper levels lower), the contracting path going down to the
 * right, the expanding path coming back up, max-pooling and up-sampling as vertical arrows
 * and the skip connections as long horizontal arrows into the concatenations.
 *
 * Design: `unetDiagram` reads the layer graph (layer classes, output channels, inbound
 * layers) and works out the picture as plain data, so it can be tested without drawing;
 * `drawUNet` draws that data on an Axes. Batch normalisation, activation and dropout layers
 * are folded into the convolution before them, as a reader thinks of "a conv block".
 */
import type * as tf from '@tensorflow/tfjs';
import type { Axes } from './axes.js';
import { subplots, type Figure } from './figure.js';

/** One box: a convolution (or the input) at a level of the U. */
export interface DiagramBox {
  /** layer name */
  name: string;
  /** 'input', 'conv3' (a 3×3 or larger convolution) or 'conv1' (the 1×1 output convolution) */
  kind: 'input' | 'conv3' | 'conv1';
  /** 0 = full resolution, 1 = after one max-pool, … */
  level: number;
  /** horizontal position (one unit per box) */
  x: number;
  /** output channels */
  channels: number;
}

/** One arrow between two boxes. */
export interface DiagramArrow {
  from: number;
  to: number;
  /** 'conv' (same level), 'out' (into the 1×1 output convolution), 'pool' (down), 'up' (up), 'skip' (copy and concatenate) */
  kind: 'conv' | 'out' | 'pool' | 'up' | 'skip';
}

/** The picture of a U-Net, as data. */
export interface UNetDiagram {
  boxes: DiagramBox[];
  arrows: DiagramArrow[];
  /** deepest level */
  depth: number;
  /** whether convolutions are followed by batch normalisation */
  batchNorm: boolean;
}

interface LayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  outputShape: unknown;
  inboundNodes?: { inboundLayers: LayerLike[] }[];
}

const FOLDED = new Set(['BatchNormalization', 'Activation', 'Dropout', 'ReLU', 'SpatialDropout2D']);

/**
 * Works out the U-Net picture of a model built from Conv2D, MaxPooling2D, UpSampling2D and
 * Concatenate layers (and batch normalisation, activations, dropout, which are folded into
 * their convolution).
 *
 * @param model - a tfjs LayersModel, e.g. `buildSpotUNet(24)` or one built layer by layer
 * @returns boxes, arrows and the depth
 * @example
 *   const d = unetDiagram(buildSpotUNet(24));
 *   d.depth;                                  // 2
 *   d.boxes.filter((b) => b.level === 2).length;   // the two bottom convolutions
 */
export function unetDiagram(model: tf.LayersModel): UNetDiagram {
  const fn = 'unetDiagram';
  if (!model || !Array.isArray((model as { layers?: unknown }).layers)) throw new Error(`${fn}: model must be a tfjs LayersModel`);
  const layers = model.layers as unknown as LayerLike[];
  const level = new Map<string, number>();
  const box = new Map<string, number>(); // layer name → index of the box that represents its output
  const boxes: DiagramBox[] = [];
  const arrows: DiagramArrow[] = [];
  const pending = new Map<string, 'pool' | 'up'>(); // a layer whose output arrived through a pool / up-sampling
  const channelsOf = (l: LayerLike): number => {
    const s = l.outputShape as (number | null)[];
    return Number(s[s.length - 1] ?? 0);
  };
  for (const l of layers) {
    const type = l.getClassName();
    const inputs = (l.inboundNodes ?? []).flatMap((n) => n.inboundLayers);
    const first = inputs[0];
    const lv = first ? (level.get(first.name) ?? 0) : 0;
    if (type === 'InputLayer') {
      level.set(l.name, 0);
      box.set(l.name, boxes.push({ name: l.name, kind: 'input', level: 0, x: boxes.length, channels: channelsOf(l) }) - 1);
    } else if (type === 'MaxPooling2D' || type === 'AveragePooling2D') {
      level.set(l.name, lv + 1);
      box.set(l.name, box.get(first!.name)!);
      pending.set(l.name, 'pool');
    } else if (type === 'UpSampling2D' || type === 'Conv2DTranspose') {
      level.set(l.name, lv - 1);
      box.set(l.name, box.get(first!.name)!);
      pending.set(l.name, 'up');
    } else if (type === 'Concatenate') {
      // the input that did not come up from below is the skip connection
      const up = inputs.find((i) => pending.get(i.name) === 'up') ?? inputs[inputs.length - 1];
      const skips = inputs.filter((i) => i !== up);
      level.set(l.name, level.get(up.name) ?? lv);
      box.set(l.name, box.get(up.name)!);
      pending.set(l.name, 'up');
      (l as LayerLike & { skipFrom?: number[] }).skipFrom = skips.map((s) => box.get(s.name)!);
    } else if (FOLDED.has(type)) {
      level.set(l.name, lv);
      box.set(l.name, box.get(first!.name)!);
      if (pending.has(first!.name)) pending.set(l.name, pending.get(first!.name)!);
    } else if (type === 'Conv2D') {
      const kernel = (l.getConfig().kernelSize as number[] | number | undefined) ?? 3;
      const k = Array.isArray(kernel) ? kernel[0] : kernel;
      const idx = boxes.push({ name: l.name, kind: k === 1 ? 'conv1' : 'conv3', level: lv, x: boxes.length, channels: channelsOf(l) }) - 1;
      const from = box.get(first!.name)!;
      const via = pending.get(first!.name);
      arrows.push({ from, to: idx, kind: via ?? (k === 1 ? 'out' : 'conv') });
      const skipFrom = (first as LayerLike & { skipFrom?: number[] }).skipFrom;
      for (const s of skipFrom ?? []) arrows.push({ from: s, to: idx, kind: 'skip' });
      level.set(l.name, lv);
      box.set(l.name, idx);
    } else {
      throw new Error(`${fn}: cannot draw a ${type} layer (${l.name}); the diagram knows Conv2D, pooling, up-sampling, Concatenate and ${[...FOLDED].join(', ')}`);
    }
  }
  const batchNorm = layers.some((l) => l.getClassName() === 'BatchNormalization');
  return { boxes, arrows, depth: Math.max(0, ...boxes.map((b) => b.level)), batchNorm };
}

const ARROW_STYLE: Record<DiagramArrow['kind'], { color: string; label: string }> = {
  conv: { color: '#1f77b4', label: 'convolution 3×3 + ReLU' },
  out: { color: '#9467bd', label: 'convolution 1×1: the output' },
  pool: { color: '#d62728', label: 'max-pool 2×2' },
  up: { color: '#2ca02c', label: 'up-sample 2×2' },
  skip: { color: '#7f7f7f', label: 'copy and concatenate' },
};

/**
 * Draws {@link unetDiagram} of a model on an Axes (or a new figure).
 *
 * @param model - a tfjs LayersModel shaped as a U-Net
 * @param ax - where to draw; default a new 14 × 5 inch figure
 * @returns the figure drawn on (the Axes' figure when `ax` is given, else the new one)
 * @example
 *   drawUNet(model)          // in a notebook cell: shows the picture
 */
export function drawUNet(model: tf.LayersModel, ax?: Axes): Figure | undefined {
  const d = unetDiagram(model);
  let fig: Figure | undefined;
  if (!ax) {
    const [f, axes] = subplots(1, 1, { figsize: [14, 5] });
    fig = f;
    ax = axes[0]!;
  }
  const dy = 1.6;
  const y = (b: DiagramBox): number => -b.level * dy;
  const maxC = Math.max(...d.boxes.map((b) => b.channels));
  const height = (b: DiagramBox): number => 0.5 + 0.7 * (Math.log2(b.channels + 1) / Math.log2(maxC + 1));
  const used = new Set<DiagramArrow['kind']>();
  for (const a of d.arrows) {
    const p = d.boxes[a.from]!, q = d.boxes[a.to]!;
    const s = ARROW_STYLE[a.kind];
    used.add(a.kind);
    const x0 = p.x + 0.2, y0 = y(p), x1 = q.x - 0.2, y1 = y(q);
    if (a.kind === 'pool' || a.kind === 'up') {
      ax.arrow(x0, y0, x1 - x0, y1 - y0, { color: s.color, linewidth: 1.5 });
    } else {
      ax.arrow(x0, y0, x1 - x0, y1 - y0, { color: s.color, linewidth: a.kind === 'skip' ? 1.2 : 1.5, linestyle: a.kind === 'skip' ? '--' : '-' });
    }
  }
  for (const b of d.boxes) {
    const h = height(b);
    const face = b.kind === 'input' ? '#dddddd' : b.kind === 'conv1' ? '#fdd49e' : '#c6dbef';
    ax.addRectangle([b.x - 0.2, y(b) - h / 2], 0.4, h, { facecolor: face, edgecolor: '#333333', linewidth: 0.8 });
    ax.text(b.x, y(b) + h / 2 + 0.08, b.kind === 'input' ? 'input' : String(b.channels), { ha: 'center', va: 'bottom', fontsize: 9 });
  }
  const xMax = Math.max(...d.boxes.map((b) => b.x));
  for (let l = 0; l <= d.depth; l++) {
    ax.text(-0.9, -l * dy, l === 0 ? 'full size' : `1/${2 ** l} size`, { ha: 'right', va: 'center', fontsize: 9, color: '#555555' });
  }
  [...used].forEach((k, i) => {
    const yy = -d.depth * dy - 0.9 - 0.45 * Math.floor(i / 2);
    const xx = (i % 2) * (xMax / 2);
    ax!.arrow(xx, yy, 0.8, 0, { color: ARROW_STYLE[k].color, linewidth: 1.5, linestyle: k === 'skip' ? '--' : '-' });
    const label = k === 'conv' && d.batchNorm ? 'convolution 3×3 + batch norm + ReLU' : ARROW_STYLE[k].label;
    ax!.text(xx + 1.0, yy, label, { va: 'center', fontsize: 9 });
  });
  ax.setXlim(-2.2, xMax + 0.8);
  ax.setYlim(-d.depth * dy - 0.9 - 0.45 * Math.ceil(used.size / 2), 1.2);
  ax.axis('off');
  return fig ?? undefined;
}
