/**
 * `minimac <command> [flags]`: the one entry point. It loads only the module of the command it
 * runs (gen never loads Yosys or the simulators), so start-up stays small.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../util/errors.ts';
import { CODE_EXT } from '../util/paths.ts';
import { isMain, runCommand } from './main.ts';

/** A command module: `main(argv)` returns the exit code, or throws UsageError/CheckFailure. */
interface CommandModule {
  main(argv: readonly string[]): number | Promise<number>;
}

/** One command of `minimac`: what it does and how to load it. */
interface Command {
  readonly about: string;
  readonly load: () => Promise<CommandModule>;
}

/** The commands, in the order `minimac --help` lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  gen: { about: 'generate a MAC unit: Verilog, manifest, Vivado Tcl/XDC, FuseSoC core', load: () => import('./gen.ts') },
  verify: { about: 'check a unit bit-exactly against the golden model (Verilator, Icarus)', load: () => import('../../sim/cli/verify.ts') },
  'verify-all': { about: 'verify every pair of the 3-8-bit formats (nightly)', load: () => import('../../sim/cli/verify-all.ts') },
  synth: { about: 'synthesize a unit with Yosys and print what it costs', load: () => import('../../synth/cli/synth.ts') },
  sweep: { about: 'the design-space sweep: cost tables of every format pair', load: () => import('../../synth/cli/sweep.ts') },
  'sweep-merge': { about: 'merge the shard reports of one sweep', load: () => import('../../synth/cli/merge.ts') },
  quant: { about: 'quantization error (SQNR) of formats on a tensor', load: () => import('../../quant/cli/quant.ts') },
  bench: { about: 'benchmarks: verify, synth, qor, quant, startup, mutants (print figures, assert nothing)', load: async () => ({ main: bench }) },
});

/** The npm script names of two commands, accepted as aliases (`minimac verify:all`). */
const ALIASES: Readonly<Record<string, string>> = { 'verify:all': 'verify-all', 'sweep:merge': 'sweep-merge' };

/** The benchmarks `minimac bench NAME` runs (bench/NAME.ts), with what each measures. */
export const BENCHES: Readonly<Record<string, string>> = Object.freeze({
  verify: 'verify build and run time per unit, cold and warm',
  synth: 'seconds per design, wasm Yosys against a native one',
  qor: 'LUTs, FFs and depth of generated units against a behavioural reference',
  quant: 'quantize-dequantize throughput',
  startup: 'start-up of the compiled minimac against tsx',
  mutants: 'mutation score: planted bugs in generated units, the share verify catches',
});

/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The one-line error for a word that names no command (or bench), with the closest names. */
export function unknownName(kind: string, word: string, names: readonly string[], help: string): UsageError {
  const w = word.toLowerCase();
  const scored = names.map((n) => ({ n, d: n.startsWith(w) && w.length >= 2 ? 0 : editDistance(w, n) }));
  const best = Math.min(...scored.map((s) => s.d));
  const close = scored.filter((s) => s.d === best && best <= Math.max(1, Math.floor(Math.min(w.length, 6) / 3))).map((s) => s.n);
  const hint = close.length ? `did you mean ${close.join(' or ')}?` : `${kind === 'bench' ? 'benches' : `${kind}s`}: ${names.join(', ')}`;
  return new UsageError(`unknown ${kind} '${word}'; ${hint}`, `see ${help}`);
}

/** Two aligned columns, name and what it is, one line each. */
function columns(rows: readonly [string, string][]): string[] {
  const w = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, about]) => `  ${n.padEnd(w)}  ${about}`);
}

/** `minimac --help`: the commands, then examples. */
export function mainHelp(): string {
  return [
    'usage: minimac <command> [flags]        (from the repository: npx minimac …, or npm run <command> -- …)',
    '',
    'Generate, verify and cost low-precision multiply-accumulate units for FPGAs.',
    '',
    'commands:',
    ...columns(Object.entries(COMMANDS).map(([n, c]) => [n, c.about])),
    '',
    'options:',
    '  -h, --help     this help; `minimac <command> --help` for a command\'s flags and examples',
    '  --version      name, version and git commit',
    '',
    'examples:',
    '  minimac gen --fmt e4m3 --acc 16',
    '  minimac verify --fmt e2m1 --acc 8 --json',
    '  minimac synth --fmt int8 --target ecp5',
    '  minimac help sweep',
    '',
    'Exit codes: 0 success, 1 a check failed, 2 bad input (one line on stderr: error: <rule> (<flag>)).',
    '',
  ].join('\n');
}

/** `minimac bench --help`. */
function benchHelp(): string {
  return [
    'usage: minimac bench <name> [flags]   (or: npm run bench:<name>)',
    '',
    'Benchmarks print figures and assert nothing; the figures depend on the machine and its load.',
    '',
    ...columns(Object.entries(BENCHES)),
    '',
    'examples:',
    '  minimac bench startup',
    '  minimac bench qor --quick --targets xc7',
    '  minimac bench synth --target ecp5',
    '  minimac bench mutants --quick',
    '',
  ].join('\n');
}

/** `minimac bench NAME …`: run bench/NAME as if node had been asked to run it (benches read process.argv). */
async function bench(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError(`give a bench: ${Object.keys(BENCHES).join(', ')}`, 'see minimac bench --help');
  // `minimac bench NAME --help` too: the benches parse their own flags (or none) and would run, or refuse --help.
  if (name === '--help' || name === '-h' || (Object.hasOwn(BENCHES, name) && (rest.includes('--help') || rest.includes('-h')))) {
    process.stdout.write(benchHelp());
    return 0;
  }
  if (!Object.hasOwn(BENCHES, name)) throw unknownName('bench', name, Object.keys(BENCHES), 'minimac bench --help');
  const file = fileURLToPath(new URL(`../../bench/${name}${CODE_EXT}`, import.meta.url));
  process.argv = [process.argv[0], file, ...rest];
  await import(pathToFileURL(file).href);
  return Number(process.exitCode ?? 0);
}

/** Whether argv asks only for the version: `--version` or `-V` alone. */
function isVersion(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
}

/** Run `minimac` on argv (without node and the script); returns the exit code. */
export async function minimac(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`give a command: ${Object.keys(COMMANDS).join(', ')}`, 'see minimac --help');
  if (first === '--help' || first === '-h') {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (isVersion(argv)) {
    const { versionLine } = await import('../util/about.ts');
    process.stdout.write(versionLine());
    return 0;
  }
  if (first === 'help') return rest.length ? minimac([rest[0], '--help']) : minimac(['--help']);
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'; give a command first`, first);
  const name = Object.hasOwn(ALIASES, first) ? ALIASES[first] : first;
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) throw unknownName('command', first, Object.keys(COMMANDS), 'minimac --help');
  // `minimac gen --version` (and so `npm run gen -- --version`) says the version too.
  if (isVersion(rest)) return minimac(rest);
  return (await cmd.load()).main(rest);
}

/**
 * The bin's entry: run argv and set the exit code (0 ok, 1 check failed, 2 bad input). A reader
 * that stops early (`minimac gen --json | head`) ends the run quietly instead of with an EPIPE trace.
 */
export function cli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  return runCommand(() => minimac(argv));
}

if (isMain(import.meta.url)) await cli();
