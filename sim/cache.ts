/**
 * The build cache under `.cache/` (git-ignored): one folder per key, where the key hashes every
 * input of the build. Entries appear atomically (built in a temporary sibling, then renamed),
 * so an interrupted build never leaves a half-written entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../generators/util/paths.ts';
import { makeDirLevels, tempSibling } from '../generators/util/atomic.ts';

/** The root of verify's caches (MINIMAC_CACHE overrides it). */
export const CACHE_ROOT = resolve(process.env.MINIMAC_CACHE ?? join(PROJECT_ROOT, '.cache'));

/** A short hex digest of some parts, in order (lengths included, so parts never run together). */
export function hashParts(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:`).update(p);
  return h.digest('hex').slice(0, 24);
}

/**
 * The folder `<kind>/<key>`, creating it with `build(tmpDir)` when missing. `build` fills a
 * fresh temporary folder; only a build that returns is renamed into place.
 */
export async function cachedDir(kind: string, key: string, build: (dir: string) => Promise<void>): Promise<{ dir: string; hit: boolean }> {
  const parent = join(CACHE_ROOT, kind);
  const dir = join(parent, key);
  if (existsSync(dir)) return { dir, hit: true };
  makeDirLevels(parent); // never recursive mkdirSync: it loops forever under /proc
  const tmp = tempSibling(parent, key);
  mkdirSync(tmp);
  try {
    await build(tmp);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same key first: theirs is as good as ours.
      if (!existsSync(dir)) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { dir, hit: false };
}
