/** Lecture part 4: supervised segmentation (k-NN spot detection against the median-filter baseline). */
import { code, md, type Cell } from './nb.js';

export const file = '03-supervised.ipynb';
export const title = '4 · Supervised segmentation';

export const cells: Cell[] = [
  md('slide', `
    # Machine learning to segment neutron images
    ## Part 4 · Supervised segmentation

    Now we have examples with the right answer, and a model learns from them.
  `),
  code('subslide', `
    import {
      NDArray, readFits, readPng, medianFilter, absDiff, histogram2d,
      makeBlobs, KNN, frameFromColumns, columnArray, recall, precision,
      subplots, magnifyRegion, showHitMap, byProfile, profile, writeFileAtomic,
    } from 'neutron-seg';
    import * as fs from 'node:fs';

    profile()
  `),
  md('slide', `
    ## Three kinds of data
    1. **Training**: examples with the right answer; the model learns from them.
    2. **Verification** (validation): more examples with answers, *not* used for learning, to
       check how well the model does and to tune it.
    3. **Inference**: the images we actually want segmented.
  `),
  md('slide', `
    ## k nearest neighbours
    Imagine you are lost in a forest full of hikers, each wearing the colour of their home
    village. To guess which village *you* are closest to, look at the $k$ hikers standing nearest
    to you and take the most common colour.

    The k-NN classifier does exactly that: it keeps all training samples and labels a new sample
    with the majority label of its $k$ nearest training samples in feature space. There is no
    training beyond storing the data — all the work happens at prediction time.
  `),
  code('subslide', `
    const blobs = makeBlobs(100, { centers: 3, nFeatures: 2, seed: 2018 });
    const testPts = frameFromColumns({
      x: Float32Array.from({ length: 100 }, (_, i) => blobs.X.data[2 * i]),
      y: Float32Array.from({ length: 100 }, (_, i) => blobs.X.data[2 * i + 1]),
      group_id: Int32Array.from(blobs.y),
    });

    const [fig, ax] = subplots(1, 1, { figsize: [5, 4] });
    ax[0].scatter(columnArray(testPts, 'x'), columnArray(testPts, 'y'), { c: columnArray(testPts, 'group_id'), cmap: 'viridis' });
    fig
  `),

  // ---- the spot image
  md('slide', `
    ## Unwanted outliers in neutron images
    Gamma rays and fast neutrons that hit the camera chip directly leave bright **spots**: single
    pixels or small clusters far above their neighbours. We have a radiograph (2048 × 2048 raw
    counts) and a hand-made annotation where the spots are marked (green channel = 0), each
    with a pixel of margin around it, as annotators do.
  `),
  code('subslide', `
    const orig = readFits('../data/spots/mixture12_00001.fits');
    const annotated = readPng('../data/spots/mixture12_00001.png');
    const mask = annotated.channel(1).eq(0);

    const r = 600, c = 600, w = 256;
    magnifyRegion(orig, [r, c, r + w, c + w], { figsize: [15, 7], vmin: 400, vmax: 4000, title: 'Neutron radiography' })
  `),
  md('slide', `
    ## Why spots matter
    A spot is a few pixels, but in a tomogram every projection's spot is smeared along a line
    through the reconstruction. Spots must be found and replaced before reconstruction.

    ### The baseline: the classic spot cleaner
    The usual cleaning filter (as in ImageJ's *remove outliers*) compares each pixel with the
    median of its neighbourhood:
    - $N$: width of the median filter;
    - $k$: threshold on $|f - \\text{med}_N(f)|$ — above it, the pixel is an outlier and is
      replaced by the median.
  `),
  code('subslide', `
    const forig = orig.astype('float32');
    const mimg = medianFilter(forig, 3);
    const d = absDiff(forig, mimg);   // |f - med3x3(f)|

    const h = histogram2d(forig.data, d.data, 100);
    // counts[i, j]: i along f, j along d. Show f horizontally and d upwards (origin bottom left)
    const logH = NDArray.zeros([100, 100]).map((_, k) => {
      const row = Math.floor(k / 100), col = k % 100;
      return Math.log(h.counts.get(col, 99 - row) + 1);
    });
    const [fig, ax] = subplots(1, 1, { figsize: [8, 5] });
    ax[0].imshow(logH, { vmin: 0, vmax: 10, extent: [h.xedges[0], h.xedges[100], h.yedges[0], h.yedges[100]], aspect: 'auto' });
    ax[0].setXlabel('Input image f');
    ax[0].setYlabel('|f - med3x3(f)|');
    ax[0].setTitle('Log bivariate histogram');
    fig
  `),
  md('fragment', `
    Most pixels sit in a narrow band near $d = 0$; the spots stand out as a sparse cloud of
    large $d$. A single threshold on $d$ is the baseline.
  `),
  code('subslide', `
    /** The baseline spot cleaner: replace pixels far from their 3×3 median by the median. */
    function spotCleaner(img: NDArray, threshold = 0.95, size = 3) {
      const fimg = img.astype('float32');
      const mimg = medianFilter(fimg, size);
      const timg = absDiff(fimg, mimg).gt(threshold);
      const cleaned = fimg.map((v, i) => (timg.data[i] ? mimg.data[i] : v));
      return { cleaned, detection: timg };
    }
  `),
  code('subslide', `
    const cleaner = spotCleaner(orig, 1000);
    const baseclean = cleaner.cleaned, timg = cleaner.detection;
    magnifyRegion(baseclean, [r, c, r + w, c + w], { figsize: [12, 3], vmin: 400, vmax: 4000, title: 'Cleaned image' }).show();
    magnifyRegion(timg, [r, c, r + w, c + w], { figsize: [12, 3], vmin: 0, vmax: 1, title: 'Detection image' }).show();
  `),
  md('notes', `
    The library has the same function as \`spotCleaner\` (lib/filters); here it is written out so
    it can be compared with the Python original line by line.
  `),

  // ---- k-NN on the spot image
  md('slide', `
    ## k-NN to detect spots
    Two features per pixel: the grey level $f$ and the distance to the median $d$. Training data:
    the left 1000 columns with their annotation; test data: the remaining 1048 columns.
  `),
  code('subslide', `
    const trainPts = frameFromColumns({
      orig: forig.slice(null, [0, 1000]).data,
      d: d.slice(null, [0, 1000]).data,
      mask: mask.slice(null, [0, 1000]).data,
    });
    const testPtsSpots = frameFromColumns({
      orig: forig.slice(null, [1000, forig.shape[1]]).data,
      d: d.slice(null, [1000, forig.shape[1]]).data,
      mask: mask.slice(null, [1000, forig.shape[1]]).data,
    });
    [trainPts.shape, testPtsSpots.shape]
  `),
  code('subslide', `
    /** The (orig, d) columns of a data frame as an n × 2 feature matrix. */
    function features(df: typeof trainPts, a = 'orig', b = 'd') {
      const x = columnArray(df, a), y = columnArray(df, b);
      const data = new Float32Array(2 * x.length);
      x.forEach((v, i) => { data[2 * i] = v; data[2 * i + 1] = y[i]; });
      return { data, shape: [x.length, 2] };
    }

    let kClass = new KNN(features(trainPts), Int32Array.from(columnArray(trainPts, 'mask')), { k: 1 });
  `),
  md('slide', `
    ## The decision space
    What does the classifier answer for any pair $(f, d)$ within the test data's range?
    Light grey: spot, black: no spot. Without scaling, almost everything away from the dense
    cloud of ordinary pixels is called a spot.
  `),
  code('subslide', `
    const to = columnArray(testPtsSpots, 'orig'), td = columnArray(testPtsSpots, 'd');
    const range = (a: ArrayLike<number>) => { let lo = Infinity, hi = -Infinity; for (let i = 0; i < a.length; i++) { lo = Math.min(lo, a[i]); hi = Math.max(hi, a[i]); } return [lo, hi]; };
    const linspace = ([lo, hi]: number[], n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
    const gx = linspace(range(to), 100), gy = linspace(range(td), 100);
    const gridPts = frameFromColumns({
      x: Float32Array.from(gx.flatMap((x) => gy.map(() => x))),   // meshgrid, indexing 'ij'
      y: Float32Array.from(gx.flatMap(() => gy)),
    });
    const predictedId = kClass.predict(features(gridPts, 'x', 'y'));

    const [fig, ax] = subplots(1, 1, { figsize: [6, 6] });
    // grey levels from -0.5 to 1.5 so that the spot class (1) shows light grey on the white page
    ax[0].scatter(columnArray(gridPts, 'x'), columnArray(gridPts, 'y'), { c: predictedId, cmap: 'gray', vmin: -0.5, vmax: 1.5, s: 9 });
    ax[0].setTitle('Testing points'); ax[0].setXlabel('f'); ax[0].setYlabel('d');
    ax[0].axis('square');
    fig
  `),
  md('slide', `
    ## k-NN on unseen data
    Every test pixel is compared with two million training pixels — this takes a while.
  `),
  code('subslide', `
    const t0 = performance.now();
    const pred = kClass.predict(features(testPtsSpots));
    const pimg = new NDArray(pred, [forig.shape[0], forig.shape[1] - 1000]);
    console.log(\`predicted \${pred.length} pixels in \${((performance.now() - t0) / 1000).toFixed(1)} s\`);
  `),
  code('subslide', `
    const testCols: [number, number] = [1000, forig.shape[1]];
    const [fig, ax] = subplots(1, 3, { figsize: [15, 6] });
    ax[0].imshow(forig.slice(null, testCols), { vmin: 0, vmax: 4000 }); ax[0].setTitle('Original image');
    ax[1].imshow(pimg); ax[1].setTitle('Predicted spots');
    ax[2].imshow(mask.slice(null, testCols)); ax[2].setTitle('Annotated spots');
    fig
  `),

  // ---- performance
  md('slide', `
    ## Performance check
    The confusion matrix, normalised by all pixels, and the **hit map**: every test pixel
    coloured by its outcome — true negative (dark grey), false negative (cyan), false positive
    (red), true positive (white). Both maps are saved for the comparison with the U-Net.
  `),
  code('subslide', `
    const gtTest = mask.slice(null, testCols);
    const baseTest = timg.slice(null, testCols);
    fs.mkdirSync('../build/figures', { recursive: true });
    const figBase = showHitMap(gtTest, baseTest, { title: 'Baseline' });
    figBase.savefig('../build/figures/hitmap-baseline.png');
    figBase
  `),
  code('subslide', `
    const figKnn = showHitMap(gtTest, pimg, { title: 'k-NN' });
    figKnn.savefig('../build/figures/hitmap-knn.png');
    figKnn
  `),
  code('subslide', `
    const results03 = {
      profile: profile(),
      region: 'all rows, columns 1000:2048',
      baseline: { recall: recall(gtTest, baseTest), precision: precision(gtTest, baseTest) },
      knn: { recall: recall(gtTest, pimg), precision: precision(gtTest, pimg) },
    };
    fs.mkdirSync('../build/results', { recursive: true });
    writeFileAtomic('../build/results/03-supervised.json', JSON.stringify(results03, null, 1));
    results03
  `),
  md('slide', `
    ## Remarks on k-NN
    - It is **slow**: every prediction searches the whole training set.
    - It needs **annotated** training data, and annotation takes time. Here we trained on the
      same kind of image we test on.
    - The features should be **normalised**; this was a raw projection — what happens on a
      flat-field corrected image?
    - It finds **more spots** than the baseline, and pays with false alarms.
    - The data is very **unbalanced**: try training on a selection of non-spot pixels (exercise 2).
      Is it faster? Does the segmentation get worse?

    Better spot detectors than the baseline exist; it is a reference point, not the state of the art.
  `),
  code('subslide', `
    kClass = null;   // free the two million stored training samples
  `),
];
