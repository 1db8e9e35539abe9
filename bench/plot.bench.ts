/**
 * Plot bench: a 1 × 3 figure with a 2048 × 2048 image (imshow, 10-bin histogram of the
 * same image, a 661-point line) rendered to SVG, against matplotlib's savefig(svg) of the
 * same figure on the same data. Reports time and output size (target: < 1 s, < 1 MB).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subplots } from '../lib/plot/index.js';
import { runPython } from '../test/helpers/python.js';
import { printTable, timeIt } from './util.js';

const N = 2048;
const img = new Float32Array(N * N);
let s = 12345;
for (let i = 0; i < N; i++) {
  for (let j = 0; j < N; j++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    img[i * N + j] = 2000 + 800 * Math.sin(i / 200) * Math.cos(j / 300) + 300 * (s / 2 ** 32);
  }
}
const x = Array.from({ length: 661 }, (_, i) => i);
const y = x.map((v) => Math.sin(v / 50));

let svg = '';
const render = (): void => {
  const [fig, axes] = subplots(1, 3, { figsize: [15, 5] });
  axes[0].imshow({ data: img, shape: [N, N] }, { cmap: 'gray', vmin: 0, vmax: 4000 });
  axes[1].hist({ data: img, shape: [N, N] }, { bins: 10 });
  axes[2].plot(x, y);
  svg = fig.toSVG();
};
const tTs = await timeIt(render, 5, 1);

const dir = mkdtempSync(join(tmpdir(), 'plotbench-'));
writeFileSync(join(dir, 'img.f32'), Buffer.from(img.buffer));
const out = runPython(
  `import sys, time, os, numpy as np
import matplotlib; matplotlib.use('svg')
import matplotlib.pyplot as plt
d = sys.argv[1]
img = np.fromfile(os.path.join(d, 'img.f32'), dtype=np.float32).reshape(2048, 2048)
x = np.arange(661); y = np.sin(x / 50)
def run():
    fig, axes = plt.subplots(1, 3, figsize=(15, 5))
    axes[0].imshow(img, cmap='gray', vmin=0, vmax=4000)
    axes[1].hist(img.ravel(), bins=10)
    axes[2].plot(x, y)
    fig.tight_layout()
    fig.savefig(os.path.join(d, 'mpl.svg'))
    plt.close(fig)
run()
ts = []
for _ in range(3):
    t0 = time.perf_counter(); run(); ts.append(time.perf_counter() - t0)
print(sorted(ts)[1])`,
  [dir],
);
const tPy = Number(out.trim().split('\n').pop());
const pySize = readFileSync(join(dir, 'mpl.svg')).length;
rmSync(dir, { recursive: true, force: true });

printTable(
  ['operation', 'neutron-seg (s)', 'matplotlib 3.6 (s)', 'ratio', 'SVG size TS (KB)', 'SVG size mpl (KB)'],
  [['1×3 figure, 2048² imshow + hist + plot → SVG', tTs, tPy, tTs / tPy, svg.length / 1024, pySize / 1024]],
);
console.log(`targets: time < 1 s (${tTs < 1 ? 'met' : 'MISSED'}), size < 1 MB (${svg.length < 1_000_000 ? 'met' : 'MISSED'})`);
