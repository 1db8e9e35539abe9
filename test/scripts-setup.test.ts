/**
 * The set-up (scripts/setup.ts, scripts/install/) and CI: apt sources read in both formats and a
 * backports entry made only once, package names for missing modules, probing a Python (a timeout
 * is an error, not "absent"), a dry run that writes nothing, and .ci/run running exactly the
 * README's two commands and installing nothing of its own.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, debianFamily, osRelease } from '../scripts/install/common.js';
import { hasSuite, majorVersion, mirrorOf, parseSources, suiteEntry } from '../scripts/install/debian.js';
import { KERNEL_JSON } from '../scripts/install/kernel.js';
import { TORCH_CPU_INDEX, aptPackagesFor, pipPackagesFor, probePython, stopMessage } from '../scripts/install/python.js';
import { RECORD_FILE } from '../scripts/install/record.js';
import { mesaSuite } from '../scripts/install/vulkan.js';
import { PYTHON } from './helpers/python.js';

describe('apt sources', () => {
  // what debootstrap writes, and what a Debian 12 cloud image has (deb822)
  const oneLine = '# main\ndeb http://ftp.de.debian.org/debian bookworm main\ndeb [signed-by=/k.gpg] http://security.debian.org/debian-security bookworm-security main\n';
  const deb822 = [
    'Types: deb',
    'URIs: http://deb.debian.org/debian',
    'Suites: bookworm bookworm-updates',
    'Components: main',
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
    '',
    'Types: deb',
    'URIs: http://deb.debian.org/debian-security',
    'Suites: bookworm-security',
    'Components: main',
    '',
    'Types: deb',
    'URIs: http://deb.debian.org/debian',
    'Suites: bookworm-backports',
    'Components: main',
    'Enabled: no',
  ].join('\n');

  it('reads one-line and deb822 entries, and takes the mirror of the main archive, not security', () => {
    const a = parseSources(oneLine, '/etc/apt/sources.list');
    expect(a.map((s) => [s.uris[0], s.suites[0], s.signedBy])).toEqual([
      ['http://ftp.de.debian.org/debian', 'bookworm', undefined],
      ['http://security.debian.org/debian-security', 'bookworm-security', '/k.gpg'],
    ]);
    expect(mirrorOf(a, 'bookworm')).toEqual({ uri: 'http://ftp.de.debian.org/debian', signedBy: undefined });
    const b = parseSources(deb822, '/etc/apt/sources.list.d/debian.sources');
    expect(b).toHaveLength(3);
    expect(mirrorOf(b, 'bookworm')).toEqual({ uri: 'http://deb.debian.org/debian', signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg' });
    expect(mirrorOf(b, 'trixie')).toBeNull();
  });

  it('sees an existing backports entry, ignores a disabled one, and its own new entry is found next time', () => {
    const b = parseSources(deb822, 'x.sources');
    expect(hasSuite(b, 'bookworm-backports')).toBe(false); // Enabled: no
    expect(hasSuite(parseSources('deb http://m/debian bookworm-backports main', 'y.list'), 'bookworm-backports')).toBe(true);
    const entry = suiteEntry('http://deb.debian.org/debian', 'bookworm-backports', '/usr/share/keyrings/debian-archive-keyring.gpg');
    const again = parseSources(entry, 'bookworm-backports.sources');
    expect(again).toHaveLength(1);
    expect(hasSuite(again, 'bookworm-backports')).toBe(true);
    expect(again[0]!.signedBy).toBe('/usr/share/keyrings/debian-archive-keyring.gpg');
  });

  it('reads versions and releases: Mesa from backports only on Debian 12', () => {
    expect(majorVersion('25.0.7-2~bpo12+1')).toBe(25);
    expect(majorVersion('22.3.6-1+deb12u1')).toBe(22);
    expect(majorVersion('1:2.3')).toBe(2);
    const deb12 = osRelease('ID=debian\nVERSION_CODENAME=bookworm\n');
    expect(mesaSuite(deb12)).toBe('bookworm-backports');
    expect(mesaSuite(osRelease('ID=debian\nVERSION_CODENAME=trixie\n'))).toBeUndefined();
    expect(mesaSuite(osRelease('ID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=noble\n'))).toBeUndefined();
    expect(debianFamily(deb12)).toBe('debian');
    expect(debianFamily(osRelease('ID=linuxmint\nID_LIKE="ubuntu debian"\n'))).toBe('ubuntu');
    expect(debianFamily(osRelease('ID=fedora\n'))).toBeNull();
  });
});

describe('packages for missing modules', () => {
  it('names Jupyter as one set, the references one by one, and CPU-only torch from its own index', () => {
    expect(pipPackagesFor(['nbclient', 'nbformat'])).toEqual(['nbclient', 'nbconvert', 'ipykernel', 'jupyterlab']);
    expect(pipPackagesFor(['skimage', 'sklearn', 'torch', 'notebook'])).toEqual(['scikit-image', 'scikit-learn', 'torch', 'notebook<7']);
    expect(aptPackagesFor(['nbconvert'])).toEqual(['jupyter-notebook', 'python3-nbconvert', 'python3-nbclient', 'python3-ipykernel']);
    expect(aptPackagesFor(['skimage', 'torch', 'matplotlib'])).toEqual(['python3-skimage', 'python3-torch', 'python3-matplotlib']);
    expect(TORCH_CPU_INDEX).toBe('https://download.pytorch.org/whl/cpu');
  });

  it('when nothing can be installed, names the commands to run: apt-get on Debian, pip elsewhere', () => {
    const deb = stopMessage(['nbclient', 'torch'], ['apt-get cannot be used: not root'], undefined, 'debian').split('\n');
    expect(deb[0]).toBe('cannot install nbclient, torch (Python modules the project needs):');
    expect(deb).toContain('  - apt-get cannot be used: not root');
    expect(deb).toContain(
      '  sudo apt-get install -y --no-install-recommends python3 python3-venv jupyter-notebook python3-nbconvert python3-nbclient python3-ipykernel python3-torch',
    );
    const mac = stopMessage(['numpy', 'notebook', 'torch'], ['pip could not reach its index'], undefined, null).split('\n');
    expect(mac.slice(3, 6)).toEqual([
      '  python3 -m venv .venv',
      "  .venv/bin/python -m pip install numpy 'notebook<7'",
      `  .venv/bin/python -m pip install --extra-index-url ${TORCH_CPU_INDEX} torch`,
    ]);
    const env = stopMessage(['numpy'], ['pip failed'], '/opt/py/bin/python', 'debian').split('\n');
    expect(env).toContain('  /opt/py/bin/python -m pip install numpy');
    expect(env.some((l) => l.includes('apt-get'))).toBe(false);
  });
});

describe('probing a Python', () => {
  const fake = (body: string): string => {
    const f = join(mkdtempSync(join(tmpdir(), 'nseg-py-')), 'python');
    writeFileSync(f, `#!/bin/sh\n${body}\n`);
    chmodSync(f, 0o755);
    return f;
  };

  it('says which modules are missing, and that a missing interpreter has none', () => {
    const p = probePython(PYTHON, ['json', 'no_such_module_nseg']);
    expect(p.missing).toEqual(['no_such_module_nseg']);
    expect(existsSync(p.executable)).toBe(true);
    expect(probePython('/nonexistent/python3', ['json']).missing).toEqual(['json']);
  });

  it('takes a probe that runs past its timeout for an error, never for "absent"', () => {
    expect(() => probePython(fake('sleep 5'), ['numpy'], 500)).toThrow(/ran past 0.5 s.*not "not installed"/);
  });

  it('takes a module that fails with another error than ImportError for an error', () => {
    expect(() => probePython(fake('echo "RuntimeError: broken install" >&2; exit 1'), ['torch'])).toThrow(/failed \(exit 1\).*broken install/);
  });
});

describe('the set-up', () => {
  it('in a dry run, writes nothing', () => {
    const stamp = (f: string): string => (existsSync(f) ? `${statSync(f).mtimeMs} ${readFileSync(f, 'utf8')}` : 'absent');
    const before = [stamp(RECORD_FILE), stamp(KERNEL_JSON), existsSync(join(ROOT, '.venv'))];
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'setup.ts'), '--dry-run'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    expect(r.stdout + r.stderr).toMatch(/setup: /);
    expect([stamp(RECORD_FILE), stamp(KERNEL_JSON), existsSync(join(ROOT, '.venv'))]).toEqual(before);
  });

  it('refuses unknown arguments', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'setup.ts'), '--yes'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown argument --yes/);
  });
});

describe('the README and CI', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Set up and run'), readme.indexOf('\n## ', readme.indexOf('## Set up and run') + 5));
  const commands = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
  const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
  const ciLines = ci.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

  it('the README gives two commands: set-up with the main job, then the tests', () => {
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.postinstall).toMatch(/scripts\/setup\.ts/); // npm ci runs the set-up
    expect(readFileSync(join(ROOT, 'scripts', 'test.mjs'), 'utf8')).toMatch(/scripts\/setup\.ts', '--test'/); // npm test installs its references
  });

  it('.ci/run runs exactly those, in order, and installs nothing of its own', () => {
    const at = commands.map((c) => ciLines.findIndex((l) => l.trim() === c || l.trim().startsWith(`${c} 2>&1`)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at[0]!).toBeLessThan(at[1]!);
    expect(ciLines.filter((l) => /\bnpm\b/.test(l))).toHaveLength(2);
    expect(ci).not.toMatch(/apt-get|\bapt\b|\bpip\b|brew|dnf|yum|curl|wget|playwright|setup\.ts|sudo/);
    expect(ciLines[ciLines.length - 1]).toMatch(/^node scripts\/ci-count\.mjs /);
  });
});
