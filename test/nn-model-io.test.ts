/**
 * saveModel / loadModel: a round trip gives identical weights and predictions; the files are
 * tfjs' standard layout; broken directories give errors that name the file.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../lib/nn/model-io.js';
import { buildSpotUNet, buildUNet } from '../lib/nn/unet.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'nn-model-io-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('saveModel / loadModel', () => {
  it('round-trips the spot U-Net: same weights bit for bit, same predictions, tfjs file layout', async () => {
    const model = buildSpotUNet(4);
    const target = join(dir, 'spot', 'nested');
    const info = await saveModel(model, target);
    expect(info.files.map((f) => f.slice(target.length + 1)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(info.weightBytes).toBe(model.countParams() * 4);
    expect(readdirSync(target).sort()).toEqual(['model.json', 'weights.bin']); // no temporary files left
    const json = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8')) as {
      format: string;
      modelTopology: { class_name: string; config: { name: string } };
      weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
    };
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Model');
    expect(json.modelTopology.config.name).toBe('SpotUNET');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect(json.weightsManifest[0].weights).toHaveLength(22);

    const before = tf.memory().numTensors;
    const loaded = await loadModel(target);
    expect(loaded.name).toBe('SpotUNET');
    expect(loaded.countParams()).toBe(model.countParams());
    const a = weightsOf(model);
    const b = weightsOf(loaded);
    expect(b).toHaveLength(a.length);
    for (let i = 0; i < a.length; i++) expect(Buffer.from(b[i].buffer).equals(Buffer.from(a[i].buffer))).toBe(true);
    const x = tf.randomNormal([1, 12, 20, 1], 0, 1, 'float32', 9);
    const ya = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    const yb = tf.tidy(() => (loaded.predict(x) as tf.Tensor).dataSync());
    expect(Array.from(yb)).toEqual(Array.from(ya));
    x.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('keeps batch-norm moving statistics and overwrites an earlier save', async () => {
    const model = buildUNet({ depth: 1, baseFilters: 2, batchNorm: true, dropout: 0.1 });
    // Give the moving mean/variance non-default values.
    model.setWeights(model.getWeights().map((w, i) => tf.add(w, 0.01 * (i + 1))));
    const target = join(dir, 'bn');
    await saveModel(buildSpotUNet(2), target); // replaced below
    await saveModel(model, target);
    const loaded = await loadModel(join(target, 'model.json')); // the json path works too
    const a = weightsOf(model);
    const b = weightsOf(loaded);
    expect(b).toHaveLength(a.length);
    for (let i = 0; i < a.length; i++) expect(Array.from(b[i])).toEqual(Array.from(a[i]));
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 3);
    const ya = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
    const yb = tf.tidy(() => Array.from((loaded.predict(x) as tf.Tensor).dataSync()));
    expect(yb).toEqual(ya);
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('names the file and the problem for missing or corrupt directories', async () => {
    await expect(loadModel(join(dir, 'nope'))).rejects.toThrow(/nope does not exist/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(loadModel(empty)).rejects.toThrow(/model\.json not found/);

    const model = buildSpotUNet(2);
    const bad = join(dir, 'bad');
    await saveModel(model, bad);
    model.dispose();
    const json = readFileSync(join(bad, 'model.json'), 'utf8');
    truncateSync(join(bad, 'weights.bin'), 100);
    await expect(loadModel(bad)).rejects.toThrow(/weights\.bin|hold 100 bytes/);
    rmSync(join(bad, 'weights.bin'));
    await expect(loadModel(bad)).rejects.toThrow(/weight file .*weights\.bin .* is missing/);
    writeFileSync(join(bad, 'model.json'), json.slice(0, 50));
    await expect(loadModel(bad)).rejects.toThrow(/model\.json is not valid JSON/);
    writeFileSync(join(bad, 'model.json'), JSON.stringify({ format: 'layers-model' }));
    await expect(loadModel(bad)).rejects.toThrow(/no modelTopology/);
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await expect(saveModel(buildSpotUNet(2), file)).rejects.toThrow(/not a directory/);
    expect(existsSync(join(dir, 'plain-file', 'model.json'))).toBe(false);
  });
});
