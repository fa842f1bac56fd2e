/**
 * Atomic output: a unit's folder is written into a temporary sibling and renamed into place,
 * so an interrupted run leaves either the old folder or the new one, never a half-written one.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, statSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from './errors.ts';

/** Make sure `dir` exists and can be written into; a UsageError naming `flag` otherwise. */
export function ensureWritableDir(dir: string, flag: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(`cannot write into '${dir}' (${why})`, flag);
  }
}

/** A hidden temporary name beside `target` (pid and random bytes keep concurrent runs apart). */
export function tempSibling(parent: string, base: string): string {
  return join(parent, `.${base}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Write `files` as the folder `parent/name`, replacing any previous one atomically. */
export function writeFolderAtomic(parent: string, name: string, files: ReadonlyMap<string, string | Uint8Array>): string {
  const target = join(parent, name);
  const tmp = tempSibling(parent, name);
  mkdirSync(tmp);
  try {
    for (const [file, content] of files) writeFileSync(join(tmp, file), content);
    let old: string | null = null;
    try {
      renameSync(tmp, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
      old = tempSibling(parent, `${name}.old`);
      renameSync(target, old);
      renameSync(tmp, target);
    }
    if (old) rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return target;
}

/** Write one file atomically (temporary file, then rename). */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
