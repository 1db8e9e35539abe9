/**
 * Chromium for the browser tests (slides in headless Chromium, the Notebook UI end to end): a
 * test reference, never needed by the main job.
 *
 * Found: NSEG_CHROMIUM, the recorded choice, chromium / chromium-browser / google-chrome on
 * PATH, the macOS apps; a candidate counts only when `--version` runs (Ubuntu's
 * chromium-browser is a stub that asks for the snap). Installed: on Debian with apt-get
 * (`chromium`); elsewhere (Ubuntu, whose package is that stub; macOS; other Linux) with
 * Playwright's own download (`playwright-core install chromium`, into ~/.cache/ms-playwright),
 * the browser build playwright-core is tested with.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, debianFamily, run, say, tail } from './common.js';
import { aptCommand, aptInstall, aptUsable } from './debian.js';
import { projectChromium } from './record.js';

/** True when the browser at `path` starts and says its version. */
export function chromiumRuns(path: string): boolean {
  if (!existsSync(path)) return false;
  const r = run(path, ['--version'], { timeoutMs: 60_000 });
  return r.status === 0 && /chrom/i.test(r.stdout);
}

async function playwrightChromium(): Promise<string | null> {
  try {
    const { chromium } = await import('playwright-core');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** A Chromium that runs, or null. */
export async function findChromium(): Promise<string | null> {
  const env = process.env.NSEG_CHROMIUM;
  if (env) return chromiumRuns(env) ? env : null;
  const found = projectChromium();
  if (found && chromiumRuns(found)) return found;
  const pw = await playwrightChromium();
  return pw && chromiumRuns(pw) ? pw : null;
}

/** What to run by hand when the set-up cannot install Chromium. */
export function chromiumCommand(): string {
  return debianFamily() === 'debian' ? aptCommand(['chromium']) : 'node node_modules/playwright-core/cli.js install chromium';
}

/**
 * Makes sure a Chromium exists; returns its path, or throws with what went wrong.
 * `dryRun` says what it would install and returns null.
 */
export async function setUpChromium(dryRun = false): Promise<string | null> {
  const have = await findChromium();
  if (have) return have;
  if (process.env.NSEG_CHROMIUM) throw new Error(`NSEG_CHROMIUM=${process.env.NSEG_CHROMIUM} does not run (--version failed)`);
  const viaApt = debianFamily() === 'debian' && aptUsable();
  say(`no Chromium found: installing it for the browser tests (${viaApt ? 'apt-get: chromium' : "Playwright's download"})`);
  if (dryRun) return null;
  if (viaApt) aptInstall(['chromium']);
  else {
    const r = run(process.execPath, [join(ROOT, 'node_modules', 'playwright-core', 'cli.js'), 'install', 'chromium'], { show: true, timeoutMs: 1_800_000 });
    if (r.status !== 0) throw new Error(`playwright-core install chromium failed (exit ${r.status}) ${tail(r.stderr)}`);
  }
  const after = await findChromium();
  if (!after) throw new Error('Chromium was installed but does not run (--version failed)');
  return after;
}
