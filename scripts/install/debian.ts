/**
 * apt-get on Debian and Ubuntu: the set-up's fallback where pip cannot reach its index, and the
 * only way to get Chromium and lavapipe (Mesa's software Vulkan driver) on Debian.
 *
 * Design:
 * - apt is used only as root or with passwordless sudo (`sudo -n`), always with `-y` and
 *   DEBIAN_FRONTEND=noninteractive, and without Recommends (they would add pandoc, compilers and
 *   libtorch-dev: hundreds of MB that no notebook or test uses).
 * - `apt-get update` runs once per set-up, and only when something is to be installed, so a
 *   second run on a complete machine touches nothing.
 * - A suite (bookworm-backports for Mesa 25 on Debian 12) is added only when no enabled entry of
 *   any sources file already names it, as a deb822 file on the mirror and key of the machine's
 *   own Debian entry. Backports are NotAutomatic in Debian's Release files, so the new entry
 *   upgrades nothing by itself; only the packages installed with `-t SUITE` come from it.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianFamily, rootPrefix, run, say, tail, which } from './common.js';

/** One entry of an APT sources file (one-line or deb822 format). */
export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
  enabled: boolean;
  /** the file it came from */
  file: string;
}

/** True when apt-get can install here without asking: Debian or Ubuntu, as root or with `sudo -n`. */
export function aptUsable(): boolean {
  return debianFamily() !== null && which('apt-get') !== null && rootPrefix() !== null;
}

/** Why apt-get cannot be used here, in words (for the final message), or null when it can. */
export function aptUnusableWhy(): string | null {
  if (debianFamily() === null) return 'this is not Debian or Ubuntu';
  if (which('apt-get') === null) return 'apt-get is not on PATH';
  if (rootPrefix() === null) return 'apt-get needs root, and this is neither root nor allowed passwordless sudo';
  return null;
}

/** Parses the text of one sources file: one-line (`deb [opts] URI SUITE COMP...`) or deb822. */
export function parseSources(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  if (file.endsWith('.sources')) {
    for (const para of text.split(/\n\s*\n/)) {
      const f: Record<string, string> = {};
      let last = '';
      for (const raw of para.split('\n')) {
        if (raw.startsWith('#')) continue;
        if (/^\s/.test(raw) && last) {
          f[last] += ` ${raw.trim()}`;
          continue;
        }
        const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
        if (m) {
          last = m[1]!.toLowerCase();
          f[last] = m[2]!.trim();
        }
      }
      if (!f.types || !f.uris || !f.suites) continue;
      const words = (k: string): string[] => (f[k] ?? '').split(/\s+/).filter(Boolean);
      out.push({
        types: words('types'),
        uris: words('uris'),
        suites: words('suites'),
        components: words('components'),
        signedBy: f['signed-by'] || undefined,
        enabled: !/^(no|false)$/i.test(f.enabled ?? 'yes'),
        file,
      });
    }
    return out;
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const opts = m[2] ?? '';
    const signed = /signed-by=(\S+)/.exec(opts)?.[1];
    out.push({
      types: [m[1]!],
      uris: [m[3]!],
      suites: [m[4]!],
      components: (m[5] ?? '').split(/\s+/).filter(Boolean),
      signedBy: signed,
      enabled: true,
      file,
    });
  }
  return out;
}

/** Every entry of /etc/apt/sources.list and /etc/apt/sources.list.d/*.{list,sources}. */
export function readSources(etcApt = '/etc/apt'): AptSource[] {
  const files: string[] = [];
  if (existsSync(join(etcApt, 'sources.list'))) files.push(join(etcApt, 'sources.list'));
  const d = join(etcApt, 'sources.list.d');
  if (existsSync(d)) for (const f of readdirSync(d).sort()) if (f.endsWith('.list') || f.endsWith('.sources')) files.push(join(d, f));
  return files.flatMap((f) => parseSources(readFileSync(f, 'utf8'), f));
}

/** True when an enabled binary (`deb`) entry names the suite. */
export function hasSuite(sources: readonly AptSource[], suite: string): boolean {
  return sources.some((s) => s.enabled && s.types.includes('deb') && s.suites.includes(suite));
}

/**
 * The mirror and key of the machine's own entry for `codename` (its main archive, not the
 * security one), e.g. { uri: 'http://deb.debian.org/debian', signedBy: '/usr/share/keyrings/…' }.
 */
