/**
 * What the installers share: the project root, running a command (never interactively), finding
 * a program on PATH, and the machine's identity (/etc/os-release, root or passwordless sudo).
 *
 * The set-up must never prompt: every command here gets no stdin, and privileged commands go
 * through `sudo -n` (fails instead of asking for a password) when not already root.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (the one holding package.json). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Outcome of {@link run}. */
export interface RunResult {
  /** exit status, null when killed or not started */
  status: number | null;
  stdout: string;
  stderr: string;
  /** 'ENOENT' when the program does not exist, 'ETIMEDOUT' when it ran past the timeout */
  errorCode?: string;
}

/**
 * Runs a program without a shell and without stdin. `show` passes its output through (for long
 * installs the user should watch); otherwise output is captured.
 */
export function run(cmd: string, args: readonly string[], opts: { show?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
  const o: SpawnSyncOptions = {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    timeout: opts.timeoutMs,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: opts.show ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  };
  const r = spawnSync(cmd, args, o);
  const err = r.error as NodeJS.ErrnoException | undefined;
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), errorCode: err?.code };
}

/** The full path of a program on PATH, or null. */
export function which(name: string): string | null {
  if (name.includes('/')) return isExecutable(name) ? name : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The fields of /etc/os-release (ID, ID_LIKE, VERSION_CODENAME, ...); {} where there is none. */
export function osRelease(text?: string): Record<string, string> {
  let src = text;
  if (src === undefined) {
    const file = ['/etc/os-release', '/usr/lib/os-release'].find((f) => existsSync(f));
    if (!file) return {};
    src = readFileSync(file, 'utf8');
  }
  const out: Record<string, string> = {};
  for (const line of src.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
  return out;
}

/** 'debian', 'ubuntu' (or a derivative of either) or null, from /etc/os-release. */
export function debianFamily(rel: Record<string, string> = osRelease()): 'debian' | 'ubuntu' | null {
  const ids = [rel.ID ?? '', ...(rel.ID_LIKE ?? '').split(/\s+/)];
  if (ids.includes('ubuntu')) return 'ubuntu';
  if (ids.includes('debian')) return 'debian';
  return null;
}

/** True when this process runs as root. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

let sudoOk: boolean | undefined;
/** True when `sudo -n` works (passwordless sudo): checked once. */
export function passwordlessSudo(): boolean {
  if (sudoOk === undefined) sudoOk = which('sudo') !== null && run('sudo', ['-n', 'true'], { timeoutMs: 10_000 }).status === 0;
  return sudoOk;
}

/** The command prefix that runs a command as root without asking, or null when there is none. */
export function rootPrefix(): string[] | null {
  if (isRoot()) return [];
  if (passwordlessSudo()) return ['sudo', '-n'];
  return null;
}

/** Prints one line of the set-up's story (what it does and why). */
export function say(line: string): void {
  console.log(`setup: ${line}`);
}

/** The last `n` non-empty lines of a command's output, for error messages. */
export function tail(text: string, n = 5): string {
  return text.split('\n').filter((l) => l.trim()).slice(-n).join('\n');
}
