/** Sweep progress on stderr: a bar with ETA on a TTY, one plain line per finished design otherwise. */
import type { SweepProgress, SweepRow } from './sweep.ts';

function clock(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const ss = String(Math.floor(s % 60)).padStart(2, '0');
  return h ? `${h}:${String(m % 60).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A progress reporter writing to `stream` (a bar when it is a TTY). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, tty = stream.isTTY === true): SweepProgress {
  let total = 0;
  let done = 0;
  let failed = 0;
  const t0 = performance.now();
  const eta = () => {
    const el = (performance.now() - t0) / 1000;
    return done ? (el / done) * (total - done) : Infinity;
  };
  return {
    start(toRun, cached) {
      total = toRun;
      stream.write(`sweep: ${cached} cached, ${toRun} to synthesize\n`);
    },
    done(row: SweepRow, seconds: number) {
      done++;
      if (!row.ok) failed++;
      const what = `${row.weight.spec} × ${row.activation.spec}`;
      if (tty) {
        const width = 30;
        const fill = Math.round((done / Math.max(total, 1)) * width);
        const bar = '#'.repeat(fill) + '.'.repeat(width - fill);
        stream.write(`\r[${bar}] ${done}/${total} ${((100 * done) / Math.max(total, 1)).toFixed(0)}% ETA ${clock(eta())}${failed ? ` ${failed} failed` : ''} ${what.padEnd(24)}`);
        if (done === total) stream.write('\n');
      } else {
        const c = row.ok && row.counts ? `${row.counts.lut} LUT ${row.counts.ff} FF` : `FAILED: ${row.error}`;
        stream.write(`[${done}/${total}] ${what}: ${c} (${seconds.toFixed(1)} s, ETA ${clock(eta())})\n`);
      }
    },
  };
}
