/**
 * What the set-up chose, so that everything after it uses the same programs: the notebook runner,
 * `npm run lab`, the slides export, the tests and the benchmarks.
 *
 * The choice is kept in `.kernel/setup.json` (git-ignored, beside the kernelspec the set-up
 * registers): `{ "python": "/abs/path", "chromium": "/abs/path" }`. An environment variable
 * overrides it (`NSEG_PYTHON`, `NSEG_CHROMIUM`); without either, the first that exists of the
 * usual places is used, so a test run on a machine set up by hand still finds its tools.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, which } from './common.js';

/** Where the set-up records its choices. */
export const RECORD_FILE = join(ROOT, '.kernel', 'setup.json');

/** The set-up's recorded choices. */
export interface SetupRecord {
  /** the Python with Jupyter (and, after `npm test`'s set-up, the test references) */
  python?: string;
  /** the Chromium the browser tests drive */
  chromium?: string;
}

/** The recorded choices, {} when there are none (or the file is unreadable). */
export function readRecord(): SetupRecord {
  try {
    const r = JSON.parse(readFileSync(RECORD_FILE, 'utf8')) as unknown;
    return r && typeof r === 'object' ? (r as SetupRecord) : {};
  } catch {
    return {};
  }
}

/** Merges `update` into the record; writes only when something changed. Returns true when it wrote. */
export function updateRecord(update: SetupRecord): boolean {
  const before = readRecord();
  const after: SetupRecord = { ...before, ...update };
  const text = `${JSON.stringify(after, null, 1)}\n`;
  if (existsSync(RECORD_FILE) && readFileSync(RECORD_FILE, 'utf8') === text) return false;
  mkdirSync(dirname(RECORD_FILE), { recursive: true });
  writeFileSync(RECORD_FILE, text);
  return true;
}

/** The project-local virtual environment's Python (made by the set-up where pip works). */
export const VENV_PYTHON = join(ROOT, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');

/**
 * The Python everything uses: NSEG_PYTHON, else the set-up's recorded choice, else the first
 * that exists of .venv/bin/python, /usr/bin/python3 and python3 on PATH. Never spawns anything.
 */
export function projectPython(): string {
  const env = process.env.NSEG_PYTHON;
  if (env) return env;
  const rec = readRecord().python;
  if (rec && existsSync(rec)) return rec;
  if (existsSync(VENV_PYTHON)) return VENV_PYTHON;
  if (process.platform !== 'darwin' && existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  return which('python3') ?? 'python3';
}

/** Usual places of Chromium and Chrome, in order of preference. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const MAC_BROWSERS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/**
 * The Chromium the browser tests drive: NSEG_CHROMIUM, else the set-up's recorded choice, else
 * the first found of chromium, chromium-browser, google-chrome on PATH (and the macOS apps).
 * Null when there is none. Never spawns anything.
 */
export function projectChromium(): string | null {
  const env = process.env.NSEG_CHROMIUM;
  if (env) return env;
  const rec = readRecord().chromium;
  if (rec && existsSync(rec)) return rec;
  for (const n of CHROMIUM_NAMES) {
    const p = which(n);
    if (p) return p;
  }
  return process.platform === 'darwin' ? (MAC_BROWSERS.find((p) => existsSync(p)) ?? null) : null;
}
