/** Exercise 1 (and its solution): k-means on the time-of-flight cube with spatial features added. */
import { code, md, type Cell } from './nb.js';

export const files = { exercise: 'exercises/ex1-kmeans-spatial.ipynb', solution: 'exercises/ex1-kmeans-spatial-solution.ipynb' };
export const title = 'Exercise 1 · k-means with spatial features';

const intro = (solution: boolean): Cell[] => [
  md('slide', `
    # Exercise 1 · k-means with spatial features${solution ? ' — solution' : ''}
    In part 3 every pixel was clustered by its spectrum alone, and ten clusters produced
    clusters along the sample edges. Neighbouring pixels usually belong to the same material:
    can the **position** of a pixel help?

    1. Load the time-of-flight cube and reshape it to one spectrum per row.
    2. Add the pixel's $x$ and $y$ coordinates as extra features — mind their **scaling**:
       a spectrum has 661 values around 0–1, a coordinate goes to 127.
    3. Cluster and compare the cluster maps with and without the spatial features.
  `),
  code('subslide', `
    import { NDArray, readNpy, kmeans, subplots, buildCMap, byProfile } from 'neutron-seg';

    const tof = readNpy('../../data/tofdata.npy');
    const [rows, cols, bins] = tof.shape;
    const tofr = tof.reshape([rows * cols, bins]);
    const wtof = tof.mean(2) as NDArray;
    tofr.shape
  `),
  md('subslide', `
    ### A helper: append columns to a feature matrix
    \`appendColumns(X, extra)\` returns a new \`[n, d + extra.length]\` matrix.
  `),
  code('subslide', `
    function appendColumns(X: NDArray, extra: ArrayLike<number>[]): NDArray {
      const [n, d] = X.shape;
      const out = new Float32Array(n * (d + extra.length));
      for (let i = 0; i < n; i++) {
        out.set(X.data.subarray(i * d, (i + 1) * d), i * (d + extra.length));
        extra.forEach((col, j) => (out[i * (d + extra.length) + d + j] = col[i]));
      }
      return new NDArray(out, [n, d + extra.length]);
    }
    const xCoord = Float32Array.from({ length: rows * cols }, (_, i) => i % cols);
    const yCoord = Float32Array.from({ length: rows * cols }, (_, i) => Math.floor(i / cols));
  `),
];

export const exerciseCells: Cell[] = [
  ...intro(false),
  md('slide', `
    ## Your turn
    Choose how strongly the coordinates count. With \`spatialWeight = 0\` they are multiplied by
    zero and the result equals part 3. Try to scale them so that their spread is comparable to
    the spread of the spectra (hint: compare the standard deviation of \`tofr\` per pixel with the
    one of \`xCoord\`), then try larger and smaller weights.
  `),
  code('subslide', `
    const spatialWeight = 0;   // TODO: try other values

    /** TODO: scale a coordinate column; this version only multiplies by the weight. */
    function scaleCoordinate(col: Float32Array, weight: number): Float32Array {
      return col.map((v) => v * weight);
    }

    const features = appendColumns(tofr, [scaleCoordinate(xCoord, spatialWeight), scaleCoordinate(yCoord, spatialWeight)]);
    features.shape
  `),
  code('subslide', `
    const k = 10;   // TODO: how many clusters do you need now?
    const km = kmeans(features, k, { seed: 2018 });
    const labels = new NDArray(km.labels, [rows, cols]);

    const [fig, ax] = subplots(1, 3, { figsize: [18, 5] });
    ax[0].imshow(wtof, { cmap: 'gray' }); ax[0].setTitle('Average image');
    const lines = km.centroids.map((c) => ax[1].plot(c.slice(0, bins))[0]);
    ax[1].setTitle('Centroid spectra');
    ax[2].imshow(labels, { cmap: buildCMap(lines), colorbar: true }); ax[2].setTitle(\`Cluster map, weight \${spatialWeight}\`);
    fig
  `),
  md('slide', `
    ## Questions
    - What happens to the edge clusters as the weight grows?
    - At which weight do clusters start to follow the position instead of the material?
    - Would a smoothed spectrum (a Gaussian filter over neighbouring pixels) do the same job?
  `),
];

