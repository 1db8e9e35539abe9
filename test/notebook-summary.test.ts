/**
 * The slide-sized model summary lists what tfjs' own `model.summary()` prints: every layer,
 * its output shape and its parameter count, and the totals.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { modelSummary, showModelSummary } from '../lib/notebook/summary.js';
import { buildSpotUNet, buildUNet } from '../lib/nn/unet.js';

function tfjsSummary(model: tf.LayersModel): string[] {
  const lines: string[] = [];
  model.summary(200, undefined, (line: string) => lines.push(line));
  return lines;
}

describe('modelSummary', () => {
  it('has tfjs’ layers, output shapes and parameter counts', () => {
    const model = buildSpotUNet(4);
    const rows = modelSummary(model);
    const text = tfjsSummary(model);
    expect(rows).toHaveLength(model.layers.length);
    for (const r of rows) {
      const line = text.find((l) => l.startsWith(`${r.name} (${r.type})`));
      expect(line, r.name).toBeDefined();
      expect(line).toContain(r.outputShape.replace(/None/g, 'null').replace(/\s/g, ''));
      expect(line!.split(/\s+/)).toContain(String(r.params));
    }
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(model.countParams());
    const concat = rows.filter((r) => r.type === 'Concatenate');
    expect(concat).toHaveLength(2);
    for (const c of concat) expect(c.inputs).toHaveLength(2);
    model.dispose();
  });

  it('prints the totals and one line per layer outside a notebook', () => {
    const model = buildUNet({ depth: 1, baseFilters: 2, batchNorm: true });
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    showModelSummary(model, { fold: false });
    log.mockRestore();
    const lines = out.join('\n').split('\n');
    expect(lines[0]).toMatch(new RegExp(`^UNet: ${model.countParams()} parameters, \\d+ trainable$`));
    expect(lines).toHaveLength(model.layers.length + 2);
    model.dispose();
    expect(() => modelSummary({} as tf.LayersModel)).toThrow(/modelSummary: model must be a tfjs LayersModel/);
  });

  it('folds batch normalisation and activation into their convolution on request', () => {
    const model = buildUNet({ depth: 1, baseFilters: 2, batchNorm: true });
    const rows = modelSummary(model, { fold: true });
    expect(rows.map((r) => r.type)).toEqual([
      'InputLayer', ...Array(2).fill('Conv2D + BN + ReLU'), 'MaxPooling2D', ...Array(2).fill('Conv2D + BN + ReLU'),
      'UpSampling2D', 'Concatenate', ...Array(2).fill('Conv2D + BN + ReLU'), 'Conv2D',
    ]);
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(model.countParams());
    model.dispose();
  });
});
