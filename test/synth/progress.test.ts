/**
 * The sweep's progress display (synth/progress.ts): the TTY bar fits the terminal and redraws in
 * place, the ETA from the designs' own times, plain per-design lines off a TTY, and the pool's
 * per-run start (synth/pool.ts) that those times are measured from.
 */
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { YosysPool } from '../../synth/pool.ts';
import { barLine, clock, etaSeconds, progressReporter } from '../../synth/progress.ts';
import type { SweepRow } from '../../synth/sweep.ts';

/** A stream that records what is written; a TTY `columns` wide when `columns` is given. */
function fakeStream(columns?: number) {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(''),
    isTTY: columns !== undefined,
    columns,
    // cli-progress moves the cursor through node:readline, which only calls write().
    write(s: string) {
      chunks.push(s);
      return true;
    },
  };
}

const side = (spec: string) => ({ spec, kind: spec.startsWith('int') ? ('int' as const) : ('float' as const), bits: 0 });
const FORMATS = ['e1m1', 'int3', 'e5m10', 'int16', 'e2m1'];

/** The i-th of 20 rows: long and short names, every seventh a failure. */
function row(i: number): SweepRow {
  const ok = i % 7 !== 3;
  return {
    index: i,
    weight: side(FORMATS[i % 5]),
    activation: side(FORMATS[(i * 3) % 5]),
    name: `u${i}`,
    target: 'xc7',
    productWidth: 8,
    accWidth: 12,
    accFrac: 0,
    key: 'k',
    ok,
    counts: ok ? ({ lut: 40 + i, ff: 13 } as SweepRow['counts']) : null,
    error: ok ? null : 'yosys exited 1',
    logTail: null,
  } as SweepRow;
}

