/**
 * The shared frame of every command: run, map UsageError to `error: … (--flag)` and exit 2,
 * CheckFailure to exit 1.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckFailure, UsageError } from '../util/errors.ts';

/** Run a command's body and exit with the contract's code (0 ok, 1 check failed, 2 bad input). */
export async function runCommand(body: () => Promise<number | void> | number | void): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(e.line() + '\n');
      process.exitCode = 2;
    } else if (e instanceof CheckFailure) {
      process.stderr.write(`FAIL: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`error: internal: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  }
}

/** Whether the module with this import.meta.url is the script node was asked to run. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(fileURLToPath(moduleUrl)) === realpathSync(resolve(script));
  } catch {
    return false;
  }
}
