/** Exercise 3 (and its solution): improving the spot-detection U-Net (epochs, data, augmentation). */
import { code, md, type Cell } from './nb.js';

export const files = { exercise: 'exercises/ex3-unet-improve.ipynb', solution: 'exercises/ex3-unet-improve-solution.ipynb' };
export const title = 'Exercise 3 · Improve the spot detector';

const intro = (solution: boolean): Cell[] => [
  md('slide', `
    # Exercise 3 · Improve the spot detector${solution ? ' — solution' : ''}
    The U-Net of part 5 saw one 128 × 800 crop, three times per step, for 20 steps. Improve it:
    - train **longer**;
    - give it **more data**: other crops of the radiograph (away from the validation and test crops);
    - **augment**: flipped copies are new samples for a network.

    Compare recall and precision at the lecture's threshold of 0.05 on the same test crop.
    To keep each experiment to a minute or two on a laptop CPU, the crops here are a quarter
    of the lecture's (64 × 400 for training, 128 × 512 for validation; the quick profile halves
    them again).
  `),
  code('subslide', `
    import {
      NDArray, readFits, readPng, selectBackend, buildSpotUNet, withWeightSeed, imageStats, prepImg, prepMask,
      predictImage, trainModel, recall, precision, subplots, showHitMap, showTable, byProfile,
    } from 'neutron-seg';
    import * as fs from 'node:fs';

    const backend = await selectBackend();
    const forig = readFits('../../data/spots/mixture12_00001.fits').astype('float32');
    const mask = readPng('../../data/spots/mixture12_00001.png').channel(1).eq(0);
    // quarter-size crops of the lecture's (quick profile: half of that again for training)
    const trainRC = byProfile([[128, 192], [500, 900]], [[128, 160], [500, 900]]) as [number, number][];
    const validRC = byProfile([[500, 628], [300, 812]], [[500, 564], [300, 556]]) as [number, number][];
    const testRC: [number, number][] = [[1100, 1612], [600, 1112]];
    const testImg = forig.slice(...testRC), testMask = mask.slice(...testRC);
    const stats = imageStats(forig.slice(...trainRC));
    backend
  `),
  md('subslide', `
    ### Helpers
    \`stackSamples\` puts several equally sized images into one \`[n, rows, cols, 1]\` batch;
    \`flip\` mirrors an image left–right or up–down.
  `),
  code('subslide', `
    function stackSamples(images: NDArray[], normalise: boolean): { data: Float32Array; shape: number[] } {
      const [r, c] = images[0].shape;
      const out = new Float32Array(images.length * r * c);
      images.forEach((img, k) => img.data.forEach((v, i) => (out[k * r * c + i] = normalise ? (v - stats.mean) / stats.std : v)));
      return { data: out, shape: [images.length, r, c, 1] };
    }
    function flip(img: NDArray, axis: 0 | 1): NDArray {
      const [r, c] = img.shape;
      return img.map((_, i) => {
        const row = Math.floor(i / c), col = i % c;
        return axis === 0 ? img.data[(r - 1 - row) * c + col] : img.data[row * c + (c - 1 - col)];
      });
    }
    /** Trains a fresh U-Net on the given crops; returns the scores on the test crop. */
    async function trainAndScore(name: string, crops: [number, number][][], opts: { epochs: number; augment: boolean; batchSize?: number }) {
      let imgs: NDArray[] = crops.map((rc) => forig.slice(...rc));
      let masks: NDArray[] = crops.map((rc) => mask.slice(...rc));
      if (opts.augment) {
        imgs = [...imgs, ...imgs.map((m) => flip(m, 0)), ...imgs.map((m) => flip(m, 1))];
        masks = [...masks, ...masks.map((m) => flip(m, 0)), ...masks.map((m) => flip(m, 1))];
      }
      const model = withWeightSeed(2018, () => buildSpotUNet(24));   // same start for every experiment
      const t0 = performance.now();
      const { history } = await trainModel(model, stackSamples(imgs, true), stackSamples(masks, false), {
        epochs: opts.epochs, batchSize: opts.batchSize ?? 32, learningRate: 1e-3, loss: 'bce', verbose: false,
        validationData: [stackSamples([forig.slice(...validRC)], true), stackSamples([mask.slice(...validRC)], false)],
      });
      const seconds = (performance.now() - t0) / 1000;
      const pred = await predictImage(model, testImg, { normalize: stats });
      const seg = pred.gt(0.05);
      model.dispose();
      return { name, samples: imgs.length, epochs: opts.epochs, seconds, recall: recall(testMask, seg), precision: precision(testMask, seg), seg, history };
    }
  `),
];

