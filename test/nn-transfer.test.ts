import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../lib/nn/unet.js';
import { trainModel } from '../lib/nn/train.js';
import { bceLoss } from '../lib/nn/losses.js';
import { encoderLayers, freezeEncoder, transferWeights, unfreezeAll, withWeightSeed } from '../lib/nn/transfer.js';
import { mulberry32 as rng } from '../lib/core/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});


function data(n: number, side: number, seed: number): [tf.Tensor4D, tf.Tensor4D] {
  const r = rng(seed);
  const x = Float32Array.from({ length: n * side * side }, () => r());
  const y = Float32Array.from(x, (v, i) => (v > 0.6 || i % side === 3 ? 1 : 0));
  return [tf.tensor4d(x, [n, side, side, 1]), tf.tensor4d(y, [n, side, side, 1])];
}

/** Copies of every weight of the given layers, keyed by weight name. */
function snapshot(layers: tf.layers.Layer[]): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  for (const l of layers) for (const w of l.weights) m.set(w.name, (w.read().dataSync() as Float32Array).slice());
  return m;
}

function changed(before: Map<string, Float32Array>, layers: tf.layers.Layer[]): string[] {
  const out: string[] = [];
  for (const l of layers)
    for (const w of l.weights) {
      const a = before.get(w.name) as Float32Array;
      const b = w.read().dataSync();
      if (a.some((v, i) => v !== b[i])) out.push(w.name);
    }
  return out;
}

const convNames = (layers: tf.layers.Layer[]): string[] => layers.map((l) => l.getClassName());

describe('encoder layers of a U-Net', () => {
  it('depth 2: both encoder levels and the bottleneck; without bottleneck only the levels', () => {
    const m = buildUNet({ depth: 2, baseFilters: 2 });
    expect(convNames(encoderLayers(m))).toEqual([
      'Conv2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D',
    ]);
    expect(convNames(encoderLayers(m, { includeBottleneck: false }))).toEqual([
      'Conv2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D', 'MaxPooling2D',
    ]);
    // the encoder's convolutions have 1 → 2 → 4 → 8 filters
    const filters = encoderLayers(m)
      .filter((l) => l.getClassName() === 'Conv2D')
      .map((l) => (l.getConfig() as { filters: number }).filters);
    expect(filters).toEqual([2, 2, 4, 4, 8, 8]);
  });

  it('depth 3 with batch norm and dropout: convolutions and batch norms of 4 levels', () => {
    const m = buildUNet({ depth: 3, baseFilters: 2, batchNorm: true, dropout: 0.2 });
    const enc = encoderLayers(m);
    const conv = enc.filter((l) => l.getClassName() === 'Conv2D');
    expect(conv.length).toBe(8);
    expect(enc.filter((l) => l.getClassName() === 'BatchNormalization').length).toBe(8);
    // nothing after the first up-sampling is in the encoder
    const firstUp = m.layers.findIndex((l) => l.getClassName() === 'UpSampling2D');
    expect(enc.every((l) => m.layers.indexOf(l) < firstUp)).toBe(true);
  });

  it('rejects models without a decoder', () => {
    const seq = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    expect(() => freezeEncoder(seq)).toThrow(/encoderLayers: model .* has no UpSampling2D/);
    expect(() => unfreezeAll(null as unknown as tf.LayersModel)).toThrow(/unfreezeAll: model must be/);
  });
});

describe('freezing in training', () => {
  it('a frozen encoder does not change in a training step while the decoder does; unfreezing lets it learn', async () => {
    // seeded: with 2 filters an unlucky draw can leave a ReLU dead everywhere, so a kernel gets no gradient
    const m = withWeightSeed(2018, () => buildUNet({ depth: 2, baseFilters: 2, name: 'tiny' }));
    const enc = encoderLayers(m);
    const dec = m.layers.filter((l) => !enc.includes(l) && l.weights.length > 0);
    const total = m.countParams();
    const rep = freezeEncoder(m);
    expect(rep.frozenLayers).toEqual(enc.filter((l) => l.weights.length > 0).map((l) => l.name));
    // encoder conv params: (9·1+1)·2 + (9·2+1)·2 + (9·2+1)·4 + (9·4+1)·4 + (9·4+1)·8 + (9·8+1)·8
    const encParams = 20 + 38 + 76 + 148 + 296 + 584;
    expect(rep.nonTrainableParams).toBe(encParams);
    expect(rep.trainableParams).toBe(total - encParams);

    const [x, y] = data(4, 8, 1);
    const encBefore = snapshot(enc);
    const decBefore = snapshot(dec);
    await trainModel(m, x, y, { epochs: 2, batchSize: 2, learningRate: 0.01, loss: bceLoss, verbose: false });
    expect(changed(encBefore, enc)).toEqual([]);
    // every decoder kernel moved (biases may stay 0 where a ReLU is dead)
    const decKernels = dec.map((l) => l.weights[0].name);
    const moved = changed(decBefore, dec);
    expect(decKernels.every((k) => moved.includes(k))).toBe(true);

    const all = unfreezeAll(m);
    expect(all.frozenLayers).toEqual([]);
    expect(all.trainableParams).toBe(total);
    const encBefore2 = snapshot(enc);
    await trainModel(m, x, y, { epochs: 1, batchSize: 4, learningRate: 0.01, loss: bceLoss, verbose: false });
    const encKernels = enc.filter((l) => l.weights.length > 0).map((l) => l.weights[0].name);
    const moved2 = changed(encBefore2, enc);
    expect(encKernels.every((k) => moved2.includes(k))).toBe(true);
    x.dispose();
    y.dispose();
    m.dispose();
  });

  it('with tfjs model.fit after re-compiling, the frozen encoder stays fixed too', async () => {
    const m = buildUNet({ depth: 1, baseFilters: 2 });
    freezeEncoder(m, { includeBottleneck: false });
    m.compile({ optimizer: tf.train.adam(0.01), loss: bceLoss });
    const enc = encoderLayers(m, { includeBottleneck: false });
    const bottleneck = encoderLayers(m).filter((l) => !enc.includes(l) && l.weights.length > 0);
    expect(bottleneck.length).toBe(2);
    const [x, y] = data(2, 8, 2);
    const before = snapshot(enc);
    const bBefore = snapshot(bottleneck);
    await m.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
    expect(changed(before, enc)).toEqual([]);
    expect(changed(bBefore, bottleneck).length).toBeGreaterThan(0);
    x.dispose();
    y.dispose();
    m.dispose();
  });
});

