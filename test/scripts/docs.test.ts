/** docs/interface.md's waveform: up to date with the golden model, and right by hand. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/tools.ts';
import { docsFiles, interfaceWave } from '../../scripts/waveform.ts';

/** The values a WaveDrom bus row shows, one per period (null where it is x). */
function periods(row: { wave: string; data?: string[] }): (string | null)[] {
  const out: (string | null)[] = [];
  let k = 0;
  for (const ch of row.wave) {
    if (ch === '.') out.push(out[out.length - 1]);
    else if (ch === 'x') out.push(null);
    else if (ch === '=') out.push(row.data![k++]);
    else out.push(ch);
  }
  return out;
}

describe('docs/interface.md waveform', () => {
  it('the committed WaveJSON and SVG are what `npm run docs` writes', () => {
    for (const [rel, text] of docsFiles()) expect([rel, readFileSync(join(ROOT, rel), 'utf8') === text]).toEqual([rel, true]);
  });

  it('shows the accumulator a hand computation gives: 3·2, −2·5, clr 4·4, clr, −8·−8 + 7·7 + 7·2 + 1 wraps', () => {
    const rows = new Map((interfaceWave().signal as { name?: string; wave: string; data?: string[] }[]).filter((r) => r.name).map((r) => [r.name!, r]));
    // Latency 2: a beat presented in period k shows in period k + 2; rst in period 11 clears from period 12.
    expect(periods(rows.get('acc')!)).toEqual([null, '0', '0', '6', '-4', '-4', '16', '0', '64', '113', '127', '-128', '0', '0']);
    expect(periods(rows.get('ovf')!)).toEqual([null, '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '1', '0', '0']);
    expect(periods(rows.get('a')!).filter((v) => v !== null)).toEqual(['3', '-2', '4', '-8', '7', '7', '1', '5']);
  });

  it('interface.md links the figure and names every port of the contract', () => {
    const md = readFileSync(join(ROOT, 'docs/interface.md'), 'utf8');
    expect(md).toContain('](interface-wave.svg)');
    for (const p of ['clk', 'rst', 'en', 'clr', 'a', 'w', 'acc', 'ovf', 'nan', 'pinf', 'ninf']) expect(md).toContain(`| \`${p}\``);
  });
});
