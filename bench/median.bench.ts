/**
 * 3×3 (and 5×5) median on a 2048×2048 float32 image: medianFilter vs
 * skimage.filters.median (scipy.ndimage.median_filter) on the same image (written as .npy),
 * in the same run. Both sides report the median of several runs after a warm-up, as wall
 * time and as CPU time of the process (the CPU ratio is the steadier one on a shared 2-core
 * machine; both libraries are single-threaded here). The outputs are compared element by
 * element. Target: ours ≤ 0.5 × scikit-image's 3×3 time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../lib/core/ndarray.js';
import { medianFilter } from '../lib/filters/index.js';
import { readNpy, writeNpy } from '../lib/io/index.js';
import { runPython } from '../test/helpers/python.js';
import { printTable, timeBoth } from './util.js';


const N = 2048;
const REPS = 5;
const dir = mkdtempSync(join(tmpdir(), 'bench-median-'));
try {
  let s = 2018;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const img = NDArray.zeros([N, N]);
  for (let i = 0; i < N * N; i++) {
    const r = (i / N) | 0;
    const c = i % N;
    img.data[i] = 1000 + 400 * Math.sin(r / 40) * Math.cos(c / 55) + 60 * rnd() + (rnd() < 0.01 ? 5000 * rnd() : 0);
  }
  const file = join(dir, 'img.npy');
  writeNpy(file, img);

  const rows: (string | number)[][] = [];
  for (const size of [3, 5]) {
    const ours = timeBoth(() => medianFilter(img, size), REPS);
    const out = join(dir, `ref${size}.npy`);
    const py = JSON.parse(
      runPython(
        `
import sys, time, json, numpy as np
from skimage.filters import median
a = np.load(sys.argv[1]); k = int(sys.argv[2]); fp = np.ones((k, k), dtype=bool)
median(a, fp)
walls, cpus = [], []
for _ in range(${REPS}):
    t0 = time.perf_counter(); c0 = time.process_time(); m = median(a, fp)
    cpus.append(time.process_time() - c0); walls.append(time.perf_counter() - t0)
np.save(sys.argv[3], m)
print(json.dumps({'wall': sorted(walls)[len(walls) // 2], 'cpu': sorted(cpus)[len(cpus) // 2]}))
`,
        [file, String(size), out],
      )
        .trim()
        .split('\n')
        .pop()!,
    ) as { wall: number; cpu: number };
    const ref = readNpy(out);
    const mine = medianFilter(img, size);
    let diff = 0;
    for (let i = 0; i < ref.size; i++) if (ref.data[i] !== mine.data[i]) diff++;
    rows.push([
      `${size}×${size} median, ${N}×${N} float32`,
      ours.wall,
      py.wall,
      ours.wall / py.wall,
      ours.cpu,
      py.cpu,
      ours.cpu / py.cpu,
      diff === 0 ? 'identical' : `${diff} differ`,
    ]);
  }
  printTable(
    ['case', 'ours wall (s)', 'skimage 0.19 wall (s)', 'wall ratio', 'ours CPU (s)', 'skimage CPU (s)', 'CPU ratio', 'output'],
    rows,
  );
  const r3 = rows[0]![3] as number;
  const c3 = rows[0]![6] as number;
  console.log(`\n3×3 target ratio ≤ 0.5: wall ${r3.toFixed(3)} ${r3 <= 0.5 ? 'met' : 'NOT met'}, CPU ${c3.toFixed(3)} ${c3 <= 0.5 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
