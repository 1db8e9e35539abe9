/**
 * The Python side of the set-up: which modules the project needs, probing an interpreter for
 * them, and installing what is missing.
 *
 * Jupyter (nbclient, nbconvert, ipykernel) drives the tslab kernel for the main job; the test
 * references (numpy, SciPy, scikit-image, scikit-learn, astropy, matplotlib, PyTorch CPU, and the
 * classic Notebook for the end-to-end UI test) are for `npm test` only.
 *
 * Order of preference, as the README promises:
 * 1. an interpreter that already has everything (NSEG_PYTHON alone when set; else the recorded
 *    choice, `.venv`, /usr/bin/python3, python3 on PATH): nothing is installed;
 * 2. a project-local `.venv` (python3 -m venv) filled by pip, which fails fast where pip cannot
 *    reach its index (no retries, short timeout) and is then removed again if this run made it;
 * 3. Debian's packages with apt-get into /usr/bin/python3 (root or passwordless sudo), python3
 *    itself included when it is missing.
 * Otherwise the set-up stops with one message naming the commands to run.
 *
 * Probing imports the modules for real (a broken install is not "present"), and a probe that
 * runs past its timeout is an error, never taken to mean "absent".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, debianFamily, run, say, tail, which } from './common.js';
import { aptCommand, aptInstall, aptUnusableWhy, aptUsable } from './debian.js';
import { VENV_PYTHON, readRecord } from './record.js';

/** Modules the main job needs (notebook runner, slides export, kernel registration). */
export const JUPYTER_MODULES = ['nbclient', 'nbformat', 'nbconvert', 'ipykernel', 'jupyter_client'] as const;
/** Modules only the tests and benchmarks need (the references, and the classic Notebook UI). */
export const TEST_MODULES = ['numpy', 'scipy', 'skimage', 'sklearn', 'astropy', 'matplotlib', 'xraylib', 'periodictable', 'PIL', 'tifffile', 'torch', 'notebook'] as const;

/** The same packages for every missing Jupyter module: Jupyter comes as one set. */
const forEachJupyterModule = (pkgs: string[]): Record<string, string[]> => Object.fromEntries(JUPYTER_MODULES.map((m) => [m, pkgs]));

/** What pip installs for a missing module. */
const PIP_FOR: Record<string, string[]> = {
  ...forEachJupyterModule(['nbclient', 'nbconvert', 'ipykernel', 'jupyterlab']),
  numpy: ['numpy'],
  scipy: ['scipy'],
  skimage: ['scikit-image'],
  sklearn: ['scikit-learn'],
  astropy: ['astropy'],
  matplotlib: ['matplotlib'],
  // the attenuation chart's table is checked against these (X-ray and neutron cross sections)
  xraylib: ['xraylib'],
  periodictable: ['periodictable'],
  // the readers' fuzz test decodes every mutated PNG and TIFF with these too
  PIL: ['pillow'],
  tifffile: ['tifffile'],
  // the end-to-end test drives the classic Notebook UI (Notebook 7 is JupyterLab-based)
  notebook: ['notebook<7'],
  torch: ['torch'],
};
/** pip requirements that are test references (the rest is Jupyter). */
const TEST_PIP = new Set(TEST_MODULES.flatMap((m) => PIP_FOR[m] ?? []));
/** PyTorch's own index of CPU-only wheels (PyPI's Linux wheels pull in CUDA, gigabytes). */
export const TORCH_CPU_INDEX = 'https://download.pytorch.org/whl/cpu';