/** The bar's redraws: the text after the first line, cut where the cursor goes back to column 1. */
function redraws(text: string): string[] {
  const first = 'sweep: 3 cached, 20 to synthesize\n';
  expect(text.startsWith(first)).toBe(true);
  return text
    .slice(first.length)
    .split(/\r|\x1b\[1?G/)
    .map((s) => stripVTControlCharacters(s))
    .filter((s) => s !== '');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the TTY bar', () => {
  for (const columns of [40, 60, 200]) {
    it(`${columns} columns, 20 designs: every redraw fits on one line, only the last ends in a newline`, () => {
      // cli-progress redraws on a timer and reads Date.now(): fake both, a second per design.
      vi.useFakeTimers();
      const s = fakeStream(columns);
      const p = progressReporter({ jobs: 2, stream: s });
      p.start(20, 3);
      for (let i = 0; i < 20; i++) {
        vi.advanceTimersByTime(1000);
        p.done(row(i), 2);
      }
      p.end?.();
      const lines = redraws(s.text());
      // With a space in front, a field reads the same whether a bar precedes it or not.
      const shown = (x: string) => lines.some((l) => ` ${l}`.includes(x));
      for (const l of lines) expect(l.replace(/\n$/, '').length, JSON.stringify(l)).toBeLessThan(columns);
      expect(lines.slice(0, -1).filter((l) => l.includes('\n'))).toEqual([]);
      expect(` ${lines.at(-1)}`).toMatch(/ 20\/20 100% 0:20 ETA 0:00 3 failed.*\n$/);
      // Every design's update was drawn, with its ETA: 2 s each × remaining ÷ 2 jobs.
      for (let k = 1; k <= 20; k++) expect(shown(` ${k}/20 `), String(k)).toBe(true);
      expect(shown(' 10/20 50% 0:10 ETA 0:10 1 failed')).toBe(true);
      // Before the first design finishes: no guess.
      expect(` ${lines[0]}`).toContain(' 0/20 0% 0:00 ETA --:--');
      if (columns === 200) expect(lines.at(-1)).toBe(`[${'#'.repeat(30)}] 20/20 100% 0:20 ETA 0:00 3 failed e2m1 × e5m10\n`);
      // Nothing is left running (cli-progress's redraw timer is stopped).
      expect(vi.getTimerCount()).toBe(0);
    });
  }

  it('nothing to synthesize: the first line only, no bar', () => {
    const s = fakeStream(60);
    const p = progressReporter({ jobs: 4, stream: s });
    p.start(0, 28);
    p.end?.();
    expect(s.text()).toBe('sweep: 28 cached, 0 to synthesize\n');
  });

  it('a sweep that stops early (an error): end() draws the last state and ends the line', () => {
    vi.useFakeTimers();
    const s = fakeStream(60);
    const p = progressReporter({ jobs: 1, stream: s });
    p.start(20, 3);
    p.done(row(0), 1);
    p.end?.();
    expect(stripVTControlCharacters(s.text())).toMatch(/ 1\/20 5% .*e1m1 × e1m1\n$/);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('barLine', () => {
  const state = { value: 7, total: 1089, elapsedSeconds: 3725, eta: '1:02:03', failed: 12, design: 'e5m10 × int16' };
  it('never reaches the last column, however narrow or wide', () => {
    for (let c = 1; c <= 120; c++) expect(barLine(c, state).length, String(c)).toBeLessThanOrEqual(Math.max(1, c - 1));
  });
  it('gives way in order: the bar shrinks to 8, the name is cut, then goes, then the bar goes', () => {
    const stats = '7/1089 0% 1:02:05 ETA 1:02:03 12 failed';
    expect(barLine(200, state)).toBe(`[${'.'.repeat(30)}] ${stats} e5m10 × int16`);
    expect(barLine(70, state)).toBe(`[${'.'.repeat(13)}] ${stats} e5m10 × int16`);
    expect(barLine(60, state)).toBe(`[${'.'.repeat(8)}] ${stats} e5m10 ×…`);
    expect(barLine(52, state)).toBe(`[${'.'.repeat(8)}] ${stats}`);
    expect(barLine(50, state)).toBe(`${stats} e5m10 ×…`);
    expect(barLine(45, state)).toBe(stats);
    expect(barLine(20, state)).toBe('7/1089 0% 1:02:05 E');
  });
});

describe('etaSeconds', () => {
  const cases: [string, [times: number[], remaining: number, jobs: number], number | null][] = [
    ['no design done yet: no guess', [[], 10, 2], null],
    ['2 jobs, 4 done in 10 s each, 6 remaining', [[10, 10, 10, 10], 6, 2], 30],
    ['1 job: the mean of the warm designs times what remains', [[3, 3, 3], 5, 1], 15],
    ['fewer remaining than jobs: they all run at once', [[10, 10, 10, 10], 2, 8], 10],
    ['nothing remaining', [[10, 10], 0, 4], 0],
    ['the first design of each of 2 workers (start-up) is left out once warm ones exist', [[18, 9, 2, 4], 10, 2], 15],
    ['only start-up designs so far: they are all there is', [[18, 9], 10, 2], 67.5],
  ];
  for (const [what, args, want] of cases) it(what, () => expect(etaSeconds(...args)).toBe(want));
  it('clock: --:-- for no estimate, m:ss, h:mm:ss', () => {
    expect([clock(null), clock(0), clock(30), clock(59.6), clock(317), clock(3725)]).toEqual(['--:--', '0:00', '0:30', '1:00', '5:17', '1:02:05']);
  });
});

describe('off a TTY', () => {
  it('one line per design with its own seconds, nothing else', () => {
    const s = fakeStream();
    const p = progressReporter({ jobs: 2, stream: s });
    p.start(2, 0);
    p.done(row(0), 2.5);
    p.done(row(3), 41.25);
    p.end?.();
    expect(s.text()).toBe('sweep: 0 cached, 2 to synthesize\n[1/2] e1m1 × e1m1: 40 LUT 13 FF (2.5 s)\n[2/2] int16 × e2m1: FAILED: yosys exited 1 (41.3 s)\n');
  });
});

describe('YosysPool run start', () => {
  it('1 runner, 2 runs queued at once: each is timed from its own start, not from the queue', async () => {
    const pool = new YosysPool(1, 'wasm');
    const t0 = performance.now();
    const timed = async () => {
      let start = NaN;
      const r = await pool.run({}, 'help\n', [], () => (start = performance.now()));
      expect(r.code).toBe(0);
      return (performance.now() - start) / 1000;
    };
    try {
      const [a, b] = await Promise.all([timed(), timed()]);
      const wall = (performance.now() - t0) / 1000;
      // The first run carries the runner's start-up (seconds), the second only its own run: timed
      // from the queue, the second would be about the whole wall time and the sum near twice it.
      expect(a).toBeGreaterThan(0.2);
      expect(a + b).toBeLessThanOrEqual(wall + 0.1);
    } finally {
      await pool.close();
    }
  });
});