export function mirrorOf(sources: readonly AptSource[], codename: string): { uri: string; signedBy?: string } | null {
  const s = sources.find((e) => e.enabled && e.types.includes('deb') && e.suites.includes(codename) && e.uris.some((u) => !/security/.test(u)));
  if (!s) return null;
  return { uri: s.uris.find((u) => !/security/.test(u))!, signedBy: s.signedBy };
}

/** The deb822 text of a new entry for `suite` on `uri`. */
export function suiteEntry(uri: string, suite: string, signedBy?: string): string {
  return [
    `# Added by the set-up of neutron-seg-ts (npm test): Mesa from ${suite} for lavapipe, the`,
    '# software Vulkan driver of the WebGPU tests. Packages come from here only when asked for with -t.',
    'Types: deb',
    `URIs: ${uri}`,
    `Suites: ${suite}`,
    'Components: main',
    ...(signedBy ? [`Signed-By: ${signedBy}`] : []),
    '',
  ].join('\n');
}

let updated = false;

function asRoot(cmd: string, args: readonly string[], show = true): ReturnType<typeof run> {
  const prefix = rootPrefix();
  if (prefix === null) throw new Error(`${cmd} needs root: ${aptUnusableWhy()}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (prefix.length === 0) return run(cmd, args, { show, env });
  return run(prefix[0]!, [...prefix.slice(1), 'env', 'DEBIAN_FRONTEND=noninteractive', cmd, ...args], { show, env });
}

/**
 * Adds an entry for `suite` (e.g. bookworm-backports) unless one exists. Returns true when it
 * wrote one (the package lists must then be updated).
 */
export function ensureSuite(suite: string, codename: string): boolean {
  const sources = readSources();
  if (hasSuite(sources, suite)) return false;
  const mirror = mirrorOf(sources, codename);
  if (!mirror) throw new Error(`no apt entry for ${codename} in /etc/apt to take the mirror for ${suite} from`);
  const key = mirror.signedBy ?? (existsSync('/usr/share/keyrings/debian-archive-keyring.gpg') ? '/usr/share/keyrings/debian-archive-keyring.gpg' : undefined);
  const dest = `/etc/apt/sources.list.d/${suite}.sources`;
  say(`adding the apt suite ${suite} (${mirror.uri}) in ${dest}: Debian 12's own Mesa is too old for Dawn`);
  const dir = mkdtempSync(join(tmpdir(), 'nseg-apt-'));
  try {
    const tmp = join(dir, `${suite}.sources`);
    writeFileSync(tmp, suiteEntry(mirror.uri, suite, key));
    const r = asRoot('install', ['-m', '0644', tmp, dest], false);
    if (r.status !== 0) throw new Error(`writing ${dest} failed: ${tail(r.stderr)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  updated = false;
  return true;
}

/** `apt-get update`, once per set-up run. */
export function aptUpdate(): void {
  if (updated) return;
  say('apt-get update (to install what is missing)');
  const r = asRoot('apt-get', ['update', '-q'], false);
  if (r.status !== 0) throw new Error(`apt-get update failed:\n${tail(r.stdout + r.stderr, 10)}`);
  updated = true;
}

/** Installs Debian packages (without Recommends), from `target` suite when given. Throws on failure. */
export function aptInstall(pkgs: readonly string[], target?: string): void {
  if (pkgs.length === 0) return;
  aptUpdate();
  const args = ['install', '-y', '-q', '--no-install-recommends', ...(target ? ['-t', target] : []), ...pkgs];
  say(`apt-get ${args.join(' ')}`);
  const r = asRoot('apt-get', args, true);
  if (r.status !== 0) throw new Error(`apt-get install ${pkgs.join(' ')} failed (exit ${r.status})`);
}

/** The installed version of a Debian package, or null (not installed, or no dpkg). */
export function installedVersion(pkg: string): string | null {
  if (which('dpkg-query') === null) return null;
  const r = run('dpkg-query', ['-W', '-f', '${db:Status-Abbrev} ${Version}', pkg], { timeoutMs: 30_000 });
  const m = /^ii\s+(\S+)/.exec(r.stdout.trim());
  return r.status === 0 && m ? m[1]! : null;
}

/** The upstream major version of a Debian version string ('25.0.7-2~bpo12+1' → 25, '1:2.3' → 2). */
export function majorVersion(v: string): number {
  return Number(/^(?:\d+:)?(\d+)/.exec(v)?.[1] ?? NaN);
}

/** The command a user runs to install `pkgs` themselves (for the final message). */
export function aptCommand(pkgs: readonly string[], target?: string): string {
  return `sudo apt-get install -y --no-install-recommends ${target ? `-t ${target} ` : ''}${pkgs.join(' ')}`;
}
