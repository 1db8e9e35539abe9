/**
 * The reader fuzz test, short enough for CI (the larger run is `npm run fuzz`): mutated real
 * files (truncations, flipped bytes, lying headers, directory loops; fixed seed) through
 * readNpy, readFits, readPng and readTiff, each read in a child process under a time and memory
 * budget. Every read must return the image the reference decoder returns, or throw a
 * documented error; none may crash, hang or exceed the budget. See scripts/fuzz/run.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { type FuzzReport, formatReport, referenceAvailable, runFuzz } from '../scripts/fuzz/run.js';
import { needs } from './helpers/needs.js';

const REFERENCE = referenceAvailable();
let report: FuzzReport;

beforeAll(async () => {
  report = await runFuzz({ cases: 150, seed: 1, budget: { timeMs: 15_000, memoryMb: 256 }, reference: REFERENCE, data: true });
  console.log(formatReport(report).join('\n'));
}, 600_000);

afterAll(() => {
  if (report && report.failures.length === 0) rmSync(report.tmp, { recursive: true, force: true });
});

describe('reader fuzz test (seed 1, 150 mutated files per reader)', () => {
  it('no read crashes, hangs, exceeds its budget or throws an undocumented error', () => {
    const broken = report.failures.filter((f) => !/differs from the reference|reference cannot read/.test(f.problem));
    expect(broken, formatReport(report).join('\n')).toEqual([]);
    for (const reader of ['readNpy', 'readFits', 'readPng', 'readTiff']) {
      const c = report.counts[reader]!;
      // Not vacuous: each reader saw its files, returned images and refused broken ones.
      expect(c.files, reader).toBeGreaterThanOrEqual(150);
      expect(c.ok, reader).toBeGreaterThan(0);
      expect(c.errors, reader).toBeGreaterThan(20);
    }
  });

  it('every image a reader returns is the one the reference decoder returns (numpy, astropy, Pillow, tifffile)', (ctx) => {
    needs(ctx, 'numpy, astropy, Pillow and tifffile in the reference Python', REFERENCE);
    expect(report.failures, formatReport(report).join('\n')).toEqual([]);
    for (const reader of ['readNpy', 'readFits', 'readPng', 'readTiff']) expect(report.counts[reader]!.checked, reader).toBeGreaterThan(0);
  });
});
