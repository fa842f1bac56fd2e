/**
 * Sweep progress on stderr. On a TTY, a cli-progress bar redrawn in place and fitted to the
 * terminal's width at every redraw (a line longer than the terminal wraps, and then every redraw
 * leaves a new line behind); otherwise (CI logs) one plain line per finished design.
 *
 * The ETA is computed here from the designs' own times (`etaSeconds`), not by cli-progress: its
 * estimate is a rate over wall time since the start, which with designs of very different sizes
 * finishing in bursts of `jobs` swings widely, and it has nothing to show before the first one.
 */
import cliProgress from 'cli-progress';
import type { SweepProgress, SweepRow } from './sweep.ts';

/** What the reporter writes to: process.stderr, or a fake with the same few members in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** `m:ss` (or `h:mm:ss`); `--:--` for no estimate. */
export function clock(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--:--';
  const t = Math.max(0, Math.round(s));
  const m = Math.floor(t / 60);
  const h = Math.floor(m / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m % 60).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Seconds left: mean seconds per finished design × designs remaining ÷ designs running at once
 * (`jobs`, or fewer when fewer remain); null before the first design has finished. The first
 * `jobs` designs to finish each carry a worker's start-up (thread, wasm compile, JIT: 3–5× a warm
 * design on this machine), so once later ones have finished they alone make the mean.
 */
export function etaSeconds(times: readonly number[], remaining: number, jobs: number): number | null {
  if (remaining <= 0) return 0;
  // No guess before a design has finished: an early guess from wall time is what said 5:17 for 51 s.
  if (times.length === 0) return null;
  const warm = times.length > jobs ? times.slice(jobs) : times;
  const mean = warm.reduce((a, b) => a + b, 0) / warm.length;
  return (mean * remaining) / Math.max(1, Math.min(jobs, remaining));
}

/** What one bar line shows. */
export interface BarState {
  readonly value: number;
  readonly total: number;
  readonly elapsedSeconds: number;
  /** The ETA, already formatted (`--:--` before the first design finishes). */
  readonly eta: string;
  readonly failed: number;
  /** The design that finished last ('' before any has). */
  readonly design: string;
}

/** Widest bar drawn (in a wide terminal the name and numbers matter more than a long bar). */
const BAR_MAX = 30;
/** Narrowest bar worth drawing; below it the line goes without one. */
const BAR_MIN = 8;
/** Shortest design name worth showing (truncated to it with an ellipsis). */
const NAME_MIN = 5;

/**
 * The bar line for a terminal `columns` wide, at most `columns - 1` long so it never reaches the
 * last column (where some terminals wrap). Numbers first, then the bar (shrunk from BAR_MAX down to
 * BAR_MIN), then the design name, truncated with `…` to what is left.
 */
export function barLine(columns: number, s: BarState): string {
  const room = Math.max(1, columns - 1);
  const pct = s.total > 0 ? Math.floor((100 * s.value) / s.total) : 100;
  const stats = `${s.value}/${s.total} ${pct}% ${clock(s.elapsedSeconds)} ETA ${s.eta}${s.failed ? ` ${s.failed} failed` : ''}`;
  // A terminal too narrow even for the numbers: the numbers, cut.
  if (stats.length >= room) return stats.slice(0, room);
  const free = room - stats.length;
  const name = s.design ? ` ${s.design}` : '';
  // `[` + bar + `] `: 3 columns beside the bar itself. The bar gives way to the name down to BAR_MIN.
  const bar = Math.min(BAR_MAX, Math.max(BAR_MIN, free - 3 - name.length));
  const barText = bar + 3 <= free ? `[${'#'.repeat(Math.round((bar * pct) / 100))}${'.'.repeat(bar - Math.round((bar * pct) / 100))}] ` : '';
  const nameRoom = free - barText.length;
  const shown = name.length <= nameRoom ? name : nameRoom >= NAME_MIN + 1 ? `${name.slice(0, nameRoom - 1).trimEnd()}…` : '';
  return barText + stats + shown;
}

/** Options of `progressReporter`. */
export interface ProgressOptions {
  /** Designs synthesized at once (the sweep's --jobs): the ETA divides by it. */
  readonly jobs: number;
  readonly stream?: ProgressStream;
  /** Draw the bar (default: whether the stream is a TTY). */
  readonly tty?: boolean;
}

/** A progress reporter writing to `stream` (default stderr): a bar on a TTY, plain lines otherwise. */
export function progressReporter(opts: ProgressOptions): SweepProgress {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? stream.isTTY === true;
  let total = 0;
  let done = 0;
  let failed = 0;
  const times: number[] = [];
  let bar: cliProgress.SingleBar | null = null;
  const stop = (): void => {
    // cli-progress draws the final line and ends it with a newline.
    bar?.stop();
    bar = null;
  };
  return {
    start(toRun, cached) {
      total = toRun;
      stream.write(`sweep: ${cached} cached, ${toRun} to synthesize\n`);
      // Nothing to synthesize: no bar at all (the line above already ends in a newline).
      if (!tty || toRun === 0) return;
      bar = new cliProgress.SingleBar({
        // cli-progress writes, and moves the cursor through node:readline, with write() alone.
        stream: stream as NodeJS.WritableStream,
        // The whole line is ours: fitted to the width cli-progress reads from stream.columns at
        // every redraw, so a resized terminal is followed too.
        format: (_o, p, payload: Omit<BarState, 'value' | 'total' | 'elapsedSeconds'>) =>
          barLine(p.maxWidth, { ...payload, value: p.value, total: p.total, elapsedSeconds: ((p.stopTime ?? Date.now()) - p.startTime) / 1000 }),
        // Leave the terminal's autowrap alone (cli-progress's default turns it off until stop(),
        // which a crash would leave off); cli-progress then also cuts a line at the width.
        linewrap: true,
        // The cursor stays visible: no terminal state for a killed sweep to leave behind, and so no
        // SIGINT handler needed to restore it.
        hideCursor: false,
        gracefulExit: false,
      });
      bar.start(toRun, 0, { eta: clock(null), failed: 0, design: '' });
    },
    done(row: SweepRow, s: number) {
      done++;
      times.push(s);
      if (!row.ok) failed++;
      const what = `${row.weight.spec} × ${row.activation.spec}`;
      if (bar) {
        bar.update(done, { eta: clock(etaSeconds(times, total - done, opts.jobs)), failed, design: what });
        if (done >= total) stop();
      } else if (!tty) {
        const c = row.ok && row.counts ? `${row.counts.lut} LUT ${row.counts.ff} FF` : `FAILED: ${row.error}`;
        stream.write(`[${done}/${total}] ${what}: ${c} (${s.toFixed(1)} s)\n`);
      }
    },
    end: stop,
  };
}
