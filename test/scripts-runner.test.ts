/**
 * The headless notebook runner (scripts/nbexec.py through the project's tslab kernel) and the
 * CI count line: a failing cell is reported with its index and error, outputs are kept up to it,
 * and scripts/ci-count.mjs prints "N passed, M failed, K skipped" from the real counts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { ROOT, ensureLibAndKernel, jupyterEnv } from '../scripts/jupyter.js';
import { notebookDependencies, runNotebooksParallel } from '../scripts/run-notebooks.js';
import { needs } from './helpers/needs.js';
import { PYTHON, pythonHas } from './helpers/python.js';

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (neutron-seg)', language: 'typescript' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
  });
}

const needsJupyter = (ctx: TestContext): void => needs(ctx, 'Jupyter (nbclient) in the project Python', pythonHas('nbclient', 'nbformat'));

describe('notebook runner (needs Jupyter nbclient)', () => {
  beforeEach(needsJupyter);
  it('stops at the first failing cell and names it', () => {
    ensureLibAndKernel();
    const dir = mkdtempSync(join(tmpdir(), 'nseg-runner-'));
    const src = join(dir, 'in.ipynb');
    const dst = join(dir, 'out.ipynb');
    writeFileSync(src, notebook(['const a: number = 20;\na + 22', "throw new Error('boom in cell 1')", 'a * 2']));
    const r = spawnSync(PYTHON, [join(ROOT, 'scripts', 'nbexec.py'), src, dst, '--timeout', '120'], {
      env: jupyterEnv(),
      encoding: 'utf8',
      timeout: 180_000,
    });
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; failed_cell: number; evalue: string };
    expect(r.status).not.toBe(0);
    expect(report.ok).toBe(false);
    expect(report.failed_cell).toBe(1);
    expect(report.evalue).toContain('boom in cell 1');
    const out = JSON.parse(readFileSync(dst, 'utf8')) as {
      cells: { execution_count: number | null; outputs: { data?: Record<string, string>; text?: string }[] }[];
    };
    // tslab shows a cell's last value as a stream or as text/plain, depending on its type.
    expect(JSON.stringify(out.cells[0]!.outputs)).toContain('42');
    // prompt numbers as in a notebook run by hand: In [1], In [2]; the cell not reached has none
    expect(out.cells.map((c) => c.execution_count)).toEqual([1, 2, null]);
    expect(out.cells[2]!.outputs).toEqual([]);
  });

  it('reports TypeScript compile errors of a cell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nseg-runner-'));
    const src = join(dir, 'in.ipynb');
    writeFileSync(src, notebook(["const s: number = 'text';"]));
    const r = spawnSync(PYTHON, [join(ROOT, 'scripts', 'nbexec.py'), src, join(dir, 'out.ipynb')], {
      env: jupyterEnv(),
      encoding: 'utf8',
      timeout: 180_000,
    });
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; failed_cell: number; evalue: string };
    expect(report.ok).toBe(false);
    expect(report.failed_cell).toBe(0);
    expect(report.evalue).toMatch(/not assignable/);
  });
});

describe('parallel runner (needs Jupyter nbclient)', () => {
  beforeEach(needsJupyter);
  it('runs two notebooks at once, a dependent one after its dependency, and reports each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nseg-par-'));
    const log = join(dir, 'times.log');
    // each notebook logs when its cell starts and ends; b reads a's results, so it waits for a
    const cell = (name: string, extra = ''): string =>
      `import * as fs from 'node:fs';\nfs.appendFileSync(${JSON.stringify(log)}, '${name} start ' + Date.now() + '\\n');\n` +
      `await new Promise((r) => setTimeout(r, 1500));${extra}\nfs.appendFileSync(${JSON.stringify(log)}, '${name} end ' + Date.now() + '\\n');`;
    writeFileSync(join(dir, 'a.ipynb'), notebook([cell('a')]));
    writeFileSync(join(dir, 'b.ipynb'), notebook([cell('b', " // reads '../build/results/a.json'")]));
    writeFileSync(join(dir, 'c.ipynb'), notebook([cell('c')]));
    writeFileSync(join(dir, 'd.ipynb'), notebook(["throw new Error('d fails')"]));
    const names = ['a.ipynb', 'b.ipynb', 'c.ipynb', 'd.ipynb'];
    expect(notebookDependencies(names, dir).get('b.ipynb')).toEqual(['a.ipynb']);
    expect(notebookDependencies(names, dir).get('c.ipynb')).toEqual([]);
    const runs = await runNotebooksParallel(names, 'quick', { jobs: 2, notebookDir: dir, outDir: join(dir, 'out'), cellTimeout: 120 });
    expect(runs.map((r) => [r.notebook, r.ok])).toEqual([
      ['a.ipynb', true],
      ['b.ipynb', true],
      ['c.ipynb', true],
      ['d.ipynb', false],
    ]);
    expect(runs[3]!.error).toContain('d fails');
    const t: Record<string, number> = {};
    for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
      const [n, what, ms] = line.split(' ');
      t[`${n} ${what}`] = Number(ms);
    }
    expect(t['b start']!).toBeGreaterThanOrEqual(t['a end']!); // the dependency finished first
    expect(t['c start']!).toBeLessThan(t['a end']!); // a and c ran side by side
    expect(JSON.parse(readFileSync(join(dir, 'out', 'c.ipynb'), 'utf8')).cells).toHaveLength(1);
  }, 300_000);
});

describe('ci-count', () => {
  const count = (dir: string, v: string, n: string, ...statuses: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'ci-count.mjs'), join(dir, v), join(dir, n), ...statuses], { encoding: 'utf8' });

  it('adds vitest and notebook counts, shows skipped tests with what they need, and fails on a failed run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nseg-ci-'));
    writeFileSync(
      join(dir, 'v.json'),
      JSON.stringify({
        numPassedTests: 7,
        numFailedTests: 1,
        numPendingTests: 2,
        numTodoTests: 1,
        testResults: [
          { status: 'failed', name: 'broken.test.ts', message: 'SyntaxError: x', assertionResults: [] },
          {
            status: 'passed',
            name: 'a.test.ts',
            assertionResults: [
              { status: 'passed', fullName: 'a works', meta: {} },
              { status: 'skipped', fullName: 'a matches numpy', meta: { needs: 'needs numpy in the reference Python (the test command installs it)' } },
              { status: 'skipped', fullName: 'a quietly', meta: {} },
              { status: 'todo', fullName: 'a later', meta: {} },
            ],
          },
        ],
      }),
    );
    writeFileSync(join(dir, 'n.json'), JSON.stringify({ passed: 3, failed: 0 }));
    const r = count(dir, 'v.json', 'n.json', '1');
    const lines = r.stdout.trim().split('\n');
    expect(lines.pop()).toBe('10 passed, 2 failed, 3 skipped');
    expect(lines).toEqual([
      'skipped: a matches numpy: needs numpy in the reference Python (the test command installs it)',
      'skipped: a quietly: skipped, no reason given',
      'skipped: a later: todo, no reason given',
    ]);
    expect(r.stderr).toContain('broken.test.ts: failed to load: SyntaxError: x');
    expect(r.status).toBe(1);
  });

  it('counts a failed command that no counted test shows, and a missing vitest report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nseg-ci-'));
    writeFileSync(join(dir, 'v.json'), JSON.stringify({ numPassedTests: 4, numFailedTests: 0, numPendingTests: 0, testResults: [] }));
    writeFileSync(join(dir, 'n.json'), JSON.stringify({ passed: 3, failed: 0 }));
    const clean = count(dir, 'v.json', 'n.json', '0', '0');
    expect(clean.stdout.trim()).toBe('7 passed, 0 failed, 0 skipped');
    expect(clean.status).toBe(0);
    // the test command failed outside the counted tests (type-check, build)
    expect(count(dir, 'v.json', 'n.json', '2', '0').stdout.trim()).toBe('7 passed, 1 failed, 0 skipped');
    // the README's first command (set-up and main job) failed: one failure of its own
    const main = count(dir, 'v.json', 'n.json', '0', '1');
    expect(main.stdout.trim()).toBe('7 passed, 1 failed, 0 skipped');
    expect(main.status).toBe(1);
    // no vitest report (type-check or build failed first): counted as a failure
    const missing = count(dir, 'missing.json', 'n.json', '0');
    expect(missing.stdout.trim()).toBe('3 passed, 1 failed, 0 skipped');
    expect(missing.status).toBe(1);
  });
});
