/**
 * ensureData after a crash: the manifest is updated after each finished group, so a run that
 * dies in a later group does not redo the finished ones; temporary files that killed runs left
 * in data/ (their process gone) are removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureData } from '../lib/data/ensure.js';

const dir = mkdtempSync(join(tmpdir(), 'data-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureData resumes where a killed run stopped', () => {
  it('a failure in the second group keeps the first group in the manifest; stale temporary files go', () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    mkdirSync(join(dir, 'vessels'), { recursive: true });
    const stale = [join(dir, `.tofdata.npy.${dead}.1764499200000.0.tmp`), join(dir, 'vessels', `.train-images.npy.${dead}.1764499200000.3.tmp`)];
    for (const p of stale) writeFileSync(p, new Uint8Array(4096));
    // A file where the roots folder should be: the roots group fails after vessels finished.
    writeFileSync(join(dir, 'roots'), 'in the way');
    const log: string[] = [];
    expect(() => ensureData({ dir, groups: ['vessels', 'roots'], log: (l) => log.push(l) })).toThrow(/ensureData: cannot write .*roots/);
    for (const p of stale) expect(existsSync(p), p).toBe(false);
    expect(log.filter((l) => l.includes('left by a killed run')).length).toBe(2);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { groups: Record<string, unknown> };
    expect(Object.keys(manifest.groups)).toEqual(['vessels']);

    rmSync(join(dir, 'roots'));
    const again: string[] = [];
    const r = ensureData({ dir, groups: ['vessels', 'roots'], log: (l) => again.push(l) });
    expect(again[0]).toMatch(/vessels: up to date/);
    expect(r.written.every((f) => f.startsWith('roots/'))).toBe(true);
    expect(r.written.length).toBe(6);
    const after = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { groups: Record<string, unknown> };
    expect(Object.keys(after.groups).sort()).toEqual(['roots', 'vessels']);
  });
});
