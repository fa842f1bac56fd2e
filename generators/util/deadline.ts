/**
 * `--timeout SECONDS` of synth and verify: one deadline per command. When it passes, the
 * deadline's AbortSignal fires: every external tool started through {@link runTool} is killed
 * with all its descendants (a Verilator build's make and compilers, a native Yosys), the Yosys
 * worker pool terminates its workers, and the command fails with exit 1 and one message.
 * In-process work (the golden model, a wasm Yosys on the main thread) cannot be interrupted;
 * it is checked at its end with {@link checkDeadline}.
 */
import { execa, type Result } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { CheckFailure, shown, UsageError } from './errors.ts';
import { decimalNumber } from './numbers.ts';

/** Longest `--timeout`: one day. */
export const MAX_TIMEOUT_S = 86_400;

/** The command ran out of time: exit 1 with `FAIL: timed out after N s (--timeout) …`. */
export class TimeoutError extends CheckFailure {
  constructor(
    readonly seconds: number,
    readonly what: string,
  ) {
    super(`timed out after ${seconds} s (--timeout) while ${what}`);
    this.name = 'TimeoutError';
  }

  /** What `--json` prints on stdout for it (the FAIL line still goes to stderr). */
  json(): { timedOut: { seconds: number; while: string } } {
    return { timedOut: { seconds: this.seconds, while: this.what } };
  }
}

/** Parse `--timeout`: a positive decimal number of seconds, at most one day; undefined for none. */
export function timeoutFlag(v: string | true | undefined): number | undefined {
  if (v === undefined) return undefined;
  const text = typeof v === 'string' ? v : '';
  const s = decimalNumber(text);
  if (s === null) throw new UsageError(`timeout must be a decimal number of seconds, not ${shown(text)}`, '--timeout');
  if (!(s > 0) || s > MAX_TIMEOUT_S) throw new UsageError(`timeout must be more than 0 and at most ${MAX_TIMEOUT_S} seconds, not ${text}`, '--timeout');
  return s;
}

const controller = new AbortController();
let doing = 'starting';

/** Fires when the command's deadline passes (never, without --timeout). */
export const deadlineSignal: AbortSignal = controller.signal;

/** Say what the command is doing now, for the timeout message. */
export function nowDoing(what: string): void {
  doing = what;
}

/** Arm the deadline `seconds` from now (no-op for undefined). The timer never keeps the process alive. */
export function armDeadline(seconds: number | undefined): void {
  if (seconds === undefined) return;
  setTimeout(() => controller.abort(new TimeoutError(seconds, doing)), seconds * 1000).unref();
}

/** Throw the TimeoutError when the deadline has passed. */
export function checkDeadline(): void {
  if (deadlineSignal.aborted) throw deadlineSignal.reason as Error;
}

/** Every live descendant of a process (Linux /proc; empty elsewhere). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    let kids: number[] = [];
    try {
      kids = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    } catch {
      continue;
    }
    for (const k of kids) out.push(k, ...descendants(k));
  }
  return out;
}

/** Kill a process and all its descendants with SIGKILL (children first found, then killed together). */
export function killTree(pid: number): void {
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** How the tools are run: never rejecting, stdout and stderr interleaved in `all`. */
type ToolOptions = { readonly reject: false; readonly all: true; readonly cwd?: string };

/** What a tool run gives: exit code, stdout, stderr, and both interleaved in `all`. */
export type ToolResult = Result<ToolOptions>;

/**
 * `execa(file, args, { reject: false, all: true, cwd })` with the deadline: at the deadline the
 * tool and its descendants are killed and this rejects with the TimeoutError.
 */
export async function runTool(file: string, args: readonly string[], cwd?: string): Promise<ToolResult> {
  checkDeadline();
  const options: ToolOptions = cwd === undefined ? { reject: false, all: true } : { reject: false, all: true, cwd };
  const child = execa(file, args, options);
  const kill = () => {
    if (child.pid !== undefined) killTree(child.pid);
  };
  deadlineSignal.addEventListener('abort', kill, { once: true });
  try {
    const r = await child;
    checkDeadline();
    return r;
  } catch (e) {
    checkDeadline();
    throw e;
  } finally {
    deadlineSignal.removeEventListener('abort', kill);
  }
}