describe('transferWeights', () => {
  it('copies a model into a fresh one of the same architecture; later training of one leaves the other', async () => {
    const a = buildUNet({ depth: 1, baseFilters: 2 });
    const b = buildUNet({ depth: 1, baseFilters: 2 });
    const [x, y] = data(2, 8, 3);
    const pa = (a.predict(x) as tf.Tensor).dataSync().slice();
    expect(Array.from((b.predict(x) as tf.Tensor).dataSync())).not.toEqual(Array.from(pa));
    transferWeights(a, b);
    expect(Array.from((b.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(pa));
    await trainModel(a, x, y, { epochs: 1, learningRate: 0.01, verbose: false });
    expect(Array.from((b.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(pa));
    expect(() => transferWeights(a, buildUNet({ depth: 1, baseFilters: 3 }))).toThrow(/transferWeights: weight 0 .* shape/);
    expect(() => transferWeights(a, buildUNet({ depth: 2, baseFilters: 2 }))).toThrow(/transferWeights: source has \d+ weight arrays/);
  });
});

describe('withWeightSeed', () => {
  const weightsOf = (m: tf.LayersModel): number[] => m.getWeights().flatMap((t) => Array.from(t.dataSync()));

  it('the same seed gives the same initial weights, another seed others, whatever Math.random does', () => {
    const original = Math.random;
    let expected = original;
    const build = () => {
      // nothing global is swapped while the model is built
      expect(Math.random).toBe(expected);
      return buildUNet({ depth: 1, baseFilters: 2 });
    };
    const a = weightsOf(withWeightSeed(5, build));
    const b = weightsOf(withWeightSeed(5, build));
    const c = weightsOf(withWeightSeed(6, build));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // the unseeded draws tfjs makes while building come from Math.random: they must not matter
    let k = 0;
    Math.random = () => ((k = (k * 48271 + 11) % 2147483647) / 2147483647);
    expected = Math.random;
    try {
      expect(weightsOf(withWeightSeed(5, build))).toEqual(a);
    } finally {
      Math.random = original;
    }
  });

  it('redraws each random weight with its own initialiser; zeros, ones and moving statistics stay', () => {
    const m = withWeightSeed(3, () => buildUNet({ depth: 2, baseFilters: 8, batchNorm: true }));
    for (const layer of m.layers) {
      for (const w of layer.weights) {
        const v = Float64Array.from(w.read().dataSync());
        const base = w.originalName.split('/').pop();
        if (base === 'kernel') {
          // Glorot normal (tfjs' default): a normal truncated at 2σ with σ = sqrt(2 / (fan_in + fan_out)),
          // whose standard deviation is 0.88σ
          const s = w.shape as number[];
          const receptive = s.slice(0, -2).reduce((x, y) => x * y, 1);
          const sigma = Math.sqrt(2 / (receptive * (s[s.length - 2] + s[s.length - 1])));
          const sd = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0) / v.length);
          if (v.length >= 500) expect(Math.abs(sd / sigma - 0.88)).toBeLessThan(0.1);
          expect(Math.max(...Array.from(v, Math.abs))).toBeLessThanOrEqual(2 * sigma + 1e-6);
        } else if (base === 'bias' || base === 'beta' || base === 'moving_mean') {
          expect(Array.from(v).every((x) => x === 0)).toBe(true);
        } else if (base === 'gamma' || base === 'moving_variance') {
          expect(Array.from(v).every((x) => x === 1)).toBe(true);
        }
      }
    }
    m.dispose();
  });

  it('refuses a builder that is asynchronous or returns no model', () => {
    expect(() =>
      withWeightSeed(1, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(() => withWeightSeed(1, (() => Promise.resolve(1)) as never)).toThrow(/synchronous/);
    expect(() => withWeightSeed(1, (() => ({})) as never)).toThrow(/LayersModel/);
    expect(() => withWeightSeed(Number.NaN, () => buildUNet({ depth: 1, baseFilters: 2 }))).toThrow(/seed/);
  });
});
