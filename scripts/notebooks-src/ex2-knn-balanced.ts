/** Exercise 2 (and its solution): k-NN spot detection trained on a balanced selection of pixels. */
import { code, md, type Cell } from './nb.js';

export const files = { exercise: 'exercises/ex2-knn-balanced.ipynb', solution: 'exercises/ex2-knn-balanced-solution.ipynb' };
export const title = 'Exercise 2 · k-NN on balanced training data';

const intro = (solution: boolean): Cell[] => [
  md('slide', `
    # Exercise 2 · k-NN on balanced training data${solution ? ' — solution' : ''}
    In part 4 the 1-NN classifier stored all two million training pixels, of which only about
    1 % are spots. Train it instead on a **balanced selection**: all spot pixels of the training
    columns plus a random sample of non-spot pixels.

    - Is it faster?
    - Does the segmentation get worse — or better?
  `),
  code('subslide', `
    import { NDArray, readFits, readPng, medianFilter, absDiff, KNN, recall, precision, subplots, showHitMap, showTable, byProfile } from 'neutron-seg';
    import * as fs from 'node:fs';

    const forig = readFits('../../data/spots/mixture12_00001.fits').astype('float32');
    const mask = readPng('../../data/spots/mixture12_00001.png').channel(1).eq(0);
    const d = absDiff(forig, medianFilter(forig, 3));
    const [R, C] = forig.shape;
    // rows used for testing: all of them for the lecture, every 4th under the quick profile
    const testRows: [number, number, number] = [0, R, byProfile(1, 4)];
  `),
  md('subslide', `
    ### Training and test pixels, as in part 4
    Features $(f, d)$, training on columns 0–999, testing on columns 1000–2047.
  `),
  code('subslide', `
    /** n × 2 feature matrix of (f, d) and the labels, for a region [rows, cols]. */
    function region(rows: [number, number] | [number, number, number], cols: [number, number]) {
      const f = forig.slice(rows, cols), dd = d.slice(rows, cols), m = mask.slice(rows, cols);
      const X = new Float32Array(2 * f.size);
      for (let i = 0; i < f.size; i++) { X[2 * i] = f.data[i]; X[2 * i + 1] = dd.data[i]; }
      return { X: { data: X, shape: [f.size, 2] }, y: Int32Array.from(m.data), shape: f.shape };
    }
    const train = region([0, R], [0, 1000]);
    const test = region(testRows, [1000, C]);
    const spots = train.y.reduce((a, v) => a + v, 0);
    ({ trainPixels: train.y.length, spotPixels: spots, spotShare: +(spots / train.y.length).toFixed(4), testPixels: test.y.length })
  `),
  md('subslide', `
    ### Selecting a subset
    \`subset(data, indices)\` keeps the listed training pixels.
  `),
  code('subslide', `
    function subset(data: typeof train, idx: number[]) {
      const X = new Float32Array(2 * idx.length);
      idx.forEach((j, i) => { X[2 * i] = data.X.data[2 * j]; X[2 * i + 1] = data.X.data[2 * j + 1]; });
      return { X: { data: X, shape: [idx.length, 2] }, y: Int32Array.from(idx, (j) => data.y[j]) };
    }
    /** Fits 1-NN on a training set, predicts the test pixels; returns times and scores. */
    function evaluate(name: string, tr: { X: { data: Float32Array; shape: number[] }; y: Int32Array }) {
      const t0 = performance.now();
      const knn = new KNN(tr.X, tr.y, { k: 1 });
      const t1 = performance.now();
      const pred = knn.predict(test.X) as Int32Array;
      const t2 = performance.now();
      return { name, train: tr.y.length, fitSeconds: (t1 - t0) / 1000, predictSeconds: (t2 - t1) / 1000,
               recall: recall(test.y, pred), precision: precision(test.y, pred), pred };
    }
  `),
];

