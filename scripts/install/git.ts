/**
 * git, for the test that checks `.gitignore` against the names of writeFileAtomic's temporary
 * files (`git check-ignore`, git's own matching rules as the reference). A test reference only.
 * A clone has git already; a tree copied without it (an archive, a download) may not: on Debian
 * and Ubuntu the set-up installs it with apt-get, elsewhere it names the command.
 */
import { debianFamily, say, which } from './common.js';
import { aptCommand, aptInstall, aptUsable } from './debian.js';

/** What to run by hand when the set-up cannot install git. */
export function gitCommand(): string {
  return debianFamily() ? aptCommand(['git']) : 'install git (https://git-scm.com/downloads)';
}

/** Installs git where it is missing (true when it did, or would); throws with the reason when it cannot. */
export function setUpGit(dryRun = false): boolean {
  if (which('git')) return false;
  if (!debianFamily() || !aptUsable()) throw new Error('git is not on PATH, and apt-get cannot be used here');
  say("no git: installing it for the test of .gitignore's patterns (apt-get: git)");
  if (dryRun) return true;
  aptInstall(['git']);
  if (!which('git')) throw new Error('after apt-get install git, git is still not on PATH');
  return true;
}
