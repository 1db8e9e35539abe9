/**
 * The one way the file readers (readNpy, readFits, readPng, readTiff) open and read a file,
 * and the limits they share. Internal: not part of the public API.
 *
 * Why one place: every reader must fail the same clear way on a missing file, a directory,
 * a device or a pipe, and must never read more bytes than the file had when it was opened
 * (`/dev/zero` or a growing file would otherwise fill the memory). So files are opened, checked
 * with fstat (a regular file, its size), and read with a bounded loop of `readSync`; every error
 * names the reader, the path and what is wrong in plain words, in the library's style
 * `readNpy data/x.npy: cannot open file: it is a directory, not a file`.
 *
 * The limits follow Pillow: a decompression-bomb guard on the pixels an image may declare
 * (Pillow's `Image.MAX_IMAGE_PIXELS`, 89,478,485 pixels, about 9459²; the lecture's largest
 * image has 2048² = 4.2 million), raised per call with `{ maxPixels }`. Formats whose data is
 * not compressed (NPY, FITS) need no such limit: they are refused when the declared size is
 * larger than the bytes present, before anything is allocated.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';

/**
 * Default of the readers' `maxPixels` option: images that declare more pixels (width × height)
 * are refused as a possible decompression bomb, like Pillow's `Image.MAX_IMAGE_PIXELS`.
 */
export const DEFAULT_MAX_PIXELS = 89_478_485;

/** Default of readTiff's `maxPages`: how many directories (pages) a TIFF chain may have. */
export const DEFAULT_MAX_PAGES = 65_536;

/** Plain words for the file-system errors a student meets. */
function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'ELOOP':
      return 'too many symbolic links (a link loop?)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return e?.message ?? String(err);
  }
}

/** An open file: descriptor and size at opening. */
export interface OpenFile {
  fd: number;
  size: number;
}

/**
 * Opens a regular file for reading; refuses directories, devices, pipes and sockets.
 *
 * @param fn the reader's name for messages, e.g. 'readFits'
 * @param path the file
 * @returns descriptor and size; the caller closes the descriptor
 */
export function openFile(fn: string, path: string): OpenFile {
  if (typeof path !== 'string' || path.length === 0) throw new Error(`${fn}: path must be a non-empty string, got ${typeof path === 'string' ? "''" : typeof path}`);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new Error(`${fn} ${path}: cannot open file: ${describeFsError(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new Error(`${fn} ${path}: cannot open file: it is a directory, not a file`);
    if (!st.isFile()) throw new Error(`${fn} ${path}: cannot open file: it is not a regular file (a device, pipe or socket)`);
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Reads up to `n` bytes at `pos` from an open file; fewer at the end of the file.
 *
 * @param fn the reader's name, for messages
 * @param path the file, for messages
 * @returns the bytes read (a fresh Buffer)
 */
export function readAt(fn: string, path: string, fd: number, pos: number, n: number): Buffer {
  if (!Number.isSafeInteger(pos) || pos < 0 || !Number.isSafeInteger(n) || n < 0) {
    throw new Error(`${fn} ${path}: cannot read ${n} bytes at byte ${pos} (corrupt file?)`);
  }
  if (n > bufferConstants.MAX_LENGTH) throw new Error(`${fn} ${path}: cannot read ${n} bytes at once (more than ${bufferConstants.MAX_LENGTH})`);
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    let r: number;
    try {
      r = readSync(fd, buf, got, n - got, pos + got);
    } catch (err) {
      throw new Error(`${fn} ${path}: cannot read file: ${describeFsError(err)}`);
    }
    if (r === 0) break;
    got += r;
  }
  return got < n ? buf.subarray(0, got) : buf;
}

/**
 * Opens a file, runs `body` with its descriptor and size, and closes it.
 *
 * @param fn the reader's name for messages
 * @param path the file
 * @param body what to do with the open file
 * @returns what `body` returns
 */
export function withOpenFile<T>(fn: string, path: string, body: (fd: number, size: number) => T): T {
  const { fd, size } = openFile(fn, path);
  try {
    return body(fd, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a whole regular file: never more than its size at opening, so a device or a growing
 * file cannot fill the memory.
 *
 * @param fn the reader's name for messages, e.g. 'readNpy'
 * @param path the file
 * @returns the file's bytes
 * @throws `readNpy x.npy: cannot open file: no such file or directory`, `…: it is a directory, not a file`, …
 */
export function readWholeFile(fn: string, path: string): Buffer {
  return withOpenFile(fn, path, (fd, size) => {
    if (size > bufferConstants.MAX_LENGTH) {
      throw new Error(`${fn} ${path}: the file has ${size} bytes, more than one read can hold (${bufferConstants.MAX_LENGTH})`);
    }
    return readAt(fn, path, fd, 0, size);
  });
}

/**
 * Refuses an image whose declared pixel count is above the limit (a decompression bomb or a
 * corrupt header), before anything is allocated.
 *
 * @param where the message prefix, e.g. 'readPng x.png'
 * @param width declared width
 * @param height declared height
 * @param maxPixels the limit (default {@link DEFAULT_MAX_PIXELS})
 * @param what what is that large, for the message ('image', 'one tile')
 */
export function checkPixelLimit(where: string, width: number, height: number, maxPixels = DEFAULT_MAX_PIXELS, what = 'image'): void {
  if (!(typeof maxPixels === 'number' && maxPixels > 0)) throw new Error(`${where}: maxPixels must be a number > 0, got ${String(maxPixels)}`);
  const n = width * height;
  if (n > maxPixels) {
    throw new Error(
      `${where}: ${what} of ${width}×${height} = ${n} pixels is larger than the limit of ${maxPixels} pixels ` +
        `(maxPixels; a decompression bomb or a corrupt header?). If you trust the file, pass { maxPixels: ${n} }`,
    );
  }
}
