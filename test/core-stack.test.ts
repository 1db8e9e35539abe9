/** NDArray.stack joins arrays along a new first axis, as numpy.stack does. */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../lib/core/ndarray.js';
import { pythonJson } from './helpers/python.js';

describe('NDArray.stack', () => {
  it('matches numpy.stack and keeps the dtype', () => {
    const a = new NDArray(Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const b = new NDArray(Uint8Array.from([7, 8, 9, 10, 11, 12]), [2, 3]);
    const s = NDArray.stack([a, b, a]);
    expect(s.shape).toEqual([3, 2, 3]);
    expect(s.dtype).toBe('uint8');
    const ref = pythonJson<number[][][]>(`
import json, numpy as np
a = np.arange(1, 7).reshape(2, 3); b = np.arange(7, 13).reshape(2, 3)
print(json.dumps(np.stack([a, b, a]).tolist()))
`);
    expect(s.toNested()).toEqual(ref);
  });

  it('refuses an empty list and mismatched shapes', () => {
    expect(() => NDArray.stack([])).toThrow(/NDArray.stack: needs at least one array/);
    expect(() => NDArray.stack([NDArray.zeros([2, 3]), NDArray.zeros([3, 2])])).toThrow(/NDArray.stack: array 1 has shape \[3, 2\], the first has \[2, 3\]/);
  });
});

describe('NDArray.flip', () => {
  it('mirrors along any axis as numpy.flip does', () => {
    const a = new NDArray(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    const ref = pythonJson<number[][][][]>(`
import json, numpy as np
a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
print(json.dumps([np.flip(a, k).tolist() for k in range(3)]))
`);
    expect([0, 1, 2].map((k) => a.flip(k).toNested())).toEqual(ref);
    expect(a.flip(1).dtype).toBe('float32');
    expect(() => a.flip(3)).toThrow(/NDArray.flip: axis must be a whole number from 0 to 2, got 3/);
  });
});
