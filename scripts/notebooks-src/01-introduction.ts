/** Lecture part 1–2: introduction (images, neutron imaging, noise, a first threshold) and limited data. */
import { code, md, type Cell } from './nb.js';

export const file = '01-introduction.ipynb';
export const title = '1 · Introduction and limited data';

export const cells: Cell[] = [
  md('slide', `
    # Machine learning to segment neutron images
    ## Part 1 · Introduction

    A lecture on finding structures in neutron images with classic and learned methods,
    written as **TypeScript** notebooks. Every cell can be edited and run again.
  `),
  md('subslide', `
    ### Where we are going
    1. **Introduction**: images, neutron imaging, noise, a first segmentation
    2. **Limited data**: why neutron imaging rarely has enough labelled images
    3. **Unsupervised segmentation**: k-means on points and on spectra
    4. **Supervised segmentation**: k-nearest neighbours finds bright spots
    5. **Convolutional networks**: a U-Net for the same spots
    6. **Final problem**: root networks in soil
  `),
  md('subslide', `
    ### The tools in this notebook
    The course library \`neutron-seg\` brings arrays (\`NDArray\`), image filters, file readers,
    clustering, classifiers and matplotlib-shaped figures. One import cell per notebook, as in the
    Python original.
  `),
  code('fragment', `
    import { NDArray, subplots, profile } from 'neutron-seg';

    profile()   // 'lecture' unless NSEG_PROFILE=quick
  `),

  // ---- what is an image
  md('slide', `
    ## What is an image?
    Stripped to the bone, an image pairs
    - a **position** (x, y, sometimes z or time) with
    - a **value** measured there (intensity, counts, a spectrum, a label).

    Most of the time the positions form a regular 2-D or 3-D grid and the values are numbers.
  `),
  md('subslide', `
    ## Images in science
    Our eyes read images in an instant, so qualitative conclusions come cheap.
    Numbers are another matter:
    - a thermometer gives one value, *50 K*, and the analysis is done;
    - an image gives millions of values, and small changes of the set-up, the exposure or the
      processing easily change the answer.

    There are thousands of algorithms and tools, and most images need several steps.
    Trying them out by hand takes time — which is where a notebook helps.
  `),

  // ---- neutron imaging
  md('slide', `
    ## Neutron imaging in one picture
    A beam of neutrons from a reactor or a spallation source is collimated, passes the sample,
    and hits a **scintillator** that turns neutrons into light; a camera records the light.
    What reaches the detector follows the **Beer–Lambert law**

    $$ I = I_0 \\, e^{-\\int_{\\text{path}} \\mu(x)\\, dx} $$

    with $I_0$ the open beam and $\\mu$ the attenuation coefficient of the material along the
    path. A radiograph is therefore a map of $\\int \\mu\\,dx$.
  `),
  md('subslide', `
    ## Neutrons see what X-rays miss
    X-rays interact with the electrons, so attenuation grows with the atomic number.
    Neutrons interact with nuclei: light **hydrogen** attenuates strongly while many metals are
    almost transparent. Approximate attenuation coefficients in cm⁻¹:

    | material | thermal neutrons | X-rays, 100 keV |
    |---|---|---|
    | water | 3.5 | 0.17 |
    | aluminium | 0.10 | 0.46 |
    | iron | 1.2 | 2.9 |
    | lead | 0.38 | 62 |
    | boron (natural) | ≈ 100 | 0.4 |
  `),
  md('fragment', `
    The transmission $I/I_0$ through a slab of thickness $t$ follows directly from the law:
  `),
  code('subslide', `
    // Beer–Lambert: transmission through a slab, I/I0 = exp(-mu * t)
    const thickness = Array.from({ length: 101 }, (_, i) => i * 0.05); // 0 … 5 cm
    const mu = {
      neutrons: { water: 3.5, aluminium: 0.1, iron: 1.2, lead: 0.38 },
      'X-rays 100 keV': { water: 0.17, aluminium: 0.46, iron: 2.9, lead: 62 },
    };

    const [fig, ax] = subplots(1, 2, { figsize: [10, 3.5] });
    Object.entries(mu).forEach(([beam, table], i) => {
      for (const [material, m] of Object.entries(table)) {
        ax[i].plot(thickness, thickness.map((t) => Math.exp(-m * t)), { label: material });
      }
      ax[i].setTitle(beam);
      ax[i].setXlabel('thickness [cm]');
      ax[i].setYlabel('transmission I/I0');
      ax[i].legend();
    });
    fig
  `),

  // ---- image quality
  md('slide', `
    ## Measurements are never perfect
    What limits the quality of a neutron image:
    - **resolution**: the blur of the beam geometry, scintillator and optics;
    - **noise**: counting statistics and the camera;
    - **contrast**: how different the materials' $\\mu$ are;
    - **inhomogeneous contrast**: uneven beam, scattering, beam hardening;
    - **artefacts**: bright *spots* from gamma rays hitting the camera, *lines* and *rings*
      in tomograms.
  `),
  md('slide', `
    ## What is segmentation?
    Segmentation assigns every pixel (or voxel) to a class.
    - **Object detection**: where are the objects? (boxes)
    - **Semantic segmentation**: which class does each pixel belong to?
    - **Instance segmentation**: which *object* does each pixel belong to?
  `),
  md('subslide', `
    ## The simplest segmentation: a threshold
    We build a small test image, a noisy cross:

    $$ f(x,y) = \\frac{1.5\\,|\\cos(xy)|}{|xy| + 3\\pi/5} + \\text{noise},\\qquad
       \\text{noise} \\sim U(-0.25, 0.25) $$

    on an 11 × 11 grid with $x, y \\in \\{-5 \\dots 5\\}\\cdot 2\\pi/5$.
  `),
  code('subslide', `
    const nx = 5, ny = 5;
    const xs = Array.from({ length: 2 * nx + 1 }, (_, i) => ((i - nx) / nx) * 2 * Math.PI);
    const ys = Array.from({ length: 2 * ny + 1 }, (_, i) => ((i - ny) / ny) * 2 * Math.PI);
    const uniform = (lo: number, hi: number) => lo + (hi - lo) * Math.random();

    const crossIm = NDArray.zeros([ys.length, xs.length]);
    ys.forEach((y, r) =>
      xs.forEach((x, c) => {
        const xy = x * y;
        crossIm.set((1.5 * Math.abs(Math.cos(xy))) / (Math.abs(xy) + (3 * Math.PI) / nx) + uniform(-0.25, 0.25), r, c);
      }),
    );

    const [fig, ax] = subplots(1, 2, { figsize: [7, 3] });
    ax[0].imshow(crossIm, { cmap: 'hot' });
    ax[1].hist(crossIm.data, { bins: 10 });
    fig
  `),
  md('slide', `
    ## Applying the threshold
    A deceptively simple operation:

    $$ s(x,y) = \\begin{cases} 1, & f(x,y) \\geq 0.4 \\\\ 0, & f(x,y) < 0.4 \\end{cases} $$

    Green squares mark the pixels above the threshold; the red line shows where the threshold
    cuts the histogram.
  `),
  code('subslide', `
    const threshold = 0.4;
    const threshImg = crossIm.gt(threshold);

    // positions of the pixels above the threshold (squares drawn slightly inside)
    const hitX: number[] = [], hitY: number[] = [];
    threshImg.data.forEach((v, i) => {
      if (v) {
        hitX.push(xs[i % xs.length] * 0.9);
        hitY.push(ys[Math.floor(i / xs.length)] * 0.9);
      }
    });

    const [fig, ax] = subplots(1, 2, { figsize: [8, 4] });
    ax[0].imshow(crossIm, { cmap: 'hot', extent: [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] });
    ax[0].plot(hitX, hitY, 's', { color: 'green', alpha: 0.5, markersize: 15, label: 'Threshold' });
    ax[0].legend({ fontsize: 8 });
    ax[1].hist(crossIm.data, { bins: 10 });
    ax[1].axvline(threshold, { color: 'r', label: 'Threshold' });
    ax[1].legend({ fontsize: 8 });
    fig
  `),
  md('notes', `
    Run the cell above a few times: the noise is drawn again each time, and pixels near 0.4 flip
    between the classes. That is the whole problem of segmentation in a nutshell.
  `),

  // ---- noise and SNR
  md('slide', `
    ## Noise and signal-to-noise ratio
    A detector counts neutrons; counts follow a **Poisson** distribution, whose variance equals
    its mean $N$. The signal-to-noise ratio

    $$ \\text{SNR} = \\frac{E[x]}{s[x]} \\approx \\frac{N}{\\sqrt{N}} = \\sqrt{N} $$

    grows only with the square root of the counts: four times the exposure for twice the SNR.
  `),
  code('subslide', `
    // Poisson counts: exact (Knuth) for small means, normal approximation for large ones
    function poisson(lambda: number): number {
      if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian()));
      const L = Math.exp(-lambda);
      let k = 0, p = 1;
      do { k++; p *= Math.random(); } while (p > L);
      return k - 1;
    }
    function gaussian(): number {
      return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
    }

    // a disc that lets half the beam through, imaged with 10, 100 and 1000 counts per pixel
    const side = 64;
    const [fig, ax] = subplots(1, 3, { figsize: [12, 4] });
    [10, 100, 1000].forEach((N, i) => {
      const img = NDArray.zeros([side, side]);
      for (let r = 0; r < side; r++)
        for (let c = 0; c < side; c++) {
          const inDisc = (r - 32) ** 2 + (c - 32) ** 2 < 20 ** 2;
          img.set(poisson(N * (inDisc ? 0.5 : 1)), r, c);
        }
      const openBeam = img.slice([0, 10], null); // the top rows see the open beam
      ax[i].imshow(img, { cmap: 'gray' });
      ax[i].setTitle(\`N = \${N}: SNR \${(openBeam.mean() as number / openBeam.std()).toFixed(1)}, √N = \${Math.sqrt(N).toFixed(1)}\`);
      ax[i].axis('off');
    });
    fig
  `),

  // ---- problematic segmentation
  md('slide', `
    ## When segmentation gets hard
    - **Overlapping classes**: two materials with almost the same $\\mu$ give overlapping
      histograms; no threshold separates them.
    - **Camouflage**: like animals painted into a forest, objects may only be recognisable from
      their shape and context, not from their grey level.
    - **Artefacts**: spots, lines and rings look like structures but are not.
    - **Inhomogeneous contrast**: the same material has different grey levels in different
      places.

    Machine learning helps when the decision needs more than one grey level per pixel.
  `),

  // ---- limited data
  md('slide', `
    # Part 2 · The limited data problem
    Data can be limited in several ways:
    - **few images**: beam time is precious, samples are unique, experiments take hours;
    - **unbalanced classes**: the interesting class covers 1 % of the pixels;
    - **little or no ground truth**: someone has to mark the classes by hand.
  `),
  md('subslide', `
    ### Separable or not?
    One feature, two classes, each with a normal distribution. When the distributions are far
    apart, any threshold between them works; when they overlap, every threshold misclassifies
    some pixels, and the smaller class suffers most.
  `),
  code('subslide', `
    const gaussPdf = (x: number, mean: number, sd: number) =>
      Math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
    const feature = Array.from({ length: 401 }, (_, i) => -4 + i * 0.03);

    const cases = [
      { title: 'Separated classes', second: 6 },
      { title: 'Overlapping classes', second: 1.5 },
    ];
    const [fig, ax] = subplots(1, 2, { figsize: [10, 3.5] });
    cases.forEach(({ title, second }, i) => {
      ax[i].plot(feature, feature.map((x) => gaussPdf(x, 0, 1)), { label: 'class A' });
      ax[i].plot(feature, feature.map((x) => gaussPdf(x, second, 1)), { label: 'class B' });
      ax[i].axvline(second / 2, { color: 'gray', linestyle: '--', label: 'threshold' });
      ax[i].setTitle(title);
      ax[i].setXlabel('feature value');
      ax[i].setYlabel('probability density');
      ax[i].legend();
    });
    fig
  `),
  md('slide', `
    ## Making the most of little data
    - **Augmentation**: flips, rotations, noise and intensity changes turn one labelled image into
      many training samples.
    - **Simulation**: synthetic images come with a perfect ground truth — but the model may learn
      the simulator's quirks.
    - **Transfer learning**: start from a network trained on a related, larger data set (for
      example medical images) and fine-tune on the few neutron images.
    - **Recycling**: annotated data from earlier experiments at the same beamline.

    The next notebook starts with methods that need no labels at all.
  `),
];
