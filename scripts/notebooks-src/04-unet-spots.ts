/** Lecture part 5: a U-Net for spot detection, trained on crops of the spot radiograph, compared with baseline and k-NN. */
import { code, md, type Cell } from './nb.js';

export const file = '04-unet-spots.ipynb';
export const title = '5 · Convolutional networks for spot detection';

export const cells: Cell[] = [
  md('slide', `
    # Machine learning to segment neutron images
    ## Part 5 · Convolutional networks for segmentation

    The same spots as in part 4, now found by a **U-Net** that looks at each pixel's
    neighbourhood at several scales.
  `),
  code('subslide', `
    import {
      NDArray, readFits, readPng, readNpy, medianFilter, absDiff,
      selectBackend, backendInfo, buildSpotUNet, withWeightSeed, imageStats, prepImg, prepMask, predictImage, trainModel,
      recall, precision, subplots, showHitMap, showHitCases, showTable,
      byProfile, profile, writeFileAtomic,
    } from 'neutron-seg';
    import * as fs from 'node:fs';
  `),
  md('subslide', `
    ### Which hardware trains the network?
    \`selectBackend()\` tries the fastest tensor backend first — CUDA (tfjs-node-gpu), WebGPU,
    native CPU, WebAssembly, plain JavaScript — and keeps the first that works.
    Set \`NSEG_BACKEND\` to force one.
  `),
  code('fragment', `
    const backend = await selectBackend();
    const info = backendInfo();
    console.log(info.reason);
    showTable(['candidate', 'chosen', 'why'], info.tried.map((t) => [t.name, t.ok ? '✔' : '', t.why]));
  `),
  md('subslide', `
    ### Run profile
    The lecture trains on the crops below for 20 epochs. Under \`NSEG_PROFILE=quick\` (used by
    the project's CI) the crops shrink so the notebook finishes in one or two minutes on two CPU cores;
    the model, loss, optimiser, epochs and threshold stay the lecture's.
  `),
  code('subslide', `
    const cfg = byProfile(
      { epochs: 20, train: [[128, 256], [500, 1300]], valid: [[500, 1000], [300, 1500]], test: [[1100, 1612], [600, 1112]] },
      { epochs: 20, train: [[128, 256], [500, 900]], valid: [[500, 628], [300, 812]], test: [[1100, 1612], [600, 1112]] },
    ) as { epochs: number; train: [number, number][]; valid: [number, number][]; test: [number, number][] };
    ({ profile: profile(), ...cfg })
  `),

  md('slide', `
    ## Classification or segmentation?
    - A **classifier** answers one question per image: *is there a spot?*
    - A **segmentation** network answers it for every pixel. A U-Net does this by first
      shrinking the image step by step (seeing larger neighbourhoods, like a scale pyramid), then
      growing it back, and passing the fine details across with *skip connections*.

    ### Training data: real or synthetic?
    1. **Real data**: needs time-consuming annotation, but looks like real life.
    2. **Synthetic data**: flexible, with a perfect ground truth — but the model may behave
       differently on real images.

    We use the annotated radiograph of part 4.
  `),
  code('subslide', `
    const orig = readFits('../data/spots/mixture12_00001.fits');
    const forig = orig.astype('float32');
    const mask = readPng('../data/spots/mixture12_00001.png').channel(1).eq(0);

    const [fig, ax] = subplots(1, 2, { figsize: [12, 5] });
    ax[0].imshow(forig, { cmap: 'gray', vmin: 0, vmax: 4000 }); ax[0].setTitle('Original');
    ax[1].imshow(mask, { cmap: 'gray' }); ax[1].setTitle('Mask');
    fig
  `),
  md('slide', `
    ## Training, validation and test crops
    | data | rows | columns | size |
    |---|---|---|---|
    | training | 128:256 | 500:1300 | 128 × 800 |
    | validation | 500:1000 | 300:1500 | 500 × 1200 |
    | test | 1100:1612 | 600:1112 | 512 × 512 |
  `),
  code('subslide', `
    const crop = (img: NDArray, [rows, cols]: [number, number][]) => img.slice(rows, cols);
    const trainImg = crop(forig, cfg.train), trainMask = crop(mask, cfg.train);
    const validImg = crop(forig, cfg.valid), validMask = crop(mask, cfg.valid);
    const testImg = crop(forig, cfg.test), testMask = crop(mask, cfg.test);

    const [fig, ax] = subplots(2, 2, { figsize: [12, 7] });
    const grey = { cmap: 'bone', vmin: 0, vmax: 4000 } as const;   // as the whole image above
    ax[0].imshow(trainImg, grey); ax[0].setTitle('Training image');
    ax[1].imshow(trainMask, { cmap: 'bone' }); ax[1].setTitle('Training mask');
    ax[2].imshow(validImg, grey); ax[2].setTitle('Validation image');
    ax[3].imshow(validMask, { cmap: 'bone' }); ax[3].setTitle('Validation mask');
    fig
  `),
  md('slide', `
    ## Why three sets?
    | training | validation | test |
    |---|---|---|
    | 70 % | 15 % | 15 % |

    1. **Train** on the training set.
    2. Watch the **validation** set during training to choose epochs, architecture and
       thresholds — it steers the design, so it is no longer independent.
    3. Report the final performance once, on the untouched **test** set.
  `),

  md('slide', `
    ## The spot-detection U-Net
    Two 3×3 convolutions of $b$ filters, max-pool, two of $2b$, max-pool, two of $4b$ at the
    bottom; then up-sample, concatenate with the $2b$ level, two convolutions of $2b$,
    up-sample, concatenate with the $b$ level, two of $b$, and a 1×1 convolution to one output
    channel. All activations are ReLU. We use $b = 24$.

    The initial weights are random; with only 20 training steps, the result depends on them
    noticeably. We fix the seed so the notebook gives the same result every time — change it
    to see how much the outcome varies.
  `),
  code('subslide', `
    // withWeightSeed: the random initial weights drawn from a fixed seed, so every run trains the same way
    const model = withWeightSeed(2018, () => buildSpotUNet(24));
    model.summary();
  `),
  md('slide', `
    ## Preparing the data for the network
    The network takes a batch of images with a channel axis, \`[n, rows, cols, 1]\`. Images are
    normalised with the **training crop's** mean and standard deviation, so every crop is scaled
    the same way; masks stay 0/1.
  `),
  code('subslide', `
    const stats = imageStats(trainImg);
    const prepImgN = (x: NDArray, n: number) => prepImg(x, n, stats);   // the lecture's prep_img(x, n)
    const prepMaskN = (x: NDArray, n: number) => prepMask(x, n);        // the lecture's prep_mask(x, n)
    stats
  `),
  md('slide', `
    ## Before training
    What does the untrained network make of the test crop?
  `),
  code('subslide', `
    const untrained = await predictImage(model, testImg, { normalize: stats });

    const [fig, ax] = subplots(2, 3, { figsize: [15, 7] });
    ax[0].imshow(trainImg, grey); ax[0].setTitle('Train image');
    ax[1].axis('off');
    ax[2].imshow(trainMask); ax[2].setTitle('Train mask');
    ax[3].imshow(testImg, grey); ax[3].setTitle('Test image');
    ax[4].imshow(untrained, { vmin: 0, vmax: 0.1 }); ax[4].setTitle('Predicted segmentation');
    ax[5].imshow(testMask); ax[5].setTitle('Ground truth');
    fig
  `),

  md('slide', `
    ## Loss, optimiser and metrics
    - **Loss**: binary cross-entropy, $-\\frac1n\\sum y\\log\\hat y + (1-y)\\log(1-\\hat y)$
    - **Optimiser**: Adam, learning rate $10^{-3}$, 20 epochs
    - **Metrics**, counted at a threshold of 0.5:
      true/false positives and negatives (TP, FP, TN, FN),
      binary accuracy $\\frac{TP+TN}{TP+TN+FP+FN}$,
      precision $\\frac{TP}{TP+FP}$, recall $\\frac{TP}{TP+FN}$,
      the area under the ROC curve (AUC), and the mean absolute error $\\frac1n\\sum|y-\\hat y|$.
  `),
  md('fragment', `
    Spots cover about **1 %** of the pixels. A network that never finds a spot already has a
    binary accuracy of 0.99 — accuracy misleads on unbalanced classes; watch precision, recall
    and AUC.
  `),
  code('subslide', `
    const x = prepImgN(trainImg, 3), y = prepMaskN(trainMask, 3);
    const xv = prepImgN(validImg, 1), yv = prepMaskN(validMask, 1);
    const t0 = performance.now();
    const { history, secondsPerEpoch } = await trainModel(model, x, y, {
      epochs: cfg.epochs,
      validationData: [xv, yv],
      loss: 'bce',
      learningRate: 1e-3,
      verbose: true,
    });
    [x, y, xv, yv].forEach((t) => t.dispose());
    console.log(\`\${cfg.epochs} epochs in \${((performance.now() - t0) / 1000).toFixed(1)} s on \${backend}\`);
  `),
  md('slide', `
    ## Training history
    The nine metrics per epoch, training in coral, validation in cornflower blue. The training
    values come from each step's forward pass, before the step's update (as Keras reports them).
  `),
  code('subslide', `
    const metrics: [string, string][] = [
      ['tp', 'True positives'], ['fp', 'False positives'], ['tn', 'True negatives'], ['fn', 'False negatives'],
      ['binary_accuracy', 'Binary accuracy'], ['precision', 'Precision'], ['recall', 'Recall'],
      ['auc', 'Area under the ROC curve'], ['mae', 'Mean absolute error'],
    ];
    const [fig, ax] = subplots(2, 5, { figsize: [20, 8] });
    metrics.forEach(([key, name], i) => {
      ax[i].plot(history[key], { color: 'coral', label: 'Training' });
      ax[i].plot(history['val_' + key], { color: 'cornflowerblue', label: 'Validation' });
      ax[i].setTitle(name);
    });
    ax[9].axis('off');
    fig.legend({ ax: ax[9] });   // one legend, in the empty tenth panel
    fig
  `),

  md('slide', `
    ## Prediction on training data
    A 512-wide window of the training rows.
  `),
  code('subslide', `
    const winRows = cfg.train[0];
    const winCols: [number, number] = [600, Math.min(1112, cfg.train[1][1])];
    const trainWin = forig.slice(winRows, winCols);
    const trainPred = await predictImage(model, trainWin, { normalize: stats });

    const [fig, ax] = subplots(1, 3, { figsize: [15, 3] });
    ax[0].imshow(trainWin, grey); ax[0].setTitle('Training image');
    ax[1].imshow(trainPred, { vmin: 0, vmax: 0.2 }); ax[1].setTitle('Prediction');
    ax[2].imshow(mask.slice(winRows, winCols)); ax[2].setTitle('Mask');
    fig
  `),
  md('slide', `
    ## Prediction on unseen data
    The test crop was not used for training or validation.
  `),
  code('subslide', `
    const pred = await predictImage(model, testImg, { normalize: stats });

    const [fig, ax] = subplots(1, 3, { figsize: [15, 5] });
    ax[0].imshow(testImg, grey); ax[0].setTitle('Test image');
    ax[1].imshow(pred, { vmin: 0, vmax: 0.1, colorbar: true }); ax[1].setTitle('Prediction');
    ax[2].imshow(testMask); ax[2].setTitle('Ground truth');
    fig
  `),
  md('subslide', `
    ### The final segmentation
    The network's output is not a probability we can trust at 0.5 after so little training;
    the lecture thresholds it at **0.05**.
  `),
  code('subslide', `
    const threshold = 0.05;
    const segmented = pred.gt(threshold);

    const [fig, ax] = subplots(1, 2, { figsize: [10, 5] });
    ax[0].imshow(segmented); ax[0].setTitle(\`Prediction > \${threshold}\`);
    ax[1].imshow(testMask); ax[1].setTitle('Ground truth');
    fig
  `),
  md('slide', `
    ## Hit cases and hit map
    Where are the true positives, the misses and the false alarms?
  `),
  code('subslide', `
    showHitCases(testMask, segmented)
  `),
  code('subslide', `
    fs.mkdirSync('../build/figures', { recursive: true });
    const figUnet = showHitMap(testMask, segmented, { title: 'U-Net' });
    figUnet.savefig('../build/figures/hitmap-unet.png');
    figUnet
  `),

  md('slide', `
    ## Baseline, k-NN and U-Net side by side
    The hit maps saved by part 4 and this notebook. Baseline and k-NN were evaluated on the
    right 1048 columns of the radiograph, the U-Net on its 512 × 512 test crop; the baseline is
    also shown on the U-Net's crop for a like-for-like check.
  `),
  code('subslide', `
    const saved = ['baseline', 'knn', 'unet'].map((m) => \`../build/figures/hitmap-\${m}.png\`);
    const missing = saved.filter((p) => !fs.existsSync(p));
    if (missing.length) console.log(\`not found: \${missing.join(', ')} — run 03-supervised first\`);

    const [fig, ax] = subplots(3, 1, { figsize: [12, 13] });
    saved.forEach((p, i) => {
      if (fs.existsSync(p)) ax[i].imshow(readPng(p));
      ax[i].axis('off');
    });
    fig
  `),
  code('subslide', `
    // the baseline (3×3 median, threshold 1000) on the U-Net's test crop
    const baseCrop = absDiff(testImg, medianFilter(testImg, 3)).gt(1000);
    const part4 = fs.existsSync('../build/results/03-supervised.json')
      ? JSON.parse(fs.readFileSync('../build/results/03-supervised.json', 'utf8'))
      : null;
    const unet = { recall: recall(testMask, segmented), precision: precision(testMask, segmented) };
    const rows: (string | number)[][] = [];
    if (part4) {
      rows.push(['baseline (median 3×3, k = 1000)', 'columns 1000:2048', part4.baseline.recall, part4.baseline.precision]);
      rows.push(['1-NN on (f, d)', 'columns 1000:2048', part4.knn.recall, part4.knn.precision]);
    }
    rows.push(['baseline (median 3×3, k = 1000)', 'U-Net test crop', recall(testMask, baseCrop), precision(testMask, baseCrop)]);
    rows.push([\`U-Net (b = 24, \${cfg.epochs} epochs, > \${threshold})\`, 'U-Net test crop', unet.recall, unet.precision]);
    showTable(['method', 'evaluated on', 'recall', 'precision'], rows);
  `),
  code('skip', `
    // key numbers for the project's tests (build/results/04-unet-spots.json)
    const last = (k: string) => history[k][history[k].length - 1];
    // (no shorthand properties here: tslab does not rewrite \`{ x }\` for x from another cell)
    const results04 = {
      profile: profile(), backend: backend, secondsPerEpoch: secondsPerEpoch, epochs: cfg.epochs, threshold: threshold,
      unet: unet, baselineOnCrop: { recall: recall(testMask, baseCrop), precision: precision(testMask, baseCrop) },
      final: Object.fromEntries(Object.keys(history).map((k) => [k, last(k)])),
    };
    fs.mkdirSync('../build/results', { recursive: true });
    writeFileAtomic('../build/results/04-unet-spots.json', JSON.stringify(results04, null, 1));
    results04
  `),
  md('slide', `
    ## Conclusions
    - The U-Net finds **many more spots** than the baseline and k-NN.
    - Many false positives sit **right next to** true spots: the annotation marks the spots a
      little tighter than the network does.
    - On real images some "misses" are **annotation errors**: nobody marks two thousand spots
      perfectly. Our annotation is simulated and exact, so here every miss is the network's.
    - The network is **shallow** (two pooling levels); deeper networks see more context.
    - The image **edges** were never part of training or testing.

    ### How to improve
    - More epochs — 20 steps is very little training.
    - More and more varied data: other crops, other images, augmentation.
    - Real and simulated data together (exercise 3).
  `),
];
