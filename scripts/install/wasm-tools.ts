/**
 * clang-14, wasm-ld-14 and llvm-objdump-14: the tools that build the SIMD WebAssembly kernels
 * (lib/nn/kernels/simd/build.sh). A test reference only: test/nn-simd-build.test.ts rebuilds
 * the kernels and checks that the committed lib/nn/kernels/simd-wasm.ts is what they give, byte
 * for byte. The main job runs the committed file and never needs them.
 *
 * The build is reproducible with LLVM 14 exactly (another version emits other bytes), which
 * Debian 12 packages as clang-14, lld-14 and llvm-14: installed with apt-get there. Elsewhere the
 * set-up names what is missing and the rebuild test is skipped with that note (it fails under
 * CI=true).
 */
import { existsSync } from 'node:fs';
import { debianFamily, osRelease, say, which } from './common.js';
import { aptCommand, aptInstall, aptUsable } from './debian.js';

/** Debian's packages for the three tools. */
export const WASM_TOOL_PACKAGES = ['clang-14', 'lld-14', 'llvm-14'] as const;

/** Why the tools are not usable here, or null when they are. */
export function wasmToolsMissing(): string | null {
  const absent = [
    which('clang-14') ? '' : 'clang-14',
    which('wasm-ld-14') ? '' : 'wasm-ld-14',
    existsSync('/usr/lib/llvm-14/bin/llvm-objdump') ? '' : 'llvm-objdump (LLVM 14)',
  ].filter(Boolean);
  return absent.length ? `no ${absent.join(', ')} to rebuild the SIMD kernels` : null;
}

/** What to run by hand when the set-up cannot install them. */
export function wasmToolsCommand(): string {
  return aptCommand([...WASM_TOOL_PACKAGES]);
}

/** Installs the tools where they are missing (true when it did, or would); throws with the reason when it cannot. */
export function setUpWasmTools(dryRun = false): boolean {
  const missing = wasmToolsMissing();
  if (!missing) return false;
  const rel = osRelease();
  if (!(debianFamily(rel) === 'debian' && rel.VERSION_CODENAME === 'bookworm') || !aptUsable()) {
    throw new Error(`${missing}; LLVM 14 is installed automatically on Debian 12 only (as root or with sudo)`);
  }
  say(`${missing}: installing ${WASM_TOOL_PACKAGES.join(' ')} for the SIMD kernels' rebuild test`);
  if (dryRun) return true;
  aptInstall([...WASM_TOOL_PACKAGES]);
  const after = wasmToolsMissing();
  if (after) throw new Error(`after apt-get install: ${after}`);
  return true;
}
