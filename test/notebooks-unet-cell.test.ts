/**
 * The U-Net that notebook 04 builds layer by layer in its "model design" cells (tagged
 * `unet-design`) is the library's `buildSpotUNet`: the same layers in the same order, the same
 * parameter count and picture, and, with the same weights, the same prediction. The cells are
 * read from the notebook, compiled with TypeScript and run here, so an edit to the notebook that
 * changes the network fails this test.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { transferWeights } from '../lib/nn/transfer.js';
import { buildSpotUNet } from '../lib/nn/unet.js';
import { unetDiagram } from '../lib/plot/diagram.js';
import { NOTEBOOK_DIR } from '../scripts/jupyter.js';

interface Cell { cell_type: string; source: string | string[]; metadata?: { tags?: string[] } }

function notebookUNet(): (b: number) => tf.LayersModel {
  const nb = JSON.parse(readFileSync(join(NOTEBOOK_DIR, '04-unet-spots.ipynb'), 'utf8')) as { cells: Cell[] };
  const cells = nb.cells.filter((c) => c.metadata?.tags?.includes('unet-design'));
  if (cells.length === 0) throw new Error('04-unet-spots.ipynb has no cell tagged unet-design');
  const src = cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
  const js = ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  return new Function('tf', `${js}\nreturn spotUNet;`)(tf) as (b: number) => tf.LayersModel;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('notebook 04: the U-Net built layer by layer', () => {
  it('is buildSpotUNet: layers, parameters, picture and prediction', () => {
    const spotUNet = notebookUNet();
    const mine = spotUNet(6);
    const lib = buildSpotUNet(6);
    expect(mine.layers.map((l) => l.getClassName())).toEqual(lib.layers.map((l) => l.getClassName()));
    expect(mine.countParams()).toBe(lib.countParams());
    const conv = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => {
      const c = l.getConfig();
      const oneByOne = (c.kernelSize as number[]).every((k) => k === 1);   // 'same' = 'valid' for 1×1
      return [c.filters, c.kernelSize, oneByOne ? 'any' : c.padding, c.activation];
    });
    expect(conv(mine)).toEqual(conv(lib));
    const strip = (d: ReturnType<typeof unetDiagram>) => ({ ...d, boxes: d.boxes.map((b) => ({ ...b, name: '' })) });
    expect(strip(unetDiagram(mine))).toEqual(strip(unetDiagram(lib)));
    transferWeights(lib, mine);
    const x = tf.randomNormal([1, 16, 24, 1], 0, 1, 'float32', 3);
    const a = mine.predict(x) as tf.Tensor;
    const b = lib.predict(x) as tf.Tensor;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    [x, a, b].forEach((t) => t.dispose());
    [mine, lib].forEach((m) => m.dispose());
  });
});
