/**
 * Who made a unit: the generator's name and version (the manifest's `generator` object) and, for
 * `minimac --version`, the git commit of the checkout it runs from.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

/** The generator's name and version, as the manifest records them (version from package.json). */
export const GENERATOR: Readonly<{ name: string; version: string }> = Object.freeze({
  name: 'minimac',
  version: (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
});

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The commit the repository's HEAD is at, read from `.git` directly (no `git` process, which may
 * not be installed): a detached HEAD, a loose ref or a packed ref; `.git` may be a file
 * (`gitdir: …`, worktrees and submodules). Returns `unknown` when this is not a git checkout.
 */
export function gitCommit(root: string = PROJECT_ROOT): string {
  let gitDir = join(root, '.git');
  const link = read(gitDir);
  if (link?.startsWith('gitdir:')) {
    const p = link.slice(7).trim();
    gitDir = isAbsolute(p) ? p : resolve(root, p);
  }
  const head = read(join(gitDir, 'HEAD'));
  if (!head) return 'unknown';
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) return 'unknown';
  const common = read(join(gitDir, 'commondir'));
  const dirs = [gitDir, ...(common ? [isAbsolute(common) ? common : resolve(gitDir, common)] : [])];
  for (const d of dirs) {
    const loose = read(join(d, ref));
    if (loose && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
    const packed = read(join(d, 'packed-refs'));
    const hit = packed?.split('\n').find((l) => l.endsWith(` ${ref}`));
    if (hit) return hit.split(' ')[0];
  }
  return 'unknown';
}

/** The `--version` line: `minimac 0.1.0 (commit 65f327f…)`. */
export function versionLine(): string {
  return `${GENERATOR.name} ${GENERATOR.version} (commit ${gitCommit()})\n`;
}
