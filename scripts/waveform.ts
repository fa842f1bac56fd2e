/**
 * The waveform of docs/interface.md, computed by the golden model rather than drawn by hand:
 * a small int4 × int4 unit with one pipeline stage, taken through reset, beats, an idle cycle,
 * `clr` with and without `en`, a wrap-around overflow, and a reset that drops a beat.
 * `npm run docs` writes docs/interface-wave.json (WaveDrom's WaveJSON) and the SVG that the npm
 * `wavedrom` package renders from it; a test checks that both are up to date.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MacConfig } from '../generators/config/mac-config.ts';
import { run, type EdgeInputs } from '../generators/golden/mac-model.ts';
import { writeFileAtomic } from '../generators/util/atomic.ts';
import { PROJECT_ROOT } from '../generators/util/paths.ts';
import { isMain } from '../generators/cli/main.ts';

/** The example unit: `--fmt int4 --acc 8 --pipeline 1` (latency 2, wrap). */
export const WAVE_UNIT = Object.freeze({ fmt: 'int4', acc: '8', pipeline: '1' });

/** One column of the waveform: what the inputs hold during that clock period (values, not codes). */
interface Column {
  readonly rst?: boolean;
  readonly en?: boolean;
  readonly clr?: boolean;
  readonly a?: number;
  readonly w?: number;
}

/** The stimulus, one column per clock period; each column is sampled at the rising edge that ends it. */
export const WAVE_COLUMNS: readonly Column[] = Object.freeze([
  { rst: true },
  { en: true, a: 3, w: 2 },
  { en: true, a: -2, w: 5 },
  {},
  { en: true, clr: true, a: 4, w: 4 },
  { clr: true },
  { en: true, a: -8, w: -8 },
  { en: true, a: 7, w: 7 },
  { en: true, a: 7, w: 2 },
  { en: true, a: 1, w: 1 },
  {},
  { rst: true, en: true, a: 5, w: 5 },
  {},
  {},
]);

/**
 * A WaveDrom wave string and its data for a signal that holds `values[i]` in column i (null: x).
 * `merge` draws a repeated value as one brick (a register that holds); operands are drawn one
 * brick per beat, so two equal beats in a row still read as two.
 */
function busWave(values: readonly (string | null)[], merge: boolean): { wave: string; data: string[] } {
  let wave = '';
  const data: string[] = [];
  values.forEach((v, i) => {
    if (v === null) wave += i > 0 && values[i - 1] === null ? '.' : 'x';
    else if (merge && i > 0 && values[i - 1] === v) wave += '.';
    else {
      wave += '=';
      data.push(v);
    }
  });
  return { wave, data };
}

/** A WaveDrom wave string for a one-bit signal (null: x). */
function bitWave(values: readonly (boolean | null)[]): string {
  return values.map((v, i) => (i > 0 && values[i - 1] === v ? '.' : v === null ? 'x' : v ? '1' : '0')).join('');
}

/** The WaveJSON of the example, with `acc` and `ovf` from the golden model. */
export function interfaceWave(): Record<string, unknown> {
  const cfg = new MacConfig(WAVE_UNIT);
  const code = (v: number | undefined) => (v === undefined ? 0 : v & 0xf);
  const edges: EdgeInputs[] = WAVE_COLUMNS.map((c) => ({
    rst: !!c.rst,
    en: !!c.en,
    clr: !!c.clr,
    a: [code(c.a)],
    w: [code(c.w)],
  }));
  // states[c] is the state after the edge that samples column c, so it shows in column c + 1;
  // before the first edge the outputs are undefined.
  const states = run(cfg, edges);
  const shown = WAVE_COLUMNS.map((_, c) => (c === 0 ? null : states[c - 1]));
  const operand = (k: 'a' | 'w') => busWave(WAVE_COLUMNS.map((c) => (c.en ? String(c[k]) : null)), false);
  return {
    signal: [
      { name: 'clk', wave: 'p' + '.'.repeat(WAVE_COLUMNS.length - 1) },
      { name: 'rst', wave: bitWave(WAVE_COLUMNS.map((c) => !!c.rst)) },
      { name: 'en', wave: bitWave(WAVE_COLUMNS.map((c) => !!c.en)) },
      { name: 'clr', wave: bitWave(WAVE_COLUMNS.map((c) => !!c.clr)) },
      { name: 'a', ...operand('a') },
      { name: 'w', ...operand('w') },
      {},
      { name: 'acc', ...busWave(shown.map((s) => (s ? s.acc.toString() : null)), true) },
      { name: 'ovf', wave: bitWave(shown.map((s) => (s ? s.ovf : null))) },
    ],
    head: { text: `int4 × int4, --acc ${cfg.accWidth}, --pipeline ${cfg.pipeline}: latency ${cfg.pipeline + 1}`, tick: 0 },
    config: { hscale: 1 },
  };
}

/**
 * The SVG text WaveDrom renders for a WaveJSON source. Written on one line: lane names are
 * `xml:space="preserve"` text, so indenting the SVG would add spaces that push them off the left.
 */
export function renderSvg(source: Record<string, unknown>): string {
  const require = createRequire(import.meta.url);
  const wavedrom = require('wavedrom') as {
    renderAny: (index: number, source: unknown, skin: unknown) => unknown;
    waveSkin: unknown;
    onml: { stringify: (tree: unknown) => string };
  };
  return wavedrom.onml.stringify(wavedrom.renderAny(0, source, wavedrom.waveSkin)) + '\n';
}

/** The docs files this script owns, by path relative to the repository, with their contents. */
export function docsFiles(): Map<string, string> {
  const wave = interfaceWave();
  return new Map([
    ['docs/interface-wave.json', JSON.stringify(wave, null, 2) + '\n'],
    ['docs/interface-wave.svg', renderSvg(wave)],
  ]);
}

if (isMain(import.meta.url)) {
  for (const [rel, text] of docsFiles()) {
    const path = join(PROJECT_ROOT, rel);
    let old: string | null = null;
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      old = null;
    }
    if (old !== text) writeFileAtomic(path, text);
    process.stdout.write(`${old === text ? 'unchanged' : 'wrote'}  ${rel}\n`);
  }
}
