/**
 * Writes the lecture and exercise notebooks from their source scripts in this folder.
 * Overwrites the notebooks in notebooks/ (they are the source students edit; see nb.ts).
 *
 *   npx tsx scripts/notebooks-src/build.ts          # all of them
 *   npx tsx scripts/notebooks-src/build.ts 03 ex2   # only those whose file names contain 03 or ex2
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeNotebook, type Cell } from './nb.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const filters = process.argv.slice(2);
const sources = readdirSync(here)
  .filter((f) => /^(\d\d|ex\d)-.*\.ts$/.test(f))
  .sort();
interface LectureSource {
  file: string;
  title: string;
  cells: Cell[];
}
interface ExerciseSource {
  files: { exercise: string; solution: string };
  title: string;
  exerciseCells: Cell[];
  solutionCells: Cell[];
}

for (const src of sources) {
  const mod = (await import(pathToFileURL(join(here, src)).href)) as LectureSource | ExerciseSource;
  const outputs: [string, string, Cell[]][] =
    'files' in mod
      ? [
          [mod.files.exercise, mod.title, mod.exerciseCells],
          [mod.files.solution, `${mod.title} (solution)`, mod.solutionCells],
        ]
      : [[mod.file, mod.title, mod.cells]];
  for (const [file, title, cells] of outputs) {
    if (filters.length && !filters.some((w) => file.includes(w) || src.includes(w))) continue;
    const out = join(root, 'notebooks', file);
    writeNotebook(out, title, cells);
    console.log(`wrote ${out} (${cells.length} cells)`);
  }
}
