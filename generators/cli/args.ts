/**
 * A small, strict command-line parser shared by every minimac command. Errors name the flag:
 * `error: unknown option --x (--x)`. Values may follow as `--flag v` or `--flag=v`.
 */
import { shown, UsageError } from '../util/errors.ts';

/** One flag a command accepts. */
export interface FlagSpec {
  /** Takes a value (`--acc 16`) rather than being a switch (`--json`). */
  readonly value: boolean;
  /** One line for --help. */
  readonly help: string;
  /** Placeholder for the value in --help. */
  readonly arg?: string;
  /**
   * May be given more than once, and each value may be a comma-separated list (`--lib a.v,b.v
   * --lib c.v`): the items, in order, are in `Parsed.lists`. A value flag only.
   */
  readonly repeatable?: boolean;
}

/** Parsed flags: a string for value flags, true for switches; plus positional words. */
export interface Parsed {
  /** A repeatable flag given several times holds its values here joined with commas, so presence checks work alike. */
  readonly flags: Readonly<Record<string, string | true>>;
  /** The items of each repeatable flag that was given, in order (every value split at commas). */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly positional: readonly string[];
}

/** Parse argv against a table of flags (names without the leading dashes). */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): Parsed {
  // A null-prototype record, and own-key lookups only: `--constructor`, `--__proto__` or
  // `--toString` are unknown options, never inherited properties.
  const flags: Record<string, string | true> = Object.create(null) as Record<string, string | true>;
  const lists: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] === '-h' && spec.help ? '--help' : argv[i];
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const s = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!s) throw new UsageError(`unknown option ${shown(word)}; see --help`, eq < 0 ? word : word.slice(0, eq));
    if (Object.hasOwn(flags, name) && !s.repeatable) throw new UsageError(`option given twice`, `--${name}`);
    if (!s.value) {
      if (eq >= 0) throw new UsageError(`option takes no value`, `--${name}`);
      flags[name] = true;
      continue;
    }
    let v: string | undefined;
    if (eq >= 0) v = word.slice(eq + 1);
    else {
      v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`option needs a value`, `--${name}`);
      i++;
    }
    if (s.repeatable) {
      // Items are split at commas; an empty item (`a.v,,b.v`, a trailing comma, '') is a typo, not nothing.
      const items = v.split(',');
      if (items.some((x) => x.trim() === '')) throw new UsageError(`empty item in ${shown(v)}: give one value per comma`, `--${name}`);
      (lists[name] ??= []).push(...items.map((x) => x.trim()));
      flags[name] = lists[name].join(',');
      continue;
    }
    flags[name] = v;
  }
  return { flags, lists, positional };
}

/**
 * Refuse positional words for a command that takes none: the error names the word itself as
 * the flag, so a stray `e4m3` (a forgotten `--fmt`) reads `unexpected argument 'e4m3' …`.
 */
export function noPositional(positional: readonly string[]): void {
  if (positional.length === 0) return;
  const w = positional[0];
  throw new UsageError(`unexpected argument ${shown(w)}: every value follows its flag (--flag VALUE); see --help`, `argument ${shown(w)}`);
}

/** The --help text of a command: usage line, what it does, one line per flag, then examples. */
export function helpText(usage: string, about: string, spec: Readonly<Record<string, FlagSpec>>, examples: readonly string[] = []): string {
  const rows = Object.entries(spec).map(([n, s]) => [`--${n}${s.value ? ` ${s.arg ?? 'VALUE'}` : ''}`, s.help]);
  const w = Math.max(...rows.map((r) => r[0].length));
  const ex = examples.length ? ['', 'examples:', ...examples.map((e) => `  ${e}`)] : [];
  return [`usage: ${usage}`, '', about, '', ...rows.map(([a, h]) => `  ${a.padEnd(w)}  ${h}`), ...ex, ''].join('\n');
}

/** The flags every command that builds a unit takes (the `gen` flags). */
export const UNIT_FLAGS: Readonly<Record<string, FlagSpec>> = Object.freeze({
  fmt: { value: true, arg: 'FMT', help: 'format of both activations and weights (e4m3, e2m1fn, e4m3b11fnuz, int8, uint4, float8_e4m3fn, ...)' },
  afmt: { value: true, arg: 'FMT', help: 'activation format (port a); overrides --fmt' },
  wfmt: { value: true, arg: 'FMT', help: 'weight format (port w); overrides --fmt' },
  acc: { value: true, arg: 'W', help: 'accumulator width in bits (default: product width + ceil(log2 len))' },
  'acc-frac': { value: true, arg: 'F', help: 'accumulator LSB is 2^-F (default: exact, or the top of the product when --acc is narrower)' },
  'acc-round': { value: true, arg: 'floor|rne', help: 'putting products on the accumulator grid: floor (default) or round-to-nearest-even' },
  overflow: { value: true, arg: 'wrap|sat', help: 'accumulator overflow: wrap (default) or saturate; ovf is sticky either way' },
  len: { value: true, arg: 'N', help: 'products that must never overflow the default width (default 1024)' },
  pipeline: { value: true, arg: 'P', help: 'register stages before the accumulator (default 0); latency = P + 1' },
  lanes: { value: true, arg: 'L', help: 'products per beat, summed exactly (default 1)' },
  result: { value: true, arg: 'R', help: 'also convert acc to a float result on port res: a minifloat of up to 32 bits, fp32, bf16 or fp16' },
  'result-overflow': { value: true, arg: 'sat|inf', help: 'result past its max: sat (default) gives ±max, inf gives ±inf or NaN by the variant' },
  'result-pipeline': { value: true, arg: 'Q', help: 'register stages in the conversion beyond the one res always has (default 0)' },
  'clock-period': { value: true, arg: 'NS', help: 'out-of-context clock period in ns for the XDC, 0.5 to 1000 (default 2.5 = 400 MHz)' },
  arch: { value: true, arg: 'generic|xc7|xcup', help: 'arithmetic layer: portable RTL (default), or adders of Xilinx primitives (LUT6_2 with CARRY4 on xc7, CARRY8 on xcup)' },
  name: { value: true, arg: 'NAME', help: 'unit name (default: derived from the configuration)' },
});

/** The MacRequest fields carried by the unit flags. */
export function unitRequest(flags: Readonly<Record<string, string | true>>): Record<string, string | undefined> {
  const s = (k: string): string | undefined => {
    const v = Object.hasOwn(flags, k) ? flags[k] : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  return {
    fmt: s('fmt'),
    afmt: s('afmt'),
    wfmt: s('wfmt'),
    acc: s('acc'),
    accFrac: s('acc-frac'),
    accRound: s('acc-round'),
    overflow: s('overflow'),
    len: s('len'),
    pipeline: s('pipeline'),
    lanes: s('lanes'),
    result: s('result'),
    resultOverflow: s('result-overflow'),
    resultPipeline: s('result-pipeline'),
    clockPeriod: s('clock-period'),
    arch: s('arch'),
    name: s('name'),
  };
}
