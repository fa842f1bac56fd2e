/** Project paths, resolved from this file so commands work from any working directory. */
import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from './errors.ts';

/** The repository root. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Default folder for generated units. */
export const RTL_OUT = resolve(PROJECT_ROOT, 'rtl-out');

/** Default folder for synthesis records and sweep reports. */
export const SYNTH_REPORTS = resolve(PROJECT_ROOT, 'synth-reports');

/** Resolve a user path against the folder the user ran npm in (INIT_CWD), else the cwd. */
export function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/**
 * A folder flag's value resolved like `userPath`; an empty (or all-blank) value is bad input
 * naming `flag`, since it would silently mean the working folder.
 */
export function userDir(p: string, flag: string): string {
  if (p.trim() === '') throw new UsageError('folder must not be empty (give a path, such as . for the working folder)', flag);
  return userPath(p);
}
