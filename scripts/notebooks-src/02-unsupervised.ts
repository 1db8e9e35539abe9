/** Lecture part 3: unsupervised segmentation (k-means on points, spatial features, time-of-flight spectra). */
import { code, md, type Cell } from './nb.js';

export const file = '02-unsupervised.ipynb';
export const title = '3 · Unsupervised segmentation';

export const cells: Cell[] = [
  md('slide', `
    # Machine learning to segment neutron images
    ## Part 3 · Unsupervised segmentation

    No labels, no training: the algorithm groups pixels that look alike.
  `),
  code('subslide', `
    import {
      NDArray, readFits, readNpy, gaussianFilter, sobelH, sobelV,
      kmeans, makeBlobs, makeTofCube, frameFromColumns, columnArray,
      subplots, buildCMap, byProfile, profile, writeFileAtomic,
    } from 'neutron-seg';
    import * as fs from 'node:fs';

    /** The rows of a number[][] as the columns of an array (numpy's \`.transpose()\`). */
    const columns = (rows: number[][]) =>
      new NDArray(Float32Array.from({ length: rows.length * rows[0].length }, (_, i) => rows[i % rows.length][Math.floor(i / rows.length)]), [rows[0].length, rows.length]);

    profile()
  `),

  // ---- clustering points
  md('slide', `
    ## Introducing clustering
    We start with points in a plane: 200 samples drawn around three centres (the blob generator,
    seed 2018), stored in a data frame with the columns \`x\` and \`y\`.
  `),
  code('subslide', `
    const blobs = makeBlobs(200, { centers: 3, nFeatures: 2, seed: 2018 });
    const testPts = frameFromColumns({ x: blobs.X.slice(null, 0).data, y: blobs.X.slice(null, 1).data });

    const [fig, ax] = subplots(1, 1, { figsize: [5, 4] });
    ax[0].plot(columnArray(testPts, 'x'), columnArray(testPts, 'y'), 'r.');
    fig
  `),
  md('slide', `
    ## k-means
    1. Pick $k$ starting centres $c_1 \\dots c_k$.
    2. Assign every point $p$ to its nearest centre, $\\arg\\min_j \\lVert p - c_j \\rVert_2$.
    3. Move every centre to the mean of its points.
    4. Repeat 2–3 until the assignments stop changing.

    k-means always returns exactly the $k$ clusters you ask for — whether the data has them or not.
  `),
  code('subslide', `
    const [fig, ax] = subplots(1, 3, { figsize: [15, 4.5] });
    for (let i = 0; i < 3; i++) {
      const km = kmeans(blobs.X, i + 2, { seed: 2018 });
      ax[i].scatter(columnArray(testPts, 'x'), columnArray(testPts, 'y'), { c: km.labels });
      ax[i].setTitle(\`\${i + 2} groups\`);
    }
    fig
  `),

  // ---- spatial features
  md('slide', `
    ## Features from an image
    A pixel's grey level alone is a poor feature. We can add **where** the pixel is and **what its
    neighbourhood** looks like. Here on the spot radiograph of part 4, subsampled by 4 in both
    directions:
    position $x$ and $y$, a Gaussian-smoothed image ($\\sigma = 5$), and the horizontal and
    vertical Sobel edge filters.
  `),
  code('subslide', `
    const raw = readFits('../data/spots/mixture12_00001.fits');
    const sub = raw.slice([0, raw.shape[0], 4], [0, raw.shape[1], 4]); // raw[::4, ::4]
    // scikit-image's filters work on uint16 images scaled to [0, 1]; we scale the same way
    const subf = sub.map((v) => v / 65535);
    const [rows, cols] = sub.shape;
    const xCoord = NDArray.zeros([rows, cols]).map((_, i) => i % cols);
    const yCoord = NDArray.zeros([rows, cols]).map((_, i) => Math.floor(i / cols));

    const [fig, ax] = subplots(2, 3, { figsize: [15, 9] });
    ax[0].imshow(sub, { cmap: 'gray', vmin: 0, vmax: 4000 }); ax[0].setTitle('Original');
    ax[1].imshow(xCoord); ax[1].setTitle('x coordinates');
    ax[2].imshow(yCoord); ax[2].setTitle('y coordinates');
    ax[3].imshow(gaussianFilter(subf, 5)); ax[3].setTitle('Gaussian filter, σ = 5');
    ax[4].imshow(sobelH(subf), { vmin: 0, vmax: 0.001 }); ax[4].setTitle('Horizontal Sobel');
    ax[5].imshow(sobelV(subf), { vmin: 0, vmax: 0.001 }); ax[5].setTitle('Vertical Sobel');
    fig
  `),
  md('fragment', `
    The features live on very different scales: coordinates go to 512, the Sobel images stay
    below 0.01. k-means measures Euclidean distances, so unscaled features with large ranges
    dominate. **Scale every feature** (for example to zero mean and unit variance) before
    clustering — exercise 1 tries it.
  `),
  md('slide', `
    ## When does clustering suit images?
    - When each pixel carries **many values**: spectra, multi-modal images (neutrons + X-rays),
      time series.
    - When the classes form **compact groups** in that feature space.
    - When there is **no ground truth**, or to get a first idea of what is in the data.
  `),

  // ---- time of flight
  md('slide', `
    ## Clustering wavelength-resolved images
    At a pulsed source, the neutrons' **time of flight** tells their wavelength. A time-of-flight
    detector records one image per wavelength bin: every pixel holds a transmission **spectrum**.
    Crystalline materials show **Bragg edges**, sudden jumps where a lattice plane stops
    diffracting, at wavelengths set by the crystal structure.

    Our cube: 128 × 128 pixels × 661 wavelength bins (a 512 × 512 measurement binned by 4),
    six samples on a holder with spacers.
  `),
  code('subslide', `
    let tof = readNpy('../data/tofdata.npy');   // let: we drop it at the end
    const wtof = tof.mean(2) as NDArray;   // average over the wavelengths

    const [fig, ax] = subplots(1, 1, { figsize: [5, 5] });
    ax[0].imshow(wtof, { cmap: 'gray' });
    ax[0].setTitle('Wavelength-averaged image');
    fig
  `),
  md('subslide', `
    ### Spectra at four places
    A sample, the background, a spacer, and a second sample.
  `),
  code('subslide', `
    const places = [
      { name: 'sample', r: 30, c: 15 },
      { name: 'background', r: 3, c: 57 },
      { name: 'spacer', r: 90, c: 79 },
      { name: 'sample 2', r: 120, c: 100 },
    ];
    const [fig, ax] = subplots(1, 2, { figsize: [12, 4.5] });
    ax[0].imshow(wtof, { cmap: 'gray' });
    for (const p of places) {
      const [colour] = ax[1].plot(tof.slice(p.r, p.c), { label: p.name });
      ax[0].plot([p.c], [p.r], 'o', { color: colour, label: p.name });
    }
    ax[0].setTitle('Marked pixels');
    ax[1].setTitle('Their spectra');
    ax[1].setXlabel('wavelength bin');
    ax[1].setYlabel('transmission');
    ax[1].legend();
    fig
  `),
  md('slide', `
    ## Reshaping
    k-means wants a list of samples with their features: one row per pixel, one column per
    wavelength bin.
  `),
  code('subslide', `
    let tofr = tof.reshape([tof.shape[0] * tof.shape[1], tof.shape[2]]);
    console.log('Input ToF dimensions', tof.shape);
    console.log('Reshaped ToF data', tofr.shape);
  `),
  md('slide', `
    ## Setting up and running k-means
    - Void surrounds the samples, and spacers separate them.
    - So there are at least: void, spacers, and the samples' material(s).
    - We start with **four** clusters.
  `),
  code('subslide', `
    // nInit 10: ten k-means++ starts, the best kept (scikit-learn 1.2's default n_init)
    const km4 = kmeans(tofr, 4, { seed: 2018, nInit: 10 });
    const c = new NDArray(km4.labels, tof.shape.slice(0, 2));   // label image
    const kc = columns(km4.centroids);                           // centroid spectra, transposed
    console.log(\`\${km4.iterations} iterations, inertia \${km4.inertia.toExponential(3)}\`);
  `),
  md('slide', `
    ## Results of the first try
    The colours of the cluster map match the colours of the centroid spectra.
  `),
  code('subslide', `
    const [fig, axes] = subplots(1, 3, { figsize: [18, 5] });
    axes[0].imshow(wtof, { cmap: 'viridis' }); axes[0].setTitle('Average image');
    const p = axes[1].plot(kc);  axes[1].setTitle('Cluster centroid spectra'); axes[1].setAspect(tof.shape[2]);
    const cmap = buildCMap(p);   // a colour map with the same colours as the plot
    axes[2].imshow(c, { cmap, colorbar: true }); axes[2].setTitle('Cluster map');
    fig
  `),
  md('slide', `
    ## We need more clusters
    - The data varies in places where we did not expect clusters: edges, thickness.
    - The two sample materials may not be separated yet.
    - Try **ten** clusters.
  `),
  code('subslide', `
    const km10 = kmeans(tofr, 10, { seed: 2018, nInit: byProfile(10, 2) });   // quick profile: 2 starts
    const c10 = new NDArray(km10.labels, tof.shape.slice(0, 2));
    const kc10 = columns(km10.centroids);
  `),
  code('subslide', `
    const [fig, axes] = subplots(1, 3, { figsize: [18, 5] });
    axes[0].imshow(wtof, { cmap: 'gray' }); axes[0].setTitle('Average image');
    const p10 = axes[1].plot(kc10);  axes[1].setTitle('Cluster centroid spectra'); axes[1].setAspect(tof.shape[2]);
    axes[2].imshow(c10, { cmap: buildCMap(p10), colorbar: true }); axes[2].setTitle('Cluster map');
    fig
  `),
  md('slide', `
    ## Interpreting the clusters
    Some clusters only live along the **edges** of the samples, where a pixel sees part sample,
    part void or spacer: their spectra are mixtures, with weak Bragg edges (red ellipse). The
    others follow the samples (blue ellipse, around the strongest Bragg edge). Spectra of the
    same material differ in amplitude with the **thickness**, while the *shape* — where the
    Bragg edges sit — tells the material: there are two spectrum types, so two materials.
    The matrix on the left shows how alike the centroid spectra are.
  `),
  code('subslide', `
    const cent = km10.centroids;   // number[][]: one spectrum per cluster
    const nBins = cent[0].length;
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    // the Bragg edge: where the average spectrum jumps most within 20 bins
    const avg = cent[0].map((_, b) => mean(cent.map((s) => s[b])));
    let edgeBin = 20;
    for (let b = 20; b < nBins - 20; b++) if (avg[b + 10] - avg[b - 10] > avg[edgeBin + 10] - avg[edgeBin - 10]) edgeBin = b;
    // relative jump of each centroid across that edge: large for pure steel, small for mixtures
    const jump = cent.map((s) => mean(s.slice(edgeBin + 10, edgeBin + 20)) / mean(s.slice(edgeBin - 20, edgeBin - 10)));
    const level = cent.map(mean);
    const brightest = level.indexOf(Math.max(...level)), darkest = level.indexOf(Math.min(...level));
    const interest = cent.map((_, l) => l).filter((l) => jump[l] > 1.5);
    const mixtures = cent.map((_, l) => l).filter((l) => !interest.includes(l) && l !== brightest && l !== darkest);

    /** An ellipse around a group of spectra over the bins [b0, b1). */
    function around(group: number[], b0: number, b1: number) {
      const vals = group.flatMap((l) => cent[l].slice(b0, b1));
      const lo = Math.min(...vals), hi = Math.max(...vals);
      return { xy: [(b0 + b1) / 2, (lo + hi) / 2] as [number, number], width: (b1 - b0) * 1.3, height: (hi - lo) * 1.4 };
    }
    const pearson = (a: number[], b: number[]) => {
      const ma = mean(a), mb = mean(b);
      let sab = 0, saa = 0, sbb = 0;
      a.forEach((v, i) => { sab += (v - ma) * (b[i] - mb); saa += (v - ma) ** 2; sbb += (b[i] - mb) ** 2; });
      return sab / Math.sqrt(saa * sbb);
    };

    const [fig, axes] = subplots(1, 2, { figsize: [14, 5] });
    axes[0].matshow(NDArray.fromNested(cent.map((a) => cent.map((b) => pearson(a, b)))));
    axes[0].setTitle('Correlation of the centroid spectra');
    axes[1].plot(kc10);
    const red = around(mixtures, 0, Math.round(0.25 * nBins));
    axes[1].addEllipse(red.xy, red.width, red.height, { edgecolor: 'red', linewidth: 2 });
    const blue = around(interest, edgeBin - 25, edgeBin + 25);
    axes[1].addEllipse(blue.xy, blue.width, blue.height, { edgecolor: 'blue', linewidth: 2 });
    axes[1].setTitle('Cluster centroid spectra'); axes[1].setAspect(tof.shape[2]);
    console.log(\`Bragg edge near bin \${edgeBin}; edge mixtures (red): clusters \${mixtures.join(', ')}; spectra of interest (blue): clusters \${interest.join(', ')}\`);
    fig
  `),
  // ---- results for the tests, and clean-up
  md('skip', `
    The numbers below are saved for the project's tests (\`build/results/02-unsupervised.json\`):
    how pure the four k-means clusters are with respect to the four material classes the
    stand-in data was made from.
  `),
  code('skip', `
    // the material of each pixel, as the stand-in cube was made (same seed as data/tofdata.npy)
    const classes = makeTofCube({ seed: 2018, noiseless: true }).classes.data;
    // purity: for each cluster, the share of its pixels in its most common class
    const counts = new Map<string, number>();
    km4.labels.forEach((l, i) => { const k = \`\${l}:\${classes[i]}\`; counts.set(k, (counts.get(k) ?? 0) + 1); });
    const purity = [0, 1, 2, 3].map((l) => {
      const row = [...counts].filter(([k]) => k.startsWith(\`\${l}:\`)).map(([, n]) => n);
      return row.length ? Math.max(...row) / row.reduce((a, b) => a + b, 0) : 0;
    });
    const majority = [0, 1, 2, 3].map((l) => {
      const row = [...counts].filter(([k]) => k.startsWith(\`\${l}:\`)).sort((a, b) => b[1] - a[1]);
      return row.length ? Number(row[0][0].split(':')[1]) : -1;
    });
    const results02 = { profile: profile(), purity, majorityClass: majority, kmeans4Iterations: km4.iterations, kmeans10Mixtures: mixtures, kmeans10Interest: interest };
    fs.mkdirSync('../build/results', { recursive: true });
    writeFileAtomic('../build/results/02-unsupervised.json', JSON.stringify(results02, null, 1));
    results02
  `),
  md('slide', `
    ## Freeing memory
    The cube and its reshaped copy take tens of megabytes; drop them when done.
  `),
  code('subslide', `
    // JavaScript has no \`del\`: drop the references and the garbage collector frees the memory
    tof = null;
    tofr = null;
  `),
];