export const exerciseCells: Cell[] = [
  ...intro(false),
  md('slide', `
    ## Your turn
    Fill in \`balancedIndices\`: return the indices of **all** spot pixels and of \`ratio\` times
    as many randomly chosen non-spot pixels. As given, it returns only the first 10 000 pixels —
    a poor choice; see what it does first.
  `),
  code('subslide', `
    /** TODO: all spot pixels plus ratio × as many random non-spot pixels. */
    function balancedIndices(y: Int32Array, ratio: number): number[] {
      return Array.from({ length: 10_000 }, (_, i) => i);
    }

    const ratio = 1;   // TODO: try 1, 10, 100
    const result = evaluate(\`balanced 1:\${ratio}\`, subset(train, balancedIndices(train.y, ratio)));
    showTable(['training set', 'pixels', 'fit [s]', 'predict [s]', 'recall', 'precision'],
      [[result.name, result.train, result.fitSeconds, result.predictSeconds, result.recall, result.precision]]);
  `),
  code('subslide', `
    showHitMap(new NDArray(test.y, test.shape), new NDArray(result.pred, test.shape), { title: result.name })
  `),
  md('slide', `
    ## Questions
    - Compare with part 4's full training set (recall and precision in \`build/results/03-supervised.json\`
      after running notebook 03).
    - Why does a balanced training set find more spots, and why does it raise more false alarms?
    - Which ratio would you choose, and what would you need to know to decide?
  `),
];

export const solutionCells: Cell[] = [
  ...intro(true),
  md('slide', `
    ## A balanced selection
    All spot pixels, then non-spot pixels drawn at random without replacement (a partial
    Fisher–Yates shuffle with a fixed seed, so the result is repeatable).
  `),
  code('subslide', `
    function balancedIndices(y: Int32Array, ratio: number, seed = 2018): number[] {
      const pos: number[] = [], neg: number[] = [];
      y.forEach((v, i) => (v ? pos : neg).push(i));
      let s = seed >>> 0;
      const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const take = Math.min(neg.length, Math.round(ratio * pos.length));
      for (let i = 0; i < take; i++) {
        const j = i + Math.floor(rand() * (neg.length - i));
        [neg[i], neg[j]] = [neg[j], neg[i]];
      }
      return [...pos, ...neg.slice(0, take)];
    }
  `),
  code('subslide', `
    const ratios = [1, 10, 100];
    const results = ratios.map((r) => evaluate(\`balanced 1:\${r}\`, subset(train, balancedIndices(train.y, r))));
    const rowsOut: (string | number)[][] = results.map((r) => [r.name, r.train, r.fitSeconds, r.predictSeconds, r.recall, r.precision]);
    // part 4 trained on all pixels; its scores are in build/results after running notebook 03
    const part4File = '../../build/results/03-supervised.json';
    if (fs.existsSync(part4File)) {
      const { knn } = JSON.parse(fs.readFileSync(part4File, 'utf8'));
      rowsOut.push(['all training pixels (part 4)', train.y.length, '', '', knn.recall, knn.precision]);
    }
    showTable(['training set', 'pixels', 'fit [s]', 'predict [s]', 'recall', 'precision'], rowsOut);
  `),
  code('subslide', `
    const [fig, ax] = subplots(1, 2, { figsize: [10, 4] });
    const all = results;
    ax[0].plot(all.map((r) => r.train), all.map((r) => r.recall), { marker: 'o', label: 'recall' });
    ax[0].plot(all.map((r) => r.train), all.map((r) => r.precision), { marker: 's', label: 'precision' });
    ax[0].setXlabel('training pixels'); ax[0].setTitle('Scores'); ax[0].legend();
    ax[1].plot(all.map((r) => r.train), all.map((r) => r.predictSeconds), { marker: 'o' });
    ax[1].setXlabel('training pixels'); ax[1].setYlabel('seconds'); ax[1].setTitle('Prediction time');
    fig
  `),
  code('subslide', `
    showHitMap(new NDArray(test.y, test.shape), new NDArray(results[0].pred, test.shape), { title: results[0].name })
  `),
  md('slide', `
    ## What we learn
    - Training sets of a few ten thousand pixels instead of two million: fitting and prediction
      get much faster.
    - With a 1:1 balance, the classifier sees as many spots as background, so it calls a pixel a
      spot much more readily: **recall rises, precision falls** — most test pixels are
      background, and a small false-alarm rate on them means many false positives.
    - Raising the ratio moves back toward the full training set. The right ratio depends on
      what a miss costs compared with a false alarm: for cleaning before tomography, a missed
      spot makes a line artefact, a false alarm only replaces a pixel by its median.
  `),
];
