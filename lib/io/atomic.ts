/**
 * Atomic file writes: every writer in the library (NPY, FITS, PNG, figures, data sets)
 * goes through `writeFileAtomic`, so a crash or a full disk never leaves a half-written
 * file under the final name — readers see the old file or the complete new one.
 *
 * Design: the bytes go to a temporary file in the SAME directory (a rename is only atomic
 * within one file system), are flushed with fsync, and the temporary file is renamed over
 * the target. Parent directories are created as needed. On failure the temporary file is
 * removed and the error names the target path.
 *
 * A process killed mid-write cannot remove its temporary file, so the names say whose they
 * are: `.<target name>.<pid>.<ms>.<n>.tmp`, next to the target, where the next write of that
 * target finds them. Before writing, `writeFileAtomic` removes the target's temporary files
 * whose process is gone (or that are older than a day: a pid may be reused);
 * {@link removeStaleTempFiles} does the same for a whole folder (data generation calls it).
 * The repository's .gitignore matches the name (`.*.tmp`).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

let counter = 0;

/** `.name.<pid>.<ms>.<n>.tmp`: a temporary file of writeFileAtomic. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.(\d+)\.(\d+)\.tmp$/;

/** Temporary files older than this are stale even when a process with their pid runs. */
const STALE_AFTER_MS = 24 * 3600 * 1000;

/** True when a process with this pid exists (it may be another program that reused the pid). */
function processExists(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that writers killed mid-write left in `dir`: those of
 * writeFileAtomic's naming whose process is gone, or that are older than a day.
 *
 * @param dir the folder to clean (not its subfolders)
 * @param target only the temporary files of this file name (default: all)
 * @returns the paths removed
 * @example
 *   removeStaleTempFiles('data/roots'); // ['/…/data/roots/.test-images.npy.41213.1764499.0.tmp']
 */
export function removeStaleTempFiles(dir: string, target?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || (target !== undefined && m[1] !== target)) continue;
    const pid = Number(m[2]);
    const p = join(dir, name);
    let old = false;
    try {
      old = now - statSync(p).mtimeMs > STALE_AFTER_MS;
    } catch {
      continue;
    }
    if (pid === process.pid && !old) continue;
    if (processExists(pid) && !old) continue;
    try {
      unlinkSync(p);
      removed.push(p);
    } catch {
      /* another process removed it, or no permission: leave it */
    }
  }
  return removed;
}

/**
 * Writes `contents` to `path` atomically (temporary file in the same directory + rename).
 *
 * @param path target file; parent directories are created
 * @param contents bytes (any typed array view or Buffer) or a string (written as UTF-8)
 * @returns the absolute path written
 * @example
 *   writeFileAtomic('build/out/result.json', JSON.stringify({ ok: true }));
 *   writeFileAtomic('data/raw.bin', new Uint8Array([1, 2, 3]));
 */
export function writeFileAtomic(path: string, contents: Uint8Array | ArrayBufferView | string): string {
  if (typeof path !== 'string' || path.length === 0) throw new Error('writeFileAtomic: path must be a non-empty string');
  const target = resolve(path);
  const dir = dirname(target);
  const bytes =
    typeof contents === 'string'
      ? Buffer.from(contents, 'utf8')
      : contents instanceof Uint8Array
        ? contents
        : new Uint8Array(contents.buffer, contents.byteOffset, contents.byteLength);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`writeFileAtomic: cannot create directory ${dir} for ${target}: ${(err as Error).message}`);
  }
  removeStaleTempFiles(dir, basename(target));
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
  let fd = -1;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
  } catch (err) {
    if (fd >= 0) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* temp file may not exist */
    }
    throw new Error(`writeFileAtomic: cannot write ${target}: ${(err as Error).message}`);
  }
  return target;
}