/** What apt-get installs for a missing module (Debian and Ubuntu package names). */
const APT_FOR: Record<string, string[]> = {
  ...forEachJupyterModule(['jupyter-notebook', 'python3-nbconvert', 'python3-nbclient', 'python3-ipykernel']),
  notebook: ['jupyter-notebook'],
  numpy: ['python3-numpy'],
  scipy: ['python3-scipy'],
  skimage: ['python3-skimage'],
  sklearn: ['python3-sklearn'],
  astropy: ['python3-astropy'],
  matplotlib: ['python3-matplotlib'],
  xraylib: ['python3-xraylib'],
  periodictable: ['python3-periodictable'],
  PIL: ['python3-pil'],
  tifffile: ['python3-tifffile'],
  torch: ['python3-torch'],
};

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];
/** pip requirements for the missing modules, torch last (it comes from its own index). */
export function pipPackagesFor(missing: readonly string[]): string[] {
  return uniq(missing.flatMap((m) => PIP_FOR[m] ?? [m]));
}
/** Debian packages for the missing modules. */
export function aptPackagesFor(missing: readonly string[]): string[] {
  return uniq(missing.flatMap((m) => APT_FOR[m] ?? []));
}

const PROBE = [
  'import importlib, json, sys',
  'missing = []',
  'for m in sys.argv[1:]:',
  '    try:',
  '        importlib.import_module(m)',
  '    except ImportError:',
  '        missing.append(m)',
  'print(json.dumps({"missing": missing, "executable": sys.executable}))',
].join('\n');

/** Result of {@link probePython}. */
export interface Probe {
  /** the interpreter's own path (sys.executable) */
  executable: string;
  /** modules that do not import (ImportError) */
  missing: string[];
}

/**
 * Imports `modules` in `python` and says which are missing. An interpreter that does not exist
 * has all of them missing. Throws when the probe runs past `timeoutMs` (a busy machine is not a
 * missing module) or fails in another way (a module that raises something else than ImportError
 * is broken, not absent).
 */
