/** The shared flag parser: repeatable flags (`--lib a.v,b.v --lib c.v`) and the rules around them. */
import { describe, expect, it } from 'vitest';
import { parseArgs, type FlagSpec } from '../../../generators/cli/args.ts';
import { UsageError } from '../../../generators/util/errors.ts';

const SPEC: Record<string, FlagSpec> = {
  lib: { value: true, repeatable: true, help: 'cell models' },
  out: { value: true, help: 'folder' },
  json: { value: false, help: 'JSON' },
};

/** The one line the CLI prints for argv's bad input. */
function line(argv: string[]): string {
  try {
    parseArgs(argv, SPEC);
  } catch (e) {
    if (e instanceof UsageError) return e.line();
    throw e;
  }
  return 'no error';
}

describe('parseArgs: repeatable flags', () => {
  it('collects every value in order, each split at commas (and trimmed), in lists; flags holds them joined', () => {
    const p = parseArgs(['--lib', 'a.v,b.v', '--json', '--lib=c.v', '--lib', ' d.v '], SPEC);
    expect(p.lists.lib).toEqual(['a.v', 'b.v', 'c.v', 'd.v']);
    expect(p.flags.lib).toBe('a.v,b.v,c.v,d.v');
    expect(p.flags.json).toBe(true);
  });

  it('a single value is a list of one; a flag not given has no list', () => {
    const p = parseArgs(['--lib', 'x.v', '--out', 'o'], SPEC);
    expect(p.lists.lib).toEqual(['x.v']);
    expect(Object.hasOwn(p.lists, 'out')).toBe(false);
    expect(Object.hasOwn(parseArgs([], SPEC).lists, 'lib')).toBe(false);
  });

  it('bad input: an empty item, a missing value; a plain value flag given twice is still refused', () => {
    expect(line(['--lib', 'a.v,,b.v'])).toBe("error: empty item in 'a.v,,b.v': give one value per comma (--lib)");
    expect(line(['--lib', 'a.v,'])).toBe("error: empty item in 'a.v,': give one value per comma (--lib)");
    expect(line(['--lib='])).toBe("error: empty item in '': give one value per comma (--lib)");
    expect(line(['--lib'])).toBe('error: option needs a value (--lib)');
    expect(line(['--out', 'a', '--out', 'b'])).toBe('error: option given twice (--out)');
  });
});
