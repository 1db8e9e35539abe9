/**
 * The set-up: installs what the project needs outside npm, without asking, and registers the
 * project's tslab kernel. Runs by itself as npm's `postinstall` (so `npm ci` does it), again
 * from `npm start` when a prerequisite has gone, and with `--test` from `npm test`.
 *
 *   npm run setup                    # Jupyter for the main job, and the kernel
 *   npx tsx scripts/setup.ts --test  # also the test references (what `npm test` runs first)
 *   npx tsx scripts/setup.ts --dry-run [--test]   # say what would be installed; change nothing
 *
 * What it installs, and how, is in the modules of scripts/install/ (Python and Jupyter:
 * python.ts; Chromium: browser.ts; lavapipe: vulkan.ts; LLVM 14: wasm-tools.ts; git: git.ts;
 * apt-get: debian.ts) and in environment.md. It prints each thing it installs and why; where nothing can be installed it
 * stops with one message naming the commands to run (exit 1). Running it again on a machine it
 * has set up installs and writes nothing. Its choices (which Python, which Chromium) are kept
 * in .kernel/setup.json, which everything after it reads (scripts/install/record.ts).
 */
import { say } from './install/common.js';
import { chromiumCommand, setUpChromium } from './install/browser.js';
import { KERNEL_DIR, KERNEL_JSON, registerKernel } from './install/kernel.js';
import { JUPYTER_MODULES, SetupStop, TEST_MODULES, setUpPython } from './install/python.js';
import { RECORD_FILE, updateRecord } from './install/record.js';
import { lavapipeCommand, lavapipeMissing, setUpLavapipe } from './install/vulkan.js';
import { setUpWasmTools, wasmToolsCommand } from './install/wasm-tools.js';
import { gitCommand, setUpGit } from './install/git.js';

const args = process.argv.slice(2);
for (const a of args) {
  if (a !== '--test' && a !== '--dry-run') {
    console.error(`setup: unknown argument ${a} (use --test, --dry-run)`);
    process.exit(2);
  }
}
const forTests = args.includes('--test');
const dryRun = args.includes('--dry-run');
const t0 = performance.now();

async function main(): Promise<number> {
  const wrote: string[] = [];
  const modules = forTests ? [...JUPYTER_MODULES, ...TEST_MODULES] : [...JUPYTER_MODULES];
  let python: string;
  try {
    const choice = setUpPython(modules, dryRun);
    python = choice.python;
    if (choice.how !== 'found') wrote.push(`Python modules (${choice.how})`);
  } catch (e) {
    if (e instanceof SetupStop) {
      console.error(`\nsetup: ${e.message}`);
      return 1;
    }
    throw e;
  }
  if (registerKernel(dryRun)) wrote.push(`kernelspec ${KERNEL_JSON}`);
  if (!dryRun && updateRecord({ python })) wrote.push(`${RECORD_FILE} (Python: ${python})`);

  const problems: string[] = [];
  if (forTests) {
    try {
      const chromium = await setUpChromium(dryRun);
      if (chromium && !dryRun && updateRecord({ chromium })) wrote.push(`${RECORD_FILE} (Chromium: ${chromium})`);
    } catch (e) {
      problems.push(`Chromium for the browser tests: ${(e as Error).message}\n    run: ${chromiumCommand()}`);
    }
    try {
      const had = lavapipeMissing() === null;
      setUpLavapipe(dryRun);
      if (!had) wrote.push('lavapipe (apt-get)');
    } catch (e) {
      problems.push(`lavapipe for the WebGPU tests: ${(e as Error).message}\n    run: ${lavapipeCommand()}`);
    }
    try {
      if (setUpGit(dryRun)) wrote.push('git (apt-get)');
    } catch (e) {
      problems.push(`git for the .gitignore test: ${(e as Error).message}\n    run: ${gitCommand()}`);
    }
    try {
      if (setUpWasmTools(dryRun)) wrote.push('LLVM 14 (apt-get)');
    } catch (e) {
      problems.push(`LLVM 14 for the SIMD kernels' rebuild test: ${(e as Error).message}\n    run: ${wasmToolsCommand()}`);
    }
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (problems.length) {
    console.error(`\nsetup: could not install:\n  - ${problems.join('\n  - ')}\n  The tests that need them are skipped with a note (under CI=true they fail).`);
    return 1;
  }
  say(`${dryRun ? '(dry run) ' : ''}ready in ${secs} s; Python: ${python}; ${wrote.length ? `${dryRun ? 'would change' : 'changed'}: ${wrote.join('; ')}` : 'nothing to install or change'}`);
  if (!forTests) say(`the tslab kernel is registered in ${KERNEL_DIR} (JUPYTER_PATH; npm start and npm run lab set it)`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`setup: ${(e as Error).message}`);
  process.exitCode = 1;
}