export const solutionCells: Cell[] = [
  ...intro(true),
  md('slide', `
    ## Scaling the coordinates
    Distances in k-means add squared differences over all features. Two spectra differ over 661
    bins; one coordinate is a single number. To make the coordinates count like the spectra, we
    standardise them (zero mean, unit variance) and then multiply by the spectra's **typical
    distance** between two pixels times a weight $w$: at $w = 1$, moving across the whole image
    costs about as much as changing material.
  `),
  code('subslide', `
    // typical distance between spectra: sqrt(sum over bins of the variance of that bin)
    const binVar = new Float64Array(bins);
    const binMean = new Float64Array(bins);
    for (let i = 0; i < rows * cols; i++) for (let b = 0; b < bins; b++) binMean[b] += tofr.data[i * bins + b] / (rows * cols);
    for (let i = 0; i < rows * cols; i++) for (let b = 0; b < bins; b++) binVar[b] += (tofr.data[i * bins + b] - binMean[b]) ** 2 / (rows * cols);
    const spectralScale = Math.sqrt(binVar.reduce((a, v) => a + v, 0));

    function scaleCoordinate(col: Float32Array, weight: number): Float32Array {
      const mean = col.reduce((a, v) => a + v, 0) / col.length;
      const std = Math.sqrt(col.reduce((a, v) => a + (v - mean) ** 2, 0) / col.length);
      return col.map((v) => ((v - mean) / std) * spectralScale * weight);
    }
    spectralScale
  `),
  md('slide', `
    ## Four weights, ten clusters
  `),
  code('subslide', `
    const weights = byProfile([0, 0.25, 0.5, 1], [0, 0.5]);
    const maps = weights.map((w) => {
      const features = appendColumns(tofr, [scaleCoordinate(xCoord, w), scaleCoordinate(yCoord, w)]);
      const km = kmeans(features, 10, { seed: 2018 });
      return { w, km, labels: new NDArray(km.labels, [rows, cols]) };
    });

    const [fig, ax] = subplots(2, weights.length, { figsize: [5 * weights.length, 9] });
    maps.forEach(({ w, km, labels }, i) => {
      const lines = km.centroids.map((c) => ax[i].plot(c.slice(0, bins))[0]);
      ax[i].setTitle(\`centroid spectra, w = \${w}\`);
      ax[weights.length + i].imshow(labels, { cmap: buildCMap(lines) });
      ax[weights.length + i].setTitle(\`cluster map, w = \${w}\`);
    });
    fig
  `),
  md('subslide', `
    ### How many clusters touch another cluster?
    A pixel is a *border pixel* when one of its four neighbours has another label. Fewer border
    pixels mean more compact regions.
  `),
  code('subslide', `
    function borderShare(labels: NDArray): number {
      let border = 0;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const l = labels.data[r * cols + c];
          if ((r + 1 < rows && labels.data[(r + 1) * cols + c] !== l) || (c + 1 < cols && labels.data[r * cols + c + 1] !== l)) border++;
        }
      return border / (rows * cols);
    }
    maps.map(({ w, labels }) => ({ weight: w, borderPixels: +borderShare(labels).toFixed(3) }))
  `),
  md('slide', `
    ## What we learn
    - Small weights ($w \\approx 0.25$) clean up isolated pixels: regions become more compact.
    - Large weights cut the image into tiles by position: the clusters no longer follow the
      material, they follow $x$ and $y$.
    - The edge clusters do not disappear: a pixel that sees half sample, half void really has a
      mixed spectrum. Position cannot fix that — a finer detector or unmixing can.
  `),
];
