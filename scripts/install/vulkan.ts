/**
 * lavapipe, Mesa's software Vulkan driver, for the WebGPU tests: Dawn runs on it without a GPU.
 * A test reference only; the main job never needs it.
 *
 * The WebGPU tests find its driver file at NSEG_LAVAPIPE_ICD, default
 * /usr/share/vulkan/icd.d/lvp_icd.json, and set VK_DRIVER_FILES themselves. Dawn needs Mesa 24 or
 * newer: Debian 12 ships 22.3, so there the set-up adds bookworm-backports (Mesa 25) and installs
 * `-t bookworm-backports mesa-vulkan-drivers libvulkan1`; Debian 13 and Ubuntu 24.04 have a new
 * enough Mesa of their own. Not available on macOS or Windows (no Vulkan there).
 */
import { existsSync } from 'node:fs';
import { debianFamily, osRelease, say } from './common.js';
import { aptCommand, aptInstall, aptUsable, ensureSuite, installedVersion, majorVersion } from './debian.js';

/** Oldest Mesa whose lavapipe Dawn accepts. */
export const MIN_MESA = 24;

/** Where the WebGPU tests look for lavapipe's driver file. */
export function lavapipeIcd(): string {
  return process.env.NSEG_LAVAPIPE_ICD || '/usr/share/vulkan/icd.d/lvp_icd.json';
}

const LOADER_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];

/** Why lavapipe is not usable here, or null when it is. */
export function lavapipeMissing(): string | null {
  if (process.platform !== 'linux') return `lavapipe (Mesa's software Vulkan driver) is Linux-only; this is ${process.platform}`;
  const icd = lavapipeIcd();
  if (!existsSync(icd)) return `no lavapipe driver file at ${icd}`;
  if (!LOADER_DIRS.some((d) => existsSync(`${d}/libvulkan.so.1`))) return 'no Vulkan loader (libvulkan.so.1)';
  const v = installedVersion('mesa-vulkan-drivers');
  if (v && majorVersion(v) < MIN_MESA) return `Mesa ${v} is older than ${MIN_MESA}, too old for Dawn`;
  return null;
}

/** The suite to install Mesa from on this release, if its own is too old (Debian 12: backports). */
export function mesaSuite(rel: Record<string, string> = osRelease()): string | undefined {
  return rel.ID === 'debian' && rel.VERSION_CODENAME === 'bookworm' ? 'bookworm-backports' : undefined;
}

/** What to run by hand when the set-up cannot install lavapipe. */
export function lavapipeCommand(): string {
  const suite = mesaSuite();
  return `${suite ? `(add the apt suite ${suite}, then) ` : ''}${aptCommand(['mesa-vulkan-drivers', 'libvulkan1'], suite)}`;
}

/** Installs lavapipe where it is missing; throws with the reason when it cannot. */
export function setUpLavapipe(dryRun = false): void {
  const missing = lavapipeMissing();
  if (!missing) return;
  if (process.platform !== 'linux') throw new Error(missing);
  if (!debianFamily() || !aptUsable()) throw new Error(`${missing}, and apt-get cannot be used here`);
  const suite = mesaSuite();
  say(`${missing}: installing lavapipe for the WebGPU tests (mesa-vulkan-drivers libvulkan1${suite ? ` from ${suite}` : ''})`);
  if (dryRun) return;
  if (suite) ensureSuite(suite, 'bookworm');
  aptInstall(['mesa-vulkan-drivers', 'libvulkan1'], suite);
  const after = lavapipeMissing();
  if (after) throw new Error(`after installing Mesa: ${after}`);
}
