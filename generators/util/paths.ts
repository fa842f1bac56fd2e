/** Project paths, resolved from this file so commands work from any working directory. */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.ts';

/**
 * The nearest folder at or above `dir` that holds a package.json. From the sources
 * (generators/util/) that is the repository; from the compiled code (dist/generators/util/) too,
 * since dist/ has no package.json of its own.
 */
function packageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d + '/';
    if (dirname(d) === d) return fileURLToPath(new URL('../../', import.meta.url));
  }
}

/** The repository root: where package.json, templates/ and the other non-code assets live. */
export const PROJECT_ROOT = packageRoot(fileURLToPath(new URL('.', import.meta.url)));

/** A file of the repository (a template, the Verilator harness, ...), from its path relative to the root. */
export function projectFile(rel: string): string {
  return resolve(PROJECT_ROOT, rel);
}

/** The extension of the running code: `.ts` from the sources (tsx), `.js` from the compiled dist/. */
export const CODE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Default folder for generated units. */
export const RTL_OUT = resolve(PROJECT_ROOT, 'rtl-out');

/** Default folder for synthesis records and sweep reports. */
export const SYNTH_REPORTS = resolve(PROJECT_ROOT, 'synth-reports');

/**
 * The folder the user ran the command in. `npm run gen` runs in this package's root and keeps the
 * folder npm was started in as INIT_CWD, so there that is it. Anywhere else the working folder is:
 * an INIT_CWD seen there belongs to some other package's npm script (`"hw": "cd rtl && minimac gen
 * --out o"` must write rtl/o, not o in that package's root).
 */
export function userCwd(): string {
  const init = process.env.INIT_CWD;
  return init && resolve(process.cwd()) === resolve(PROJECT_ROOT) ? init : process.cwd();
}

/** Resolve a user path against {@link userCwd}. */
export function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(userCwd(), p);
}

/**
 * A folder flag's value resolved like `userPath`; an empty (or all-blank) value is bad input
 * naming `flag`, since it would silently mean the working folder.
 */
export function userDir(p: string, flag: string): string {
  if (p.trim() === '') throw new UsageError('folder must not be empty (give a path, such as . for the working folder)', flag);
  return userPath(p);
}

/** A path with its symbolic links resolved as far as it exists (a folder still to be made keeps its name). */
export function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(resolve(p));
    return parent === resolve(p) ? parent : join(realish(parent), basename(p));
  }
}

/** Whether `p` is the folder `dir` or lies inside it (links resolved). */
export function isAtOrUnder(p: string, dir: string): boolean {
  const [a, d] = [realish(p), realish(dir)];
  return a === d || a.startsWith(d.endsWith(sep) ? d : d + sep);
}
