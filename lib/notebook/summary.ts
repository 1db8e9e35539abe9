/**
 * A model summary that fits a slide: layer, output shape and parameter count as a compact HTML
 * table (a convolution's batch normalisation and activation folded into its row, and several
 * columns of rows side by side for a long model), instead of tfjs'
 * `model.summary()`, whose 100-character text lines wrap into a jumble on a slide and whose
 * U-Net listing is several screens tall. Outside a notebook it prints aligned text.
 */
import type * as tf from '@tensorflow/tfjs';
import { formatTable, tslabDisplay } from './display.js';

/** One row of {@link modelSummary}. */
export interface SummaryRow {
  /** layer name, as tfjs names it (e.g. `conv2d_3`) */
  name: string;
  /** layer class (`Conv2D`, `MaxPooling2D`, …) */
  type: string;
  /** output shape, `None` for a free dimension, e.g. `[None, None, None, 24]` */
  outputShape: string;
  /** parameters of the layer (trainable and not) */
  params: number;
  /** names of the layers feeding this one (two for a concatenation) */
  inputs: string[];
}

function shapeText(shape: unknown): string {
  const one = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`;
  if (Array.isArray(shape) && Array.isArray(shape[0])) return (shape as (number | null)[][]).map(one).join(' ');
  return one(shape as (number | null)[]);
}

/**
 * The layers of a tfjs model in order, with output shape, parameters and inputs.
 *
 * @param model - a tfjs LayersModel
 * @param options - `fold`: fold batch normalisation, activation and dropout layers into the
 *   layer before them (one row "Conv2D + BN + ReLU" instead of three); default false
 * @returns one row per layer (per folded group)
 * @example
 *   modelSummary(buildSpotUNet(24)).map((r) => r.type);   // ['InputLayer', 'Conv2D', …]
 */
export function modelSummary(model: tf.LayersModel, options: { fold?: boolean } = {}): SummaryRow[] {
  if (!model || !Array.isArray((model as { layers?: unknown }).layers)) throw new Error('modelSummary: model must be a tfjs LayersModel');
  const rows = model.layers.map((layer) => {
    const inbound = (layer as unknown as { inboundNodes?: { inboundLayers: { name: string }[] }[] }).inboundNodes ?? [];
    return {
      name: layer.name,
      type: layer.getClassName(),
      outputShape: shapeText(layer.outputShape),
      params: layer.countParams(),
      inputs: inbound.flatMap((n) => n.inboundLayers.map((l) => l.name)),
    };
  });
  if (!options.fold) return rows;
  // fold batch normalisation, activations and dropout into the layer they follow
  const out: SummaryRow[] = [];
  for (const r of rows) {
    const prev = out[out.length - 1];
    if (prev && FOLDED[r.type] && r.inputs.length === 1 && r.inputs[0] === prev.name) {
      out[out.length - 1] = { ...prev, name: r.name, type: `${prev.type} + ${FOLDED[r.type]}`, outputShape: r.outputShape, params: prev.params + r.params };
    } else {
      out.push(r);
    }
  }
  return out;
}

/** Layers that {@link modelSummary} folds into the layer before them, with their short names. */
const FOLDED: Record<string, string> = { BatchNormalization: 'BN', Activation: 'ReLU', ReLU: 'ReLU', Dropout: 'Dropout' };

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Shows {@link modelSummary} as a compact table (HTML in a notebook, text elsewhere), with the
 * total and trainable parameter counts.
 *
 * @param model - a tfjs LayersModel
 * @param options - `rowsPerColumn`: rows before the table continues in a new column (default
 *   16); `fold`: one row per convolution with its batch normalisation and activation (default true)
 * @example
 *   showModelSummary(model);
 */
export function showModelSummary(model: tf.LayersModel, options: { rowsPerColumn?: number; fold?: boolean } = {}): void {
  const rows = modelSummary(model, { fold: options.fold ?? true });
  const per = options.rowsPerColumn ?? 16;
  if (!(Number.isInteger(per) && per >= 1)) throw new Error(`showModelSummary: rowsPerColumn must be a positive integer, got ${String(per)}`);
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  const caption = `${model.name}: ${total.toLocaleString('en-US')} parameters, ${trainable.toLocaleString('en-US')} trainable`;
  const d = tslabDisplay();
  if (!d) {
    console.log(`${caption}\n${formatTable(['layer', 'output shape', 'parameters'], rows.map((r) => [`${r.name} (${r.type})`, r.outputShape, r.params]))}`);
    return;
  }
  const cell = 'padding:1px 8px;border:none';
  const table = (part: SummaryRow[]): string =>
    `<table style="font-size:0.7em;line-height:1.2;border-collapse:collapse;margin:0 16px 0 0">` +
    `<thead><tr><th style="${cell};text-align:left">layer</th><th style="${cell};text-align:left">output shape</th>` +
    `<th style="${cell};text-align:right">params</th></tr></thead><tbody>` +
    part.map((r) => `<tr><td style="${cell};text-align:left">${escapeHtml(r.type)}</td>` +
      `<td style="${cell};text-align:left;font-family:monospace">${escapeHtml(r.outputShape)}</td>` +
      `<td style="${cell};text-align:right">${r.params.toLocaleString('en-US')}</td></tr>`).join('') +
    '</tbody></table>';
  const parts: SummaryRow[][] = [];
  for (let i = 0; i < rows.length; i += per) parts.push(rows.slice(i, i + per));
  d.html(`<div><div style="font-size:0.75em;margin-bottom:4px">${escapeHtml(caption)}</div>` +
    `<div style="display:flex;align-items:flex-start">${parts.map(table).join('')}</div></div>`);
}
