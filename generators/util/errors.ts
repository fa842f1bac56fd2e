/**
 * Bad-input errors. Every rule a user can break names the flag it came from, so the CLI can
 * print exactly one line: `error: <rule> (<flag>)` and exit 2.
 */

/**
 * Control characters (newline, tab, escape, DEL, C1, and the Unicode line and paragraph
 * separators) written as JSON escapes, so text echoed into an error stays on one line.
 */
export function oneLine(text: string): string {
  const short: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    Object.hasOwn(short, c) ? short[c] : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A user's value as an error echoes it: in single quotes, control characters escaped (`'a\\nb'`). */
export function shown(value: string): string {
  return `'${oneLine(value)}'`;
}

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
    // Escaped here, centrally: a value holding a newline can never split the line.
    return oneLine(`error: ${this.message} (${this.flag})`);
  }
}

/** A check that ran and failed (a mismatch, a bound not met): the CLI exits 1. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}
