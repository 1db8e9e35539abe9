/**
 * Errors stay visible in notebooks run through the tslab kernel:
 * - scripts/nbexec.py (the project's runner): after a cell that fails with errors allowed (a
 *   `raises-exception` cell, or --allow-errors), every later cell still runs; tslab 1.0.22 used to
 *   cancel them silently (its 200 ms queue reset).
 * - scripts/kernel-preload.cjs (loaded by the kernelspec): the kernel itself honours
 *   `stop_on_error: false` (nbconvert --allow-errors), still stops queued cells after an error
 *   when asked to, and shows an unawaited rejected Promise in its cell's output.
 * Each test starts real kernels from a temporary kernelspec folder (the project's .kernel is
 * left alone).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needs } from './helpers/needs.js';

const ROOT = resolve(import.meta.dirname, '..');
const PY = process.env.NSEG_PYTHON ?? '/usr/bin/python3';
const TSLAB = join(ROOT, 'node_modules', '.bin', 'tslab');
const PRELOAD = join(ROOT, 'scripts', 'kernel-preload.cjs');
const dir = mkdtempSync(join(tmpdir(), 'nbexec-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hasJupyter(): boolean {
  return spawnSync(PY, ['-c', 'import nbclient, nbformat, jupyter_client'], { stdio: 'ignore' }).status === 0;
}

// Two kernelspecs: tslab as installed, and tslab with the preload (what scripts/install/kernel.ts writes).
const kernels = join(dir, 'share');
for (const [name, nodeOptions] of [
  ['tslab-stock', '--max-old-space-size=2048'],
  ['tslab-preload', `--max-old-space-size=2048 --require ${JSON.stringify(PRELOAD)}`],
] as const) {
  mkdirSync(join(kernels, 'kernels', name), { recursive: true });
  writeFileSync(
    join(kernels, 'kernels', name, 'kernel.json'),
    JSON.stringify({ argv: [TSLAB, 'kernel', '--config-path', '{connection_file}'], display_name: name, language: 'typescript', env: { NODE_OPTIONS: nodeOptions } }),
  );
}
const env = { ...process.env, JUPYTER_PATH: kernels };

interface Cell {
  src: string;
  tags?: string[];
}

function notebook(name: string, cells: Cell[]): string {
  const p = join(dir, `${name}.ipynb`);
  const nb = {
    cells: cells.map((c) => ({ cell_type: 'code', execution_count: null, metadata: c.tags ? { tags: c.tags } : {}, outputs: [], source: c.src })),
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(p, JSON.stringify(nb));
  return p;
}

type Outputs = { execution_count: number | null; outputs: { output_type: string; name?: string; text?: string | string[]; ename?: string }[] }[];

const text = (cells: Outputs, i: number): string =>
  cells[i]!.outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? o.ename ?? '')).join('');

/** Runs scripts/nbexec.py; returns its JSON report, exit status and the executed cells. */
function nbexec(src: string, kernel: string, extra: string[] = []): { status: number | null; report: Record<string, unknown>; cells: Outputs } {
  const dst = src.replace(/\.ipynb$/, `.${kernel}.out.ipynb`);
  const r = spawnSync(PY, [join(ROOT, 'scripts', 'nbexec.py'), src, dst, '--timeout', '120', '--kernel', kernel, ...extra], { encoding: 'utf8', env, timeout: 300_000 });
  const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  return { status: r.status, report, cells: (JSON.parse(readFileSync(dst, 'utf8')) as { cells: Outputs }).cells };
}

const TEACHING: Cell[] = [
  { src: 'const a = 41;' },
  { src: "throw new Error('shown on purpose');", tags: ['raises-exception'] },
  { src: "console.log('after', a + 1);" },
  { src: "console.log('later');" },
  { src: "console.log('last');" },
];

