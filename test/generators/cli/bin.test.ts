/**
 * bin/minimac.js picks dist/ only when its build stamp is newer than every .ts source, so an
 * edited source is never run stale. Checked on a fake tree under .cache/ (node resolves tsx from
 * the repository's node_modules), whose two entries say which one ran.
 */
import { execa } from 'execa';
import { copyFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/tools.ts';

const fakes: string[] = [];
afterAll(() => fakes.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A tree with bin/minimac.js and a dist/ and a source entry that print which one ran; sources 100 s old, the stamp 50 s. */
function fakeTree(opts: { stamp: boolean; sourceNewer: boolean; templateNewer?: boolean }): string {
  const d = join(ROOT, '.cache', `bin-test-${process.pid}-${fakes.length}`);
  fakes.push(d);
  for (const sub of ['bin', 'dist/generators/cli', 'generators/cli', 'sim', 'synth', 'quant', 'bench', 'templates']) mkdirSync(join(d, sub), { recursive: true });
  copyFileSync(join(ROOT, 'bin/minimac.js'), join(d, 'bin/minimac.js'));
  writeFileSync(join(d, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(d, 'dist/generators/cli/minimac.js'), "export async function cli() { process.stdout.write('dist'); }\n");
  writeFileSync(join(d, 'generators/cli/minimac.ts'), "export async function cli(): Promise<void> { process.stdout.write('ts'); }\n");
  writeFileSync(join(d, 'synth/deep.ts'), 'export {};\n');
  writeFileSync(join(d, 'templates/unit.v.hbs'), '{{name}}\n');
  const t = Date.now() / 1000;
  for (const f of ['generators/cli/minimac.ts', 'synth/deep.ts', 'templates/unit.v.hbs']) utimesSync(join(d, f), t - 100, t - 100);
  if (opts.stamp) {
    writeFileSync(join(d, 'dist/.built'), 'built\n');
    utimesSync(join(d, 'dist/.built'), t - 50, t - 50);
  }
  if (opts.sourceNewer) utimesSync(join(d, 'synth/deep.ts'), t, t);
  if (opts.templateNewer) utimesSync(join(d, 'templates/unit.v.hbs'), t, t);
  return d;
}

describe('bin/minimac.js: dist/ when fresh, else the sources', () => {
  it.each([
    ['a build newer than every source', { stamp: true, sourceNewer: false }, {}, 'dist'],
    ['a source saved after the build', { stamp: true, sourceNewer: true }, {}, 'ts'],
    ['a template saved after the build (dist/ holds them precompiled)', { stamp: true, sourceNewer: false, templateNewer: true }, {}, 'ts'],
    ['no build stamp (never built, or a failed build)', { stamp: false, sourceNewer: false }, {}, 'ts'],
    ['MINIMAC_FROM=ts', { stamp: true, sourceNewer: false }, { MINIMAC_FROM: 'ts' }, 'ts'],
    ['MINIMAC_FROM=dist', { stamp: true, sourceNewer: true }, { MINIMAC_FROM: 'dist' }, 'dist'],
  ])('%s', async (_what, tree, env, want) => {
    const d = fakeTree(tree);
    const r = await execa('node', [join(d, 'bin/minimac.js')], { reject: false, env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(want);
  });
});
