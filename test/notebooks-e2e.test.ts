/**
 * End-to-end: a student's path through a real Jupyter front end.
 *
 * Starts the classic Notebook server (Debian's `jupyter-notebook`; `python3 -m notebook`)
 * with the project's tslab kernel on JUPYTER_PATH, token-less on a free local port, opens a
 * lecture notebook in headless Chromium (playwright-core driving the system Chromium), runs
 * every cell from the menu (Cell → Run All), waits until the kernel is idle and every code
 * cell has its execution count, and checks that figures appear in the page and no error
 * output does. It then re-runs one cell from the keyboard (Shift+Enter), the way a student
 * edits and re-runs a cell, and checks the kernel accepts the re-declarations.
 *
 * The notebook is copied to build/e2e/ first, so the UI's autosave never writes outputs
 * into the source notebook (node resolves 'neutron-seg' from there as well).
 *
 * Needs the classic Notebook in the project's Python and Chromium (`npm test` installs both):
 * without them each test is skipped with what it needs, or fails under CI (test/helpers/needs.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, ensureLibAndKernel, jupyterEnv } from '../scripts/jupyter.js';
import { projectChromium } from '../scripts/install/record.js';
import { needs } from './helpers/needs.js';
import { PYTHON, pythonHas } from './helpers/python.js';

const NOTEBOOK = '01-introduction.ipynb';
const CHROMIUM = projectChromium();

let missingWhat: string | null | undefined;
/** What this test needs and lacks (memoised), or null. */
function missing(): string | null {
  if (missingWhat === undefined) {
    if (!pythonHas('notebook', 'nbformat')) missingWhat = `the classic Jupyter Notebook (python -m notebook) in ${PYTHON}`;
    else if (CHROMIUM === null || !existsSync(CHROMIUM)) missingWhat = `Chromium (${CHROMIUM ?? 'none found; NSEG_CHROMIUM picks one'})`;
    else missingWhat = null;
  }
  return missingWhat;
}

/** True when nothing listens on the port (we can bind it on 127.0.0.1). */
function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

/** The first free port from 8931 on (a fixed search, so a stuck run is easy to find). */
async function freePort(): Promise<number> {
  for (let p = 8931; p < 8999; p++) if (await portFree(p)) return p;
  throw new Error('no free port in 8931..8998 for the Jupyter server');
}

async function waitForServer(url: string, proc: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (proc.exitCode !== null) throw new Error(`Jupyter server exited (${proc.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Jupyter server did not answer at ${url} within ${timeoutMs / 1000} s:\n${log()}`);
}