export const exerciseCells: Cell[] = [
  ...intro(false),
  md('slide', `
    ## Your turn
    The cell below reproduces the lecture: one crop, three copies, 20 epochs. Change
    \`epochs\`, add crops to \`crops\` (rows and columns that do not overlap the validation
    rows 500–1000 × columns 300–1500 or the test crop 1100–1612 × 600–1112, with sides that are
    multiples of 4), and switch on \`augment\`.
  `),
  code('subslide', `
    const epochs = 20;                            // TODO: more epochs
    const crops: [number, number][][] = [trainRC, trainRC, trainRC];   // TODO: other crops instead of copies
    const augment = false;                        // TODO: flipped copies

    const result = await trainAndScore('my U-Net', crops, { epochs, augment });
    showTable(['model', 'samples', 'epochs', 'seconds', 'recall', 'precision'],
      [[result.name, result.samples, result.epochs, result.seconds, result.recall, result.precision]]);
  `),
  code('subslide', `
    showHitMap(testMask, result.seg, { title: result.name })
  `),
  md('slide', `
    ## Questions
    - Which change helps most per second of training?
    - Does recall keep growing with more epochs? What happens to precision?
    - The annotation is imperfect: at what point are you fitting the annotator's habits?
  `),
];

export const solutionCells: Cell[] = [
  ...intro(true),
  md('slide', `
    ## Three experiments
    1. The lecture's set-up (one crop, three copies, 20 epochs).
    2. The same, trained **twice as long**.
    3. **More data + augmentation**: three different training crops above the validation rows
       and below the test rows, each also flipped both ways (9 samples), in batches of 3 — so
       every epoch makes three gradient steps instead of one.
  `),
  code('subslide', `
    const [tr0, tr1] = trainRC;
    const h = tr0[1] - tr0[0], w = tr1[1] - tr1[0];
    const moreCrops: [number, number][][] = [
      trainRC,
      [[0, h], [1100, 1100 + w]],              // top rows, right side
      [[1700, 1700 + h], [300, 300 + w]],      // below the test crop
    ];
    const plan = [
      { name: 'lecture set-up', crops: [trainRC, trainRC, trainRC], epochs: 20, augment: false, batchSize: 32 },
      // the quick profile (CI) skips the longer run
      ...byProfile([{ name: 'lecture set-up, 40 epochs', crops: [trainRC, trainRC, trainRC], epochs: 40, augment: false, batchSize: 32 }], []),
      { name: 'more data + flips', crops: moreCrops, epochs: 20, augment: true, batchSize: 3 },
    ];
    const results = [];
    for (const p of plan) results.push(await trainAndScore(p.name, p.crops, p));
    showTable(['model', 'samples', 'epochs', 'seconds', 'recall', 'precision'],
      results.map((r) => [r.name, r.samples, r.epochs, r.seconds, r.recall, r.precision]));
  `),
  code('subslide', `
    const [fig, ax] = subplots(1, 3, { figsize: [15, 4] });
    results.forEach((r) => {
      ax[0].plot(r.history.val_loss, { label: r.name });
      ax[1].plot(r.history.val_recall, { label: r.name });
      ax[2].plot(r.history.val_auc, { label: r.name });
    });
    ax[0].setTitle('validation loss'); ax[1].setTitle('validation recall (at 0.5)'); ax[2].setTitle('validation AUC');
    ax[2].legend();
    fig
  `),
  code('subslide', `
    const best = results[results.length - 1];
    showHitMap(testMask, best.seg, { title: best.name })
  `),
  md('slide', `
    ## What we learn
    - More gradient steps matter most: the lecture's set-up makes only 20 updates in all.
      Smaller batches of more varied samples give several updates per epoch.
    - Flips are free data: spots have no preferred direction, so mirrored crops are as real as
      the originals.
    - Recall at the low threshold of 0.05 rises first; precision follows once the network's
      outputs become confident. With longer training, choose the threshold again on the
      validation crop.
  `),
];
