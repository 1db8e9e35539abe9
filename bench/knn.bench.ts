/**
 * The lecture's spot task with 1-NN: features (f, |f − median3(f)|) of the radiograph
 * data/spots/mixture12_00001.fits, labels from its annotation; train on columns 0..999
 * (2048 × 1000 pixels), predict columns 1000..2047 (2048 × 1048 pixels). KNN (fit +
 * predict) vs scikit-learn 1.2 KNeighborsClassifier(1) on the same .npy files in the same
 * run. Agreement: fraction of equal predictions (they differ only at equidistant
 * neighbours, see lib/classify/knn.ts). Target: ours ≤ 1/10 of scikit-learn's time.
 * Without the data files (run `npm run data`) a Poisson image with spikes is synthesised.
 * scikit-learn's prediction takes about a minute on an idle 2-core machine.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../lib/core/ndarray.js';
import { KNN } from '../lib/classify/index.js';
import { spotMaskFromAnnotation } from '../lib/data/index.js';
import { absDiff, medianFilter } from '../lib/filters/index.js';
import { readFits, readNpy, readPng, writeNpy } from '../lib/io/index.js';
import { pythonHas, runPython } from '../test/helpers/python.js';
import { printTable } from './util.js';

const N = 2048;
const TRAIN_COLS = 1000;

function synthSpots(): { image: NDArray; mask: NDArray } {
  let s = 2018;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const poisson = (lam: number) => Math.max(0, Math.round(lam + Math.sqrt(lam) * Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd())));
  const image = NDArray.zeros([N, N], 'uint16');
  const mask = NDArray.zeros([N, N], 'uint8');
  for (let i = 0; i < N * N; i++) {
    const r = (i / N) | 0;
    const c = i % N;
    let v = poisson(300 * (1 + 0.3 * Math.sin(c / 300) * Math.cos(r / 400)));
    if (rnd() < 0.0093) {
      v += 50 + Math.floor(rnd() * 3000);
      mask.data[i] = 1;
    }
    image.data[i] = Math.min(65535, v);
  }
  return { image, mask };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-knn-'));
try {
  const fits = 'data/spots/mixture12_00001.fits';
  const png = 'data/spots/mixture12_00001.png';
  const real = existsSync(fits) && existsSync(png);
  const { image, mask } = real ? { image: readFits(fits), mask: spotMaskFromAnnotation(readPng(png)) } : synthSpots();
  const f = image.astype('float32');
  const d = absDiff(f, medianFilter(f, 3));
  const testCols = N - TRAIN_COLS;
  const train = NDArray.zeros([N * TRAIN_COLS, 2], 'float32');
  const ytrain = NDArray.zeros([N * TRAIN_COLS], 'uint8');
  const test = NDArray.zeros([N * testCols, 2], 'float32');
  for (let r = 0; r < N; r++) {
    for (let c = 0; c < N; c++) {
      const i = r * N + c;
      if (c < TRAIN_COLS) {
        const t = r * TRAIN_COLS + c;
        train.data[2 * t] = f.data[i]!;
        train.data[2 * t + 1] = d.data[i]!;
        ytrain.data[t] = mask.data[i]! ? 1 : 0;
      } else {
        const t = r * testCols + c - TRAIN_COLS;
        test.data[2 * t] = f.data[i]!;
        test.data[2 * t + 1] = d.data[i]!;
      }
    }
  }
  console.log(`data: ${real ? fits : 'synthesised Poisson image with spikes'}; train ${train.shape.join(' × ')}, predict ${test.shape.join(' × ')}`);
  const c0 = process.cpuUsage();
  let t0 = performance.now();
  const knn = new KNN(train, ytrain, { k: 1 });
  const fitWall = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const pred = knn.predict(test);
  const predWall = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const oursCpu = (cu.user + cu.system) / 1e6;
  console.log(`distinct training points: ${knn.nDistinct} of ${knn.nSamples}`);
  const oursWall = fitWall + predWall;
  if (!pythonHas('sklearn')) {
    printTable(['step', 'ours wall (s)'], [['fit', fitWall], ['predict', predWall]]);
  } else {
    writeNpy(join(dir, 'tr.npy'), train);
    writeNpy(join(dir, 'y.npy'), ytrain);
    writeNpy(join(dir, 'te.npy'), test);
    const py = JSON.parse(
      runPython(
        `
import sys, time, json, numpy as np
from sklearn.neighbors import KNeighborsClassifier
d = sys.argv[1]
tr, y, te = np.load(d + '/tr.npy'), np.load(d + '/y.npy'), np.load(d + '/te.npy')
c0 = time.process_time(); t0 = time.perf_counter()
m = KNeighborsClassifier(1).fit(tr, y); t1 = time.perf_counter()
p = m.predict(te); t2 = time.perf_counter(); c = time.process_time() - c0
np.save(d + '/pred.npy', p.astype(np.uint8))
print(json.dumps({'fit': t1 - t0, 'predict': t2 - t1, 'cpu': c}))
`,
        [dir],
        3_600_000,
      )
        .trim()
        .split('\n')
        .pop()!,
    ) as { fit: number; predict: number; cpu: number };
    const ref = readNpy(join(dir, 'pred.npy'));
    let same = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === ref.data[i]) same++;
    const skWall = py.fit + py.predict;
    printTable(
      ['step', 'ours wall (s)', 'sklearn 1.2 wall (s)', 'wall ratio', 'ours CPU (s)', 'sklearn CPU (s)', 'CPU ratio', 'equal predictions'],
      [
        ['fit', fitWall, py.fit, fitWall / py.fit, '', '', '', ''],
        ['predict', predWall, py.predict, predWall / py.predict, '', '', '', ''],
        ['fit + predict', oursWall, skWall, oursWall / skWall, oursCpu, py.cpu, oursCpu / py.cpu, `${((100 * same) / pred.length).toFixed(4)} %`],
      ],
    );
    console.log(`\ntarget fit + predict ≤ 1/10 of scikit-learn's: ratio ${(oursWall / skWall).toFixed(4)} ${oursWall <= skWall / 10 ? 'met' : 'NOT met'}; ${pred.length - same} of ${pred.length} predictions differ (equidistant neighbours)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