describe('scripts/nbexec.py: an allowed error does not silently skip the cells after it', () => {
  it('a raises-exception cell, then three cells: all run (stock tslab kernel)', (ctx) => {
    needs(ctx, 'Jupyter (nbclient, nbformat, jupyter_client) in the reference Python', hasJupyter());
    const r = nbexec(notebook('teaching', TEACHING), 'tslab-stock');
    expect(r.status, JSON.stringify(r.report)).toBe(0);
    expect(r.report.ok).toBe(true);
    expect(r.report.error_cells).toEqual([1]);
    expect(text(r.cells, 1)).toMatch(/shown on purpose/);
    expect(text(r.cells, 2)).toBe('after 42\n');
    expect(text(r.cells, 3)).toBe('later\n');
    expect(text(r.cells, 4)).toBe('last\n');
    expect(r.cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
  });

  it('--allow-errors keeps going after an untagged failing cell; without it the run stops there', (ctx) => {
    needs(ctx, 'Jupyter (nbclient, nbformat, jupyter_client) in the reference Python', hasJupyter());
    const cells: Cell[] = [{ src: "throw new Error('first');" }, { src: "throw new Error('second');" }, { src: "console.log('end');" }];
    const allowed = nbexec(notebook('allow', cells), 'tslab-stock', ['--allow-errors']);
    expect(allowed.status).toBe(0);
    expect(allowed.report.error_cells).toEqual([0, 1]);
    expect(text(allowed.cells, 2)).toBe('end\n');
    const strict = nbexec(notebook('strict', cells), 'tslab-stock');
    expect(strict.status).toBe(1);
    expect(strict.report.failed_cell).toBe(0);
  });
});

/** Runs cells with nbclient as `jupyter nbconvert --execute --allow-errors` does. */
const NBCLIENT = `
import sys, json, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name=sys.argv[2], allow_errors=True, timeout=120).execute()
print(json.dumps([{'execution_count': c.execution_count, 'outputs': c.outputs} for c in nb.cells]))
`;

/** Sends every request at once (as JupyterLab's "run all" does) and returns the reply statuses. */
const BURST = `
import sys, json, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name=sys.argv[1])
try:
    stop = sys.argv[2] == 'stop'
    ids = [kc.execute(c, stop_on_error=stop) for c in ["throw new Error('x');", "1 + 1;", "2 + 2;"]]
    replies = {}
    while len(replies) < len(ids):
        m = kc.get_shell_msg(timeout=60)
        if m['msg_type'] == 'execute_reply' and m['parent_header'].get('msg_id') in ids:
            replies[m['parent_header']['msg_id']] = m['content'].get('status')
    print(json.dumps([replies[i] for i in ids]))
finally:
    kc.stop_channels(); km.shutdown_kernel(now=True)
`;

describe('scripts/kernel-preload.cjs: the kernel keeps errors visible', () => {
  it('nbconvert-style --allow-errors: every later cell runs (stock tslab skipped them)', (ctx) => {
    needs(ctx, 'Jupyter (nbclient, nbformat, jupyter_client) in the reference Python', hasJupyter());
    const nb = notebook('nbconvert', TEACHING.map((c) => ({ src: c.src })));
    const run = (kernel: string): Outputs => JSON.parse(execFileSync(PY, ['-c', NBCLIENT, nb, kernel], { encoding: 'utf8', env, timeout: 300_000 }).trim().split('\n').pop()!) as Outputs;
    const fixed = run('tslab-preload');
    expect(text(fixed, 2)).toBe('after 42\n');
    expect(text(fixed, 4)).toBe('last\n');
    // The problem it fixes is still there without it (if tslab ever fixes it, drop the preload).
    const stock = run('tslab-stock');
    expect(text(stock, 2)).toBe('');
    expect(text(stock, 4)).toBe('');
  });

  it('a failure still cancels the queued cells when the client asks for stop_on_error', (ctx) => {
    needs(ctx, 'Jupyter (nbclient, nbformat, jupyter_client) in the reference Python', hasJupyter());
    const burst = (mode: string): string[] =>
      JSON.parse(execFileSync(PY, ['-c', BURST, 'tslab-preload', mode], { encoding: 'utf8', env, timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!) as string[];
    expect(burst('stop')).toEqual(['error', 'abort', 'abort']);
    expect(burst('go')).toEqual(['error', 'ok', 'ok']);
  });

  it('an unawaited rejected Promise shows in its cell (stock tslab lost it)', (ctx) => {
    needs(ctx, 'Jupyter (nbclient, nbformat, jupyter_client) in the reference Python', hasJupyter());
    const cells: Cell[] = [{ src: "Promise.reject(new Error('lost rejection')); console.log('cell ran');" }, { src: "console.log('next');" }];
    const fixed = nbexec(notebook('unawaited', cells), 'tslab-preload');
    expect(text(fixed.cells, 0)).toMatch(/cell ran\n[\s\S]*UnhandledPromiseRejection: Error: lost rejection/);
    expect(fixed.report.stderr_cells).toEqual([0]);
    expect(text(fixed.cells, 1)).toBe('next\n');
    const stock = nbexec(notebook('unawaited-stock', cells), 'tslab-stock');
    expect(text(stock.cells, 0)).toBe('cell ran\n');
  });

  it('matches the installed tslab, and does nothing outside a kernel', () => {
    // patch() checks the tslab internals it wraps; false means a tslab upgrade changed them.
    const patched = execFileSync(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(PRELOAD)}).patch()))`], { cwd: ROOT, encoding: 'utf8' });
    expect(patched).toBe('true');
    const inert = spawnSync(process.execPath, ['--require', PRELOAD, '-e', "console.log('plain node')"], { encoding: 'utf8' });
    expect(inert.stdout).toBe('plain node\n');
    expect(inert.stderr).toBe('');
  });
});
