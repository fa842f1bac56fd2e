/**
 * Bad-input errors. Every rule a user can break names the flag it came from, so the CLI can
 * print exactly one line: `error: <rule> (<flag>)` and exit 2.
 */

/** A violated input rule, tied to the command-line flag that carried the bad value. */
export class UsageError extends Error {
  /** The flag that carried the bad value, e.g. `--acc`. */
  readonly flag: string;

  constructor(message: string, flag: string) {
    super(message);
    this.name = 'UsageError';
    this.flag = flag;
  }

  /** The one line the CLI prints on stderr. */
  line(): string {
    return `error: ${this.message} (${this.flag})`;
  }
}

/** A check that ran and failed (a mismatch, a bound not met): the CLI exits 1. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}
