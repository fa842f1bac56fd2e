/**
 * `npm run bench:startup [-- --reps N]`: start-up of `minimac gen` through the compiled bin
 * (bin/minimac.js running dist/) against today's `tsx generators/cli/gen.ts`, and the bin falling
 * back to the sources (MINIMAC_FROM=ts), side by side in one run: `gen --help` and a real
 * `gen --fmt e4m3 --acc 16 --out <tmp>`. The variants are interleaved, rep by rep, so machine
 * load hits them alike, with a bare `node -e 0` as the floor. Prints wall-clock medians and the
 * ratio to tsx; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../generators/cli/args.ts';
import { PROJECT_ROOT } from '../generators/util/paths.ts';

const { flags } = parseArgs(process.argv.slice(2), { reps: { value: true, help: 'repetitions of each variant (default 11)' } });
const REPS = Math.max(1, Number(flags.reps ?? 11) | 0);

const BIN = join(PROJECT_ROOT, 'bin/minimac.js');
const TSX = join(PROJECT_ROOT, 'node_modules/.bin/tsx');
const GEN_TS = join(PROJECT_ROOT, 'generators/cli/gen.ts');

/** One way of starting gen: the program, the words before gen's own flags, and extra environment. */
interface Variant {
  readonly name: string;
  readonly cmd: string;
  readonly pre: readonly string[];
  readonly env?: Record<string, string>;
}

const VARIANTS: readonly Variant[] = [
  { name: 'minimac (dist/)', cmd: process.execPath, pre: [BIN, 'gen'], env: { MINIMAC_FROM: 'dist' } },
  { name: 'minimac (tsx fallback)', cmd: process.execPath, pre: [BIN, 'gen'], env: { MINIMAC_FROM: 'ts' } },
  { name: 'tsx generators/cli/gen.ts', cmd: TSX, pre: [GEN_TS] },
];

/** What any node program pays: a bare `node -e 0`, for reading the rows above. */
const FLOOR: Variant = { name: 'node -e 0 (the floor)', cmd: process.execPath, pre: ['-e', '0'] };

/** Milliseconds one run takes, start to exit; throws when the run fails. */
function once(v: Variant, args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(v.cmd, [...v.pre, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...v.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${v.name} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Build first, so "dist/" measures the current sources.
process.stderr.write('bench:startup: building dist/ (npm run build)\n');
const build = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts/build.mjs')], { cwd: PROJECT_ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');

const out = mkdtempSync(join(tmpdir(), 'minimac-startup-'));
try {
  const cases: { label: string; args: string[] }[] = [
    { label: 'gen --help', args: ['--help'] },
    { label: 'gen --fmt e4m3 --acc 16 --out tmp', args: ['--fmt', 'e4m3', '--acc', '16', '--out', out] },
  ];
  for (const c of cases) for (const v of VARIANTS) once(v, c.args); // warm the page cache and tsx's cache
  process.stdout.write(`start-up, median of ${REPS} interleaved runs (node ${process.version}):\n\n`);
  process.stdout.write(`${'command'.padEnd(36)} ${'variant'.padEnd(27)} ${'median ms'.padStart(9)} ${'min ms'.padStart(7)} ${'vs tsx'.padStart(7)}\n`);
  for (const c of cases) {
    const all = [...VARIANTS, FLOOR];
    const times = all.map(() => [] as number[]);
    for (let r = 0; r < REPS; r++) all.forEach((v, i) => times[i].push(once(v, v === FLOOR ? [] : c.args)));
    const base = median(times[VARIANTS.length - 1]);
    all.forEach((v, i) => {
      const med = median(times[i]);
      process.stdout.write(
        `${c.label.padEnd(36)} ${v.name.padEnd(27)} ${med.toFixed(0).padStart(9)} ${Math.min(...times[i]).toFixed(0).padStart(7)} ${(med / base).toFixed(2).padStart(7)}\n`,
      );
    });
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