export function probePython(python: string, modules: readonly string[], timeoutMs = 180_000): Probe {
  if (python.includes('/') && !existsSync(python)) return { executable: python, missing: [...modules] };
  const r = spawnSync(python, ['-c', PROBE, ...modules], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { executable: python, missing: [...modules] };
  if (code === 'ETIMEDOUT' || (r.signal && r.status === null)) {
    throw new Error(`probing ${python} for ${modules.join(', ')} ran past ${timeoutMs / 1000} s: that is an error (a busy or stuck machine), not "not installed"`);
  }
  const last = String(r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const j = JSON.parse(last) as { missing: string[]; executable: string };
    if (r.status === 0 && Array.isArray(j.missing)) return { executable: j.executable || python, missing: j.missing };
  } catch {
    /* reported below */
  }
  throw new Error(`probing ${python} for ${modules.join(', ')} failed (exit ${r.status}): ${tail(String(r.stderr ?? ''), 4)}`);
}

function macStub(p: string): boolean {
  // Apple's /usr/bin/python3 without the command line tools opens an install dialog when run.
  return process.platform === 'darwin' && p === '/usr/bin/python3' && run('xcode-select', ['-p'], { timeoutMs: 10_000 }).status !== 0;
}

/** Interpreters to look at, in order: the recorded choice, .venv, /usr/bin/python3, python3 on PATH. */
export function pythonCandidates(): string[] {
  const out: string[] = [];
  const rec = readRecord().python;
  if (rec && existsSync(rec)) out.push(rec);
  if (existsSync(VENV_PYTHON)) out.push(VENV_PYTHON);
  if (existsSync('/usr/bin/python3')) out.push('/usr/bin/python3');
  const onPath = which('python3');
  if (onPath) out.push(onPath);
  return uniq(out).filter((p) => !macStub(p));
}

/** What {@link setUpPython} did. */
export interface PythonChoice {
  python: string;
  /** 'found' (nothing installed), 'pip' (into .venv or NSEG_PYTHON's venv), 'apt' */
  how: 'found' | 'pip' | 'apt';
}

/** Thrown when nothing can be installed; the message names the commands to run. */
export class SetupStop extends Error {}

function isVenv(python: string): boolean {
  const r = run(python, ['-c', 'import sys; print(sys.prefix != sys.base_prefix)'], { timeoutMs: 60_000 });
  return r.stdout.trim() === 'True';
}

/**
 * pip install into `python` (a venv). Fails fast where the index cannot be reached: no retries,
 * 15 s per connection. Returns null on success, else pip's last lines.
 */
function pipInstall(python: string, missing: readonly string[]): string | null {
  const base = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--retries', '0', '--timeout', '15'];
  const pkgs = pipPackagesFor(missing);
  // one pip run per group, so that a failure names its group: Jupyter, the references, the
  // classic Notebook, and torch from the CPU wheel index (its +cpu versions sort above PyPI's)
  const groups = [pkgs.filter((p) => !TEST_PIP.has(p)), pkgs.filter((p) => TEST_PIP.has(p) && p !== 'torch' && p !== 'notebook<7'), pkgs.filter((p) => p === 'notebook<7')];
  const steps = groups.filter((g) => g.length > 0).map((g) => [...base, ...g]);
  if (pkgs.includes('torch')) steps.push([...base, '--extra-index-url', TORCH_CPU_INDEX, 'torch']);
  for (const args of steps) {
    say(`${python} ${args.join(' ')}`);
    const r = run(python, args, { timeoutMs: 3_600_000 });
    if (r.status !== 0) return tail(r.stdout + '\n' + r.stderr, 4) || `exit ${r.status}`;
  }
  return null;
}

function hasVenvModule(python: string): boolean {
  return run(python, ['-c', 'import venv, ensurepip'], { timeoutMs: 60_000 }).status === 0;
}

/**
 * The one message of a set-up that cannot install: what is missing, why, and the commands to run.
 * `pipPython`: the interpreter to pip-install into (NSEG_PYTHON); else apt-get on Debian and
 * Ubuntu, and a new .venv elsewhere.
 */
export function stopMessage(missing: readonly string[], why: readonly string[], pipPython?: string, family = debianFamily()): string {
  const pip = pipPackagesFor(missing);
  const plain = pip.filter((p) => p !== 'torch').map((p) => (p.includes('<') ? `'${p}'` : p));
  const lines = [
    `cannot install ${missing.join(', ')} (Python modules the project needs):`,
    ...why.map((w) => `  - ${w.split('\n').join('\n    ')}`),
    'Run these, then the same command again:',
  ];
  const py = pipPython ?? '.venv/bin/python';
  if (family && !pipPython) lines.push(`  ${aptCommand(['python3', 'python3-venv', ...aptPackagesFor(missing)])}`);
  else {
    if (!pipPython) lines.push('  python3 -m venv .venv');
    if (plain.length) lines.push(`  ${py} -m pip install ${plain.join(' ')}`);
    if (pip.includes('torch')) lines.push(`  ${py} -m pip install --extra-index-url ${TORCH_CPU_INDEX} torch`);
  }
  lines.push(pipPython ? '  (or unset NSEG_PYTHON to let the set-up choose)' : '  (or point NSEG_PYTHON at a Python that has them)');
  return lines.join('\n');
}

/**
 * Makes sure a Python with `modules` exists: finds one, or installs into .venv with pip, or with
 * apt-get. `dryRun` only says what would be installed. Throws SetupStop when nothing can.
 */
export function setUpPython(modules: readonly string[], dryRun = false): PythonChoice {
  const env = process.env.NSEG_PYTHON;
  if (env) {
    const p = probePython(env, modules);
    if (p.missing.length === 0) return { python: p.executable, how: 'found' };
    if (!which(env)) throw new SetupStop(`NSEG_PYTHON=${env} does not exist`);
    if (dryRun) {
      say(`would pip install into NSEG_PYTHON=${env}: ${pipPackagesFor(p.missing).join(' ')}`);
      return { python: env, how: 'pip' };
    }
    if (!isVenv(env)) throw new SetupStop(stopMessage(p.missing, [`NSEG_PYTHON=${env} lacks them, and it is not a virtual environment the set-up may install into`], env));
    say(`NSEG_PYTHON=${env} lacks ${p.missing.join(', ')}: installing them with pip`);
    const err = pipInstall(env, p.missing);
    if (err) {
      const left = probePython(env, modules).missing;
      throw new SetupStop(stopMessage(left, [`pip install into NSEG_PYTHON failed: ${err}`], env));
    }
    return { python: env, how: 'pip' };
  }

  let missing: string[] = [...modules];
  for (const c of pythonCandidates()) {
    let p: Probe;
    try {
      p = probePython(c, modules);
    } catch (e) {
      say(`skipping ${c}: ${(e as Error).message}`);
      continue;
    }
    if (p.missing.length === 0) return { python: p.executable, how: 'found' };
    if (p.missing.length < missing.length) missing = p.missing;
  }
  const why: string[] = [];
  const purposes = [
    missing.some((m) => (JUPYTER_MODULES as readonly string[]).includes(m)) ? 'Jupyter runs the notebooks' : '',
    missing.some((m) => (TEST_MODULES as readonly string[]).includes(m)) ? 'the tests compare against them' : '',
  ].filter(Boolean);
  say(`no Python here has ${missing.join(', ')}: installing them (${purposes.join('; ')})`);
  if (dryRun) {
    say(`would make .venv and pip install ${pipPackagesFor(missing).join(' ')}; where pip cannot reach its index, apt-get install ${aptPackagesFor(missing).join(' ')}`);
    return { python: VENV_PYTHON, how: 'pip' };
  }

  // 2. .venv + pip
  let base = [...pythonCandidates().filter((c) => c !== VENV_PYTHON)].find(hasVenvModule) ?? null;
  if (!existsSync(VENV_PYTHON) && !base && aptUsable()) {
    const have = which('python3') !== null || existsSync('/usr/bin/python3');
    say(`${have ? 'python3 lacks its venv module' : 'there is no python3'}: installing ${have ? 'python3-venv' : 'python3 and python3-venv'} with apt-get`);
    try {
      aptInstall(['python3', 'python3-venv']);
    } catch (e) {
      why.push((e as Error).message);
    }
    base = existsSync('/usr/bin/python3') && hasVenvModule('/usr/bin/python3') ? '/usr/bin/python3' : null;
  }
  if (existsSync(VENV_PYTHON) || base) {
    const made = !existsSync(VENV_PYTHON);
    if (made) {
      say(`making the project's own Python environment: ${base} -m venv .venv`);
      const r = run(base!, ['-m', 'venv', '.venv'], { cwd: ROOT, timeoutMs: 600_000 });
      if (r.status !== 0) why.push(`${base} -m venv .venv failed: ${tail(r.stderr, 3)}`);
    }
    if (existsSync(VENV_PYTHON)) {
      const err = pipInstall(VENV_PYTHON, missing);
      if (!err) {
        const after = probePython(VENV_PYTHON, modules);
        if (after.missing.length === 0) return { python: VENV_PYTHON, how: 'pip' };
        why.push(`after pip install, .venv still lacks ${after.missing.join(', ')}`);
      } else {
        why.push(`pip could not install them: ${err.split('\n').pop()}`);
        say(`pip could not install them (${err.split('\n').pop()})${aptUsable() ? ': falling back to apt-get' : ''}`);
      }
      if (made) rmSync(join(ROOT, '.venv'), { recursive: true, force: true });
    }
  } else {
    why.push('there is no python3 with the venv module to make .venv with');
  }

  // 3. apt-get into /usr/bin/python3
  if (aptUsable()) {
    const sysMissing = probePython('/usr/bin/python3', modules).missing;
    const pkgs = aptPackagesFor(sysMissing);
    if (!existsSync('/usr/bin/python3')) pkgs.unshift('python3');
    say(`installing Debian's packages for ${sysMissing.join(', ')} into /usr/bin/python3`);
    try {
      aptInstall(pkgs);
      const after = probePython('/usr/bin/python3', modules);
      if (after.missing.length === 0) return { python: after.executable, how: 'apt' };
      why.push(`after apt-get install, /usr/bin/python3 still lacks ${after.missing.join(', ')}`);
    } catch (e) {
      why.push((e as Error).message);
    }
  } else {
    why.push(`apt-get cannot be used: ${aptUnusableWhy()}`);
  }
  throw new SetupStop(stopMessage(missing, why));
}
