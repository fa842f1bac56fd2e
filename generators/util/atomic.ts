/**
 * Output folders. A unit's folder is written into a temporary sibling and renamed into place,
 * so an interrupted run leaves either the old folder or the new one, never a half-written one.
 * Folders are made level by level (never `mkdirSync(…, { recursive: true })`, which loops
 * forever under `/proc`), and a command that fails to make one removes what it made.
 */
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join, parse, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { shown, UsageError } from './errors.ts';

function why(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * Make `dir` and any missing parents one level at a time; returns the folders it made, outermost
 * first. Throws the first error (ENOENT under `/proc`, ENOTDIR under a file, EACCES, …).
 */
export function makeDirLevels(dir: string): string[] {
  const abs = resolve(dir);
  const root = parse(abs).root;
  const parts = abs.slice(root.length).split(sep).filter(Boolean);
  const made: string[] = [];
  let at = root;
  try {
    for (const p of parts) {
      at = join(at, p);
      try {
        mkdirSync(at);
        made.push(at);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (!statSync(at).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      }
    }
  } catch (e) {
    removeMade(made);
    throw e;
  }
  return made;
}

/** Remove folders `makeDirLevels` made (innermost first), as long as they are still empty. */
export function removeMade(made: readonly string[]): void {
  for (const d of [...made].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      // not empty any more (another process wrote into it) or already gone: leave it
    }
  }
}

/**
 * Make every folder of `dirs` (each with the flag that named it) and check each can be written
 * into; returns the folders it made (for {@link removeMade} when the command fails later). On the
 * first failure the folders made so far are removed again and a UsageError names that folder's
 * flag: nothing is left behind.
 */
export function ensureWritableDirs(dirs: readonly (readonly [dir: string, flag: string])[]): string[] {
  const made: string[] = [];
  for (const [dir, flag] of dirs) {
    try {
      made.push(...makeDirLevels(dir));
      accessSync(dir, constants.W_OK);
    } catch (e) {
      removeMade(made);
      throw new UsageError(`cannot write into ${shown(dir)} (${why(e)})`, flag);
    }
  }
  return made;
}

/** Make sure `dir` exists and can be written into (returns the folders made); a UsageError naming `flag` otherwise. */
export function ensureWritableDir(dir: string, flag: string): string[] {
  return ensureWritableDirs([[dir, flag]]);
}

/** A hidden temporary name beside `target` (pid and random bytes keep concurrent runs apart). */
export function tempSibling(parent: string, base: string): string {
  return join(parent, `.${base}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** A temporary folder younger than this is never taken for a leftover (a writer on another host may own it). */
const STALE_MS = 60_000;

/** Whether process `pid` of this host is gone. */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Remove the temporary siblings of `parent/name` (`.name.tmp-PID-…`, `.name.old.tmp-PID-…`) that a
 * killed writer left behind (SIGKILL, power loss: no handler runs): those whose process is gone and
 * that are over a minute old. A live writer's folders are never touched.
 */
export function removeStaleTemps(parent: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const rest = [`.${name}.tmp-`, `.${name}.old.tmp-`].filter((p) => entry.startsWith(p)).map((p) => entry.slice(p.length))[0];
    const m = rest === undefined ? null : /^(\d+)-[0-9a-f]{8}$/.exec(rest);
    if (!m || Number(m[1]) === process.pid || !processGone(Number(m[1]))) continue;
    try {
      if (Date.now() - statSync(join(parent, entry)).mtimeMs > STALE_MS) rmSync(join(parent, entry), { recursive: true, force: true });
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
}

/** Attempts at putting a folder in place while other processes replace it too. */
const PLACE_ATTEMPTS = 1000;

/**
 * Write `files` as the folder `parent/name`, replacing any previous one. Safe against other
 * processes writing the same folder at once: the last complete folder renamed into place wins,
 * and every temporary folder is removed.
 *
 * Linux cannot rename a folder over a non-empty one, so replacing is two renames: the old folder
 * aside, then the new one in. Between them another writer may put its folder in place (our
 * rename in fails with ENOTEMPTY: move that one aside too and retry) or move the old one aside
 * first (our rename aside fails with ENOENT: just retry the rename in). Each moved-aside folder
 * belongs to the process that moved it, which deletes it at once.
 */
export function writeFolderAtomic(parent: string, name: string, files: ReadonlyMap<string, string | Uint8Array>): string {
  const target = join(parent, name);
  removeStaleTemps(parent, name);
  const tmp = tempSibling(parent, name);
  mkdirSync(tmp);
  try {
    for (const [file, content] of files) writeFileSync(join(tmp, file), content);
    for (let attempt = 0; ; attempt++) {
      try {
        renameSync(tmp, target);
        return target;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= PLACE_ATTEMPTS) throw e;
      }
      const old = tempSibling(parent, `${name}.old`);
      try {
        renameSync(target, old);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        continue; // another writer moved it aside first
      }
      rmSync(old, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Write one file atomically (temporary file, then rename); rename replaces a file atomically. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
