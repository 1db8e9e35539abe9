import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import type { DType } from '../lib/core/types.js';
import { readNpy, writeNpy } from '../lib/io/index.js';
import { writeFileAtomic } from '../lib/io/atomic.js';
import { pythonJson, runPython } from './helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'io-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readNpy reads what numpy writes', () => {
  const ref = pythonJson<Record<string, { shape: number[]; values: number[] }>>(
    `
import sys, json, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(0)
arrays = {
  'f4': rng.normal(size=(3, 4)).astype('<f4'),
  'f8': rng.normal(size=(2, 3, 2)),
  'u2': rng.integers(0, 65536, size=(5, 3)).astype('<u2'),
  'i2': rng.integers(-32768, 32768, size=(4,)).astype('<i2'),
  'u1': rng.integers(0, 256, size=(2, 2)).astype('u1'),
  'i1': np.array([-128, 0, 127], 'i1'),
  'u4': np.array([0, 4294967295], '<u4'),
  'i4': rng.integers(-2**31, 2**31, size=(3, 3)).astype('<i4'),
  'i8': np.arange(-5, 7).reshape(3, 4).astype('<i8'),
  'i8big': np.array([2**40, -3], '<i8'),
  'b1': rng.random((3, 5)) > 0.5,
  'f4be': rng.normal(size=(2, 3)).astype('>f4'),
  'u2be': np.array([[1, 2], [65535, 256]], '>u2'),
  'fortran': np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4)),
  'scalar_row': np.arange(7, dtype='<f8'),
  'empty': np.zeros((0, 3), '<f4'),
}
out = {}
for k, a in arrays.items():
    np.save(f'{d}/{k}.npy', a)
    out[k] = {'shape': list(a.shape), 'values': np.ascontiguousarray(a).astype(np.float64).ravel().tolist()}
np.lib.format.write_array(open(f'{d}/v2.npy', 'wb'), arrays['f4'], version=(2, 0))
np.lib.format.write_array(open(f'{d}/v3.npy', 'wb'), arrays['u2'], version=(3, 0))
out['v2'] = out['f4']; out['v3'] = out['u2']
print(json.dumps(out))
`,
    [dir],
  );
  const dtypes: Record<string, DType> = {
    f4: 'float32', f8: 'float64', u2: 'uint16', i2: 'int16', u1: 'uint8', i1: 'int8', u4: 'uint32', i4: 'int32',
    i8: 'int32', i8big: 'float64', b1: 'bool', f4be: 'float32', u2be: 'uint16', fortran: 'float32', scalar_row: 'float64',
    empty: 'float32', v2: 'float32', v3: 'uint16',
  };
  for (const [key, dtype] of Object.entries(dtypes)) {
    it(`${key} → ${dtype}`, () => {
      const a = readNpy(join(dir, `${key}.npy`));
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual(ref[key]!.shape);
      expect(Array.from(a.data, Number)).toEqual(ref[key]!.values);
    });
  }
});

describe('writeNpy: numpy reads back identically', () => {
  const arrays: Record<string, NDArray> = {
    float32: new NDArray(Float32Array.from([1.5, -0, Number.NaN, Infinity, 3.4e38, 1e-45]), [2, 3]),
    float64: new NDArray(Float64Array.from([Math.PI, -1e300, 5e-324]), [3]),
    uint16: new NDArray(Uint16Array.from([0, 1, 65535, 40000]), [2, 2]),
    int16: new NDArray(Int16Array.from([-32768, 32767]), [1, 2]),
    uint8: new NDArray(Uint8Array.from({ length: 24 }, (_, i) => i * 10), [2, 3, 4]),
    int8: new NDArray(Int8Array.from([-128, 5]), [2]),
    int32: new NDArray(Int32Array.from([-2147483648, 2147483647, 0]), [3, 1]),
    uint32: new NDArray(Uint32Array.from([4294967295, 1]), [2]),
    bool: new NDArray(Uint8Array.from([1, 0, 0, 1]), [2, 2], 'bool'),
  };
  it('every dtype, shape and bit pattern', () => {
    for (const [k, a] of Object.entries(arrays)) writeNpy(join(dir, 'w', `${k}.npy`), a);
    const res = pythonJson<Record<string, { dtype: string; shape: number[]; hex: string; fortran: boolean }>>(
      `
import sys, json, numpy as np, glob, os
out = {}
for f in sorted(glob.glob(sys.argv[1] + '/w/*.npy')):
    a = np.load(f)
    out[os.path.basename(f)[:-4]] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'hex': a.tobytes().hex(), 'fortran': bool(np.isfortran(a) and a.ndim > 1)}
print(json.dumps(out))
`,
      [dir],
    );
    const want: Record<string, string> = {
      float32: '<f4', float64: '<f8', uint16: '<u2', int16: '<i2', uint8: '|u1', int8: '|i1', int32: '<i4', uint32: '<u4', bool: '|b1',
    };
    for (const [k, a] of Object.entries(arrays)) {
      expect(res[k]!.dtype, k).toBe(want[k]);
      expect(res[k]!.shape, k).toEqual(a.shape);
      expect(res[k]!.hex, k).toBe(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('hex'));
      // and our reader gives the same array back
      const back = readNpy(join(dir, 'w', `${k}.npy`));
      expect(back.dtype).toBe(a.dtype);
      expect(Buffer.from(back.data.buffer).equals(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength))).toBe(true);
    }
  });

  it('header is 64-byte aligned version 1.0, like numpy', () => {
    const bytes = readFileSync(join(dir, 'w', 'float32.npy'));
    expect(bytes[6]).toBe(1);
    expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
  });
});

