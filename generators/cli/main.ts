/**
 * The shared frame of every command: run, map UsageError to `error: … (--flag)` and exit 2,
 * CheckFailure to exit 1.
 */
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