describe(
  `notebooks e2e: ${NOTEBOOK} run from the Notebook UI in headless Chromium`,
  () => {
    let server: ChildProcess | undefined;
    let serverLog = '';
    let tmp = '';
    let base = '';
    // playwright-core types, loaded lazily so the file imports even where it is absent
    let browser: import('playwright-core').Browser | undefined;
    let page: import('playwright-core').Page | undefined;
    const pageErrors: string[] = [];

    beforeEach((ctx) => needs(ctx, missing() ?? '', missing() === null));

    beforeAll(async () => {
      if (missing() !== null) return; // each test is then skipped (or fails under CI) with the reason
      ensureLibAndKernel();
      const e2eDir = join(ROOT, 'build', 'e2e');
      mkdirSync(e2eDir, { recursive: true });
      copyFileSync(join(ROOT, 'notebooks', NOTEBOOK), join(e2eDir, NOTEBOOK));
      tmp = mkdtempSync(join(tmpdir(), 'nseg-e2e-'));
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(
        PYTHON,
        [
          '-m', 'notebook', '--no-browser', `--port=${port}`, '--port-retries=0', '--ip=127.0.0.1',
          `--notebook-dir=${ROOT}`, "--NotebookApp.token=", "--NotebookApp.password=",
          '--NotebookApp.disable_check_xsrf=True',
          // containers and CI often run as root; the server refuses that without the flag
          ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
        ],
        {
          cwd: ROOT,
          // private config and runtime folders: no user settings, no stray connection files
          env: jupyterEnv({ JUPYTER_CONFIG_DIR: join(tmp, 'config'), JUPYTER_RUNTIME_DIR: join(tmp, 'runtime'), JUPYTER_DATA_DIR: join(tmp, 'data') }),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      server.stdout?.on('data', (b: Buffer) => (serverLog += b.toString()));
      server.stderr?.on('data', (b: Buffer) => (serverLog += b.toString()));
      await waitForServer(`${base}/api/status`, server, () => serverLog.slice(-3000), 60_000);

      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on('pageerror', (e) => pageErrors.push(e.message));
    }, 120_000);

    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 1500));
        if (server.exitCode === null) server.kill('SIGKILL');
      }
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    /** Waits until the kernel is idle and no code cell shows `In [*]`. */
    async function waitIdle(timeoutMs: number): Promise<void> {
      await page!.waitForFunction(
        () => {
          const J = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected?: () => boolean }; get_cells: () => { cell_type: string; input_prompt_number?: unknown }[] } } }).Jupyter;
          const nb = J?.notebook;
          if (!nb?.kernel?.is_connected?.()) return false;
          const icon = document.querySelector('#kernel_indicator_icon');
          if (!icon?.classList.contains('kernel_idle_icon')) return false;
          return nb.get_cells().every((c) => c.cell_type !== 'code' || (c.input_prompt_number !== '*' && c.input_prompt_number !== undefined && c.input_prompt_number !== null));
        },
        undefined,
        { timeout: timeoutMs, polling: 500 },
      );
    }

    it('runs all cells from the menu: figures appear, no error output', async () => {
      const p = page!;
      await p.goto(`${base}/notebooks/build/e2e/${NOTEBOOK}`, { waitUntil: 'domcontentloaded' });
      // the kernel is tslab: wait for its session to connect and go idle
      await p.waitForFunction(
        () => {
          const J = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected?: () => boolean } } } }).Jupyter;
          return !!J?.notebook?.kernel?.is_connected?.() && !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon');
        },
        undefined,
        { timeout: 90_000, polling: 500 },
      );
      const kernelName = await p.evaluate(
        () => (window as unknown as { Jupyter: { notebook: { kernel: { name: string } } } }).Jupyter.notebook.kernel.name,
      );
      expect(kernelName).toBe('tslab');

      // Cell → Run All, through the menu bar like a student
      await p.click('#celllink');
      await p.click('#run_all_cells');
      // the first code cell shows [*] or a number soon after
      await p.waitForFunction(
        () => !!document.querySelector('.code_cell .input_prompt')?.textContent?.match(/\[(\*|\d+)\]/),
        undefined,
        { timeout: 30_000 },
      );
      await waitIdle(240_000);
      mkdirSync(join(ROOT, 'build', 'e2e'), { recursive: true });
      await p.screenshot({ path: join(ROOT, 'build', 'e2e', 'run-all.png'), fullPage: false });

      const counts = await p.evaluate(() => {
        const cells = Array.from(document.querySelectorAll('.code_cell'));
        const withFigure = cells.filter((c) => c.querySelector('.output_area img, .output_area svg')).length;
        const errors = Array.from(document.querySelectorAll('.output_error, .output_stderr')).map((e) => (e.textContent ?? '').slice(0, 500));
        const executed = cells.filter((c) => /\[\d+\]/.test(c.querySelector('.input_prompt')?.textContent ?? '')).length;
        return { code: cells.length, executed, withFigure, errors };
      });
      expect(counts.errors, `error output in the page:\n${counts.errors.join('\n---\n')}`).toEqual([]);
      expect(counts.executed).toBe(counts.code);
      // 01-introduction draws at least four figures (Beer-Lambert, cross image, threshold, class overlap)
      expect(counts.withFigure).toBeGreaterThanOrEqual(4);
      expect(pageErrors).toEqual([]);
    }, 420_000);

    it('re-runs a cell from the keyboard (Shift+Enter): re-declarations are accepted', async () => {
      const p = page!;
      // the first code cell that declares something with const
      const idx = await p.evaluate(() => {
        const nb = (window as unknown as { Jupyter: { notebook: { get_cells: () => { cell_type: string; get_text: () => string }[] } } }).Jupyter.notebook;
        return nb.get_cells().findIndex((c) => c.cell_type === 'code' && /^const /m.test(c.get_text()));
      });
      expect(idx).toBeGreaterThanOrEqual(0);
      const before = await p.evaluate((i) => {
        const nb = (window as unknown as { Jupyter: { notebook: { get_cell: (i: number) => { input_prompt_number: number } } } }).Jupyter.notebook;
        return nb.get_cell(i).input_prompt_number;
      }, idx);
      const cell = p.locator('.cell').nth(idx);
      await cell.locator('.CodeMirror').click();
      await p.keyboard.press('Shift+Enter');
      await p.waitForFunction(
        ([i, b]) => {
          const nb = (window as unknown as { Jupyter: { notebook: { get_cell: (i: number) => { input_prompt_number: unknown } } } }).Jupyter.notebook;
          const n = nb.get_cell(i).input_prompt_number;
          return typeof n === 'number' && n > b;
        },
        [idx, before] as const,
        { timeout: 60_000, polling: 300 },
      );
      await waitIdle(60_000);
      const errors = await p.evaluate((i) => {
        const c = document.querySelectorAll('.cell')[i];
        return Array.from(c.querySelectorAll('.output_error, .output_stderr')).map((e) => e.textContent ?? '');
      }, idx);
      expect(errors, `re-running cell ${idx} printed errors:\n${errors.join('\n')}`).toEqual([]);
    }, 120_000);
  },
);