describe('readNpy rejects bad files with the file name and the problem', () => {
  const good = readFileSync(join(dir, 'f4.npy'));
  const bad = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, 'bad', name);
    mkdirSync(join(dir, 'bad'), { recursive: true });
    writeFileSync(p, bytes);
    return p;
  };
  it('truncated data', () => {
    const p = bad('trunc.npy', good.subarray(0, good.length - 5));
    expect(() => readNpy(p)).toThrow(new RegExp(`${p}.*truncated.*needs 48 data bytes, found 43`));
  });
  it('truncated header and tiny files', () => {
    expect(() => readNpy(bad('hdr.npy', good.subarray(0, 40)))).toThrow(/hdr\.npy.*truncated inside the header/);
    expect(() => readNpy(bad('tiny.npy', good.subarray(0, 4)))).toThrow(/tiny\.npy.*too short/);
    expect(() => readNpy(bad('zero.npy', new Uint8Array(0)))).toThrow(/zero\.npy.*too short/);
  });
  it('bad magic', () => {
    expect(() => readNpy(bad('magic.npy', 'PK\x03\x04 this is a zip file, not npy'))).toThrow(/magic\.npy.*bad magic/);
  });
  it('unsupported dtype and version', () => {
    const c = Buffer.from(good);
    c.write("'<c8'", c.indexOf("'<f4'"), 'latin1');
    expect(() => readNpy(bad('complex.npy', c))).toThrow(/complex\.npy.*unsupported dtype '<c8'/);
    const v = Buffer.from(good);
    v[6] = 9;
    expect(() => readNpy(bad('v9.npy', v))).toThrow(/v9\.npy.*unsupported NPY format version 9/);
  });
  it('size that does not match the shape', () => {
    const p = bad('extra.npy', Buffer.concat([good, Buffer.alloc(8)]));
    expect(() => readNpy(p)).toThrow(/extra\.npy.*size mismatch.*needs 48 data bytes, file has 56/);
    const s = Buffer.from(good);
    s.write('(3, 5)', s.indexOf('(3, 4)'), 'latin1');
    expect(() => readNpy(bad('shape.npy', s))).toThrow(/shape\.npy.*truncated.*needs 60 data bytes, found 48/);
  });
  it('malformed header and int64 values beyond 2^53', () => {
    const m = Buffer.from(good);
    m.write('XXXXX', m.indexOf("'descr'"), 'latin1');
    expect(() => readNpy(bad('malformed.npy', m))).toThrow(/malformed\.npy.*malformed NPY header/);
    runPython(`import sys, numpy as np; np.save(sys.argv[1], np.array([2**60], '<i8'))`, [join(dir, 'bad', 'huge.npy')]);
    expect(() => readNpy(join(dir, 'bad', 'huge.npy'))).toThrow(/huge\.npy.*not exact as a double/);
  });
  it('missing file', () => {
    expect(() => readNpy(join(dir, 'nope.npy'))).toThrow(/nope\.npy: cannot open file: no such file or directory/);
  });
});

describe('writeFileAtomic', () => {
  it('creates parent directories and leaves no temporary files', () => {
    const p = join(dir, 'atomic', 'a', 'b', 'out.txt');
    writeFileAtomic(p, 'hello');
    writeFileAtomic(p, new Uint16Array([0x6968]));
    expect(readFileSync(p, 'latin1')).toBe('hi');
    expect(readdirSync(join(dir, 'atomic', 'a', 'b'))).toEqual(['out.txt']);
  });
  it('keeps the old file when the write fails, and names the path', () => {
    const p = join(dir, 'atomic', 'keep.txt');
    writeFileAtomic(p, 'old');
    // a directory in the way of the rename target
    const blocked = join(dir, 'atomic', 'dir-target');
    mkdirSync(join(blocked, 'x'), { recursive: true });
    expect(() => writeFileAtomic(blocked, 'new')).toThrow(/writeFileAtomic: cannot write .*dir-target/);
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(readdirSync(join(dir, 'atomic')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(blocked, 'x'))).toBe(true);
  });
});
