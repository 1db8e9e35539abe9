import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTable, inNotebook, showTable } from '../lib/notebook/display.js';
import { byProfile, profile } from '../lib/notebook/profile.js';

describe('notebook helpers outside a notebook', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.NSEG_PROFILE;
  });

  it('formats tables with aligned columns and 4 significant digits', () => {
    expect(formatTable(['method', 'recall'], [['baseline', 0.0961234], ['1-NN', 0.44], ['n', 12]])).toBe(
      'method    recall\nbaseline  0.09612\n1-NN      0.4400\nn         12',
    );
    expect(formatTable(['x'], [[0.00012345]])).toBe('x\n1.23e-4');
  });

  it('showTable prints text and returns nothing outside tslab', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(inNotebook()).toBe(false);
    expect(showTable(['a'], [[1]], 'caption')).toBeUndefined();
    expect(log).toHaveBeenCalledWith('caption\na\n1');
  });

  it('reads the profile from NSEG_PROFILE, lecture by default', () => {
    expect(profile()).toBe('lecture');
    expect(byProfile(20, 3)).toBe(20);
    process.env.NSEG_PROFILE = 'quick';
    expect(profile()).toBe('quick');
    expect(byProfile(20, 3)).toBe(3);
  });
});
