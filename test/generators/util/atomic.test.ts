/** writeFolderAtomic and the folder helpers: concurrent writers, folders made level by level. */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MacConfig } from '../../../generators/config/mac-config.ts';
import { generateUnit } from '../../../generators/generate.ts';
import { ensureWritableDirs, makeDirLevels, writeFolderAtomic } from '../../../generators/util/atomic.ts';
import { UsageError } from '../../../generators/util/errors.ts';
import { ROOT, TSX, removeTempDirs, tempDir } from '../../support/tools.ts';

afterAll(removeTempDirs);
const WRITER = `${ROOT}test/generators/util/concurrent-writer.ts`;

describe('writeFolderAtomic', () => {
  it('two processes writing the same unit 300 times each: all succeed, the folder is complete, no temporary folder stays', async () => {
    const out = tempDir('minimac-atomic-');
    const runs = await Promise.all([1, 2].map(() => execa(TSX, [WRITER, out, '300'], { reject: false })));
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
    }
    // Nothing but the unit: no `.u.tmp-*` or `.u.old.tmp-*` left behind.
    expect(readdirSync(out)).toEqual(['u']);
    const single = tempDir('minimac-atomic-one-');
    const { files } = generateUnit(new MacConfig({ fmt: 'e4m3', lanes: 2, name: 'u' }));
    writeFolderAtomic(single, 'u', files);
    const names = readdirSync(join(single, 'u')).sort();
    expect(readdirSync(join(out, 'u')).sort()).toEqual(names);
    for (const f of names) expect(readFileSync(join(out, 'u', f))).toEqual(readFileSync(join(single, 'u', f)));
  });

  it('replaces an older folder with extra files', () => {
    const out = tempDir('minimac-atomic-');
    mkdirSync(join(out, 'u'));
    writeFileSync(join(out, 'u', 'stale.txt'), 'old');
    writeFolderAtomic(out, 'u', new Map([['a.txt', 'new']]));
    expect(readdirSync(join(out, 'u'))).toEqual(['a.txt']);
    expect(readdirSync(out)).toEqual(['u']);
  });

  // audit: a writer killed with SIGKILL (no handler runs) left its `.u.tmp-PID-…` for good (80 killed gens left one).
  it('removes the temporary folders of a killed writer (process gone, over a minute old), and no other', async () => {
    const out = tempDir('minimac-atomic-');
    const dead = (await execa('node', ['-e', 'process.stdout.write(String(process.pid))'])).stdout;
    const stale = [`.u.tmp-${dead}-0123abcd`, `.u.old.tmp-${dead}-89abcdef`];
    // young, our own (alive), another unit's, not our pattern
    const kept = [`.u.tmp-${dead}-fedcba98`, `.u.tmp-${process.pid}-01234567`, `.v.tmp-${dead}-01234567`, `.u.tmp-${dead}-x`];
    for (const d of [...stale, ...kept]) {
      mkdirSync(join(out, d));
      writeFileSync(join(out, d, 'half.v'), '');
    }
    const old = new Date(Date.parse('2020-01-01T00:00:00Z'));
    for (const d of [...stale, ...kept.slice(1)]) utimesSync(join(out, d), old, old);
    writeFolderAtomic(out, 'u', new Map([['a.txt', 'new']]));
    expect(readdirSync(out).sort()).toEqual(['u', ...kept].sort());
  });
});

describe('folders made level by level', () => {
  it('makes missing levels and reports them, outermost first', () => {
    const base = tempDir('minimac-dirs-');
    expect(makeDirLevels(join(base, 'a', 'b'))).toEqual([join(base, 'a'), join(base, 'a', 'b')]);
    expect(makeDirLevels(join(base, 'a', 'b'))).toEqual([]);
  });

  it('under /proc it fails at once (recursive mkdirSync loops there)', () => {
    expect(() => makeDirLevels('/proc/minimac-x/y')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('when the second folder cannot be made, the first one made is removed again', () => {
    const base = tempDir('minimac-dirs-');
    let err: unknown;
    try {
      ensureWritableDirs([
        [join(base, 'NEW'), '--out'],
        ['/proc/nope', '--cache'],
      ]);
    } catch (e) {
      err = e;
    }
    expect((err as UsageError).line()).toBe("error: cannot write into '/proc/nope' (ENOENT) (--cache)");
    expect(existsSync(join(base, 'NEW'))).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });
});
