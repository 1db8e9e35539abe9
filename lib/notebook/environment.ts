/**
 * What a student checks first: kernel, Node and package versions, and the machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages the project is built on (the users' list, plus what fills their gaps). */
export const PROJECT_PACKAGES = [
  'tslab',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-node',
  'webgpu',
  'nodeplotlib',
  'danfojs-node',
  'fitsjs',
  'ml-kmeans',
  'ml-knn',
  'pngjs',
  'd3-scale',
] as const;

/**
 * The installed version of a package, found by walking up node_modules folders from this
 * module; null when it is not installed. An npm alias (danfojs' redirected tfjs-node) is
 * reported as `alias of NAME@VERSION`.
 *
 * @param name package name
 * @example
 *   packageVersion('ml-kmeans'); // '7.0.1'
 */
export function packageVersion(name: string): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      return pkg.name && pkg.name !== name ? `alias of ${pkg.name}@${pkg.version}` : pkg.version ?? null;
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** One row of the environment report. */
export interface EnvironmentRow {
  item: string;
  value: string;
}

/**
 * The environment report: Node, the kernel, the machine, and each project package's version.
 *
 * @returns rows of item and value ('not installed' where missing)
 * @example
 *   showTable(['item', 'value'], environmentReport().map((r) => [r.item, r.value]));
 */
export function environmentReport(): EnvironmentRow[] {
  const rows: EnvironmentRow[] = [
    { item: 'Node.js', value: process.version },
    { item: 'platform', value: `${process.platform} ${process.arch}` },
    { item: 'CPU cores', value: String(cpus().length) },
    { item: 'memory', value: `${(totalmem() / 2 ** 30).toFixed(1)} GiB` },
    { item: 'run profile (NSEG_PROFILE)', value: process.env.NSEG_PROFILE ?? 'lecture (default)' },
  ];
  for (const name of PROJECT_PACKAGES) rows.push({ item: name, value: packageVersion(name) ?? 'not installed' });
  return rows;
}
