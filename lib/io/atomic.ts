/**
 * Atomic file writes: every writer in the library (NPY, FITS, PNG, figures, data sets)
 * goes through `writeFileAtomic`, so a crash or a full disk never leaves a half-written
 * file under the final name — readers see the old file or the complete new one.
 *
 * Design: the bytes go to a temporary file in the SAME directory (a rename is only atomic
 * within one file system), are flushed with fsync, and the temporary file is renamed over
 * the target. Parent directories are created as needed. On failure the temporary file is
 * removed and the error names the target path.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

let counter = 0;

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
