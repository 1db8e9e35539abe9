/**
 * lib/nn/kernels/simd-wasm.ts is generated from lib/nn/kernels/simd/kernels.c by build.sh.
 * It must match its source: the generated file records the sha256 of the kernels.c it was built
 * from (checked always), and where clang-14 and wasm-ld-14 are installed the build is run again
 * and must give the committed file byte for byte (the build is reproducible).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIMD_KERNELS_SOURCE_SHA256 } from '../lib/nn/kernels/simd-wasm.js';
import { needs } from './helpers/needs.js';

const DIR = 'lib/nn/kernels';
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

describe('simd-wasm.ts matches kernels.c', () => {
  it('was built from the kernels.c in the tree (rebuild with build.sh after editing it)', () => {
    const sha = createHash('sha256').update(readFileSync(join(DIR, 'simd', 'kernels.c'))).digest('hex');
    expect(SIMD_KERNELS_SOURCE_SHA256).toBe(sha);
  });

  it('build.sh reproduces the committed file byte for byte', (ctx) => {
    const tools = has('clang-14') && has('wasm-ld-14') && has('/usr/lib/llvm-14/bin/llvm-objdump');
    needs(ctx, 'clang-14, wasm-ld-14 and llvm-objdump-14 to rebuild the SIMD kernels', tools, 'apt-get install clang-14 lld-14 llvm-14');
    const dir = mkdtempSync(join(tmpdir(), 'simd-build-'));
    try {
      const out = join(dir, 'simd-wasm.ts');
      const r = spawnSync('bash', [join(DIR, 'simd', 'build.sh'), out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(DIR, 'simd-wasm.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
