/**
 * Polygons, arrows and the U-Net diagram: `fill` and `arrow` draw what they say and widen the
 * view to include themselves; `unetDiagram` reads the levels, channels and connections of a
 * U-Net from its layers, whether the model comes from the library's builder or is written
 * layer by layer.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { subplots } from '../lib/plot/figure.js';
import { drawUNet, unetDiagram } from '../lib/plot/diagram.js';
import { buildSpotUNet, buildUNet } from '../lib/nn/unet.js';

describe('Axes.fill and Axes.arrow', () => {
  it('draw a closed filled path and a line with a head, inside the view', () => {
    const [fig, ax] = subplots(1, 1, { figsize: [4, 3] });
    ax[0]!.fill([0, 4, 3, 1], [0, 0, 2, 2], { facecolor: '#123456', edgecolor: 'black' });
    ax[0]!.arrow(1, 1, 5, 3, { color: '#ff0000' });
    const svg = fig.toSVG();
    expect(svg).toMatch(/<path d="M[^"]*Z" fill="#123456" stroke="#000000"/);
    const heads = svg.match(/<path d="M[^"]*Z" fill="#ff0000"/g) ?? [];
    expect(heads).toHaveLength(1);
    expect(svg).toMatch(/fill="none" stroke="#ff0000"/);
    // the view covers the polygon and the arrow's tip (6, 4)
    const ticks = [...svg.matchAll(/>(\d+(?:\.\d+)?)<\/text>/g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(4);
  });

  it('refuse what they cannot draw', () => {
    const [, ax] = subplots(1, 1);
    expect(() => ax[0]!.fill([0, 1], [0, 1])).toThrow(/fill: xs and ys must have the same length, at least 3 points/);
    expect(() => ax[0]!.fill([0, 1, NaN], [0, 1, 2])).toThrow(/fill: every coordinate must be a finite number/);
    expect(() => ax[0]!.arrow(0, 0, Infinity, 1)).toThrow(/arrow: x, y, dx and dy must be finite/);
    expect(() => ax[0]!.arrow(0, 0, 1, 1, { linewidth: 0 })).toThrow(/arrow: linewidth must be > 0/);
  });
});

/** The lecture's spot U-Net written out layer by layer, as the notebook does. */
function handBuilt(b: number): tf.LayersModel {
  const conv = (x: tf.SymbolicTensor, f: number) =>
    tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const input = tf.input({ shape: [null, null, 1] });
  const l1 = conv(conv(input, b), b);
  const l2 = conv(conv(tf.layers.maxPooling2d({ poolSize: 2 }).apply(l1) as tf.SymbolicTensor, 2 * b), 2 * b);
  const l3 = conv(conv(tf.layers.maxPooling2d({ poolSize: 2 }).apply(l2) as tf.SymbolicTensor, 4 * b), 4 * b);
  const u2 = tf.layers.concatenate().apply([l2, tf.layers.upSampling2d({ size: [2, 2] }).apply(l3) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const r2 = conv(conv(u2, 2 * b), 2 * b);
  const u1 = tf.layers.concatenate().apply([l1, tf.layers.upSampling2d({ size: [2, 2] }).apply(r2) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const r1 = conv(conv(u1, b), b);
  const out = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'relu' }).apply(r1) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('unetDiagram', () => {
  it('reads levels, channels and connections of the spot U-Net', () => {
    const model = buildSpotUNet(24);
    const d = unetDiagram(model);
    expect(d.boxes.map((b) => b.level)).toEqual([0, 0, 0, 1, 1, 2, 2, 1, 1, 0, 0, 0]);
    expect(d.boxes.map((b) => b.channels)).toEqual([1, 24, 24, 48, 48, 96, 96, 48, 48, 24, 24, 1]);
    expect(d.boxes.map((b) => b.kind)).toEqual(['input', ...Array(10).fill('conv3'), 'conv1']);
    const kinds = (k: string) => d.arrows.filter((a) => a.kind === k).map((a) => [a.from, a.to]);
    expect(kinds('pool')).toEqual([[2, 3], [4, 5]]);
    expect(kinds('up')).toEqual([[6, 7], [8, 9]]);
    expect(kinds('skip')).toEqual([[4, 7], [2, 9]]);
    expect(kinds('out')).toEqual([[10, 11]]);
    expect(d.depth).toBe(2);
    expect(d.batchNorm).toBe(false);
    const fig = drawUNet(model)!;
    expect(fig.toSVG()).toContain('copy and concatenate');
    model.dispose();
  });

  it('gives the same picture for the layer-by-layer model, and folds batch norm into its convolution', () => {
    const a = unetDiagram(buildSpotUNet(8));
    const hand = handBuilt(8);
    const b = unetDiagram(hand);
    expect(b).toEqual({ ...a, boxes: a.boxes.map((x, i) => ({ ...x, name: b.boxes[i]!.name })) });
    hand.dispose();
    const bn = buildUNet({ depth: 3, baseFilters: 2, batchNorm: true, dropout: 0.2 });
    const d = unetDiagram(bn);
    expect(d.boxes).toHaveLength(1 + 2 * 7 + 1);
    expect(d.depth).toBe(3);
    expect(d.batchNorm).toBe(true);
    bn.dispose();
  });

  it('names a layer it cannot draw', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: flat });
    expect(() => unetDiagram(m)).toThrow(/unetDiagram: cannot draw a Flatten layer/);
    m.dispose();
  });
});
