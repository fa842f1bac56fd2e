/**
 * bench:mutants in CI (issue 12, item 5): the operators still match the generated RTL (every
 * kind and every operator applies somewhere, none is stale, every mutant differs from the unit and
 * compiles), `--quick`'s one mutant per kind is caught by verify, the untouched units pass (no
 * false alarm), and a pattern lost to a generator change is reported stale, not skipped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { MacConfig, type MacRequest } from '../../generators/config/mac-config.ts';
import { generateVerilog } from '../../generators/generate.ts';
import { compileError, plan, report, runTask, scratchCache, UNITS, type Task } from '../../bench/mutants.ts';
import { pool } from '../../generators/util/pool.ts';
import { KINDS, mutate, OPERATORS, operatorsNamed } from '../../bench/mutation/operators.ts';
import { MINIMAC, ROOT, requireTool } from '../support/tools.ts';

// hundreds of builds would otherwise land in .cache/; set before verify is first imported
afterAll(scratchCache());

const full = plan();

describe('the operators against the generated RTL (text only)', () => {
  it('at least 12 kinds over at least 30 units; every kind and every operator applies somewhere; none stale', () => {
    expect(KINDS.length).toBeGreaterThanOrEqual(12);
    expect(full.units).toBeGreaterThanOrEqual(30);
    expect(full.stale, full.stale.map((s) => s.why).join('\n')).toEqual([]);
    for (const k of KINDS) expect(full.tasks.some((t) => t.op.kind === k), `kind ${k}`).toBe(true);
    for (const o of OPERATORS) expect(full.applicable.get(o.name), `operator ${o.name}`).toBeGreaterThan(0);
    // wide accumulators (e5m2's default is 77 bits) and lanes are among the mutated units
    expect(full.tasks.some((t) => t.cfg.accWidth >= 40)).toBe(true);
    expect(new Set(full.tasks.filter((t) => t.cfg.lanes > 1).map((t) => t.cfg.lanes))).toEqual(new Set([2, 3, 4, 16]));
  });

  it('every mutant differs from its unit; names are unique', () => {
    for (const t of full.tasks) expect(t.mutant, `${t.op.name} on ${t.label}`).not.toBe(t.original);
    expect(new Set(OPERATORS.map((o) => o.name)).size).toBe(OPERATORS.length);
    for (const o of OPERATORS) expect(operatorsNamed(o.name)).toEqual([o]);
  });

  it('a pattern the generator no longer writes is stale, never a silent "not applicable"', () => {
    const cfg = new MacConfig({ fmt: 'e4m3', acc: 16, overflow: 'sat' });
    const renamed = generateVerilog(cfg).replaceAll('acc_next', 'acc_nxt');
    const [op] = operatorsNamed('sat-wraps');
    expect(mutate(op, renamed, cfg).status).toBe('stale');
    expect(mutate(op, generateVerilog(cfg), cfg).status).toBe('mutant');
    // and an operator that does not apply by configuration stays not applicable
    expect(mutate(op, generateVerilog(new MacConfig({ fmt: 'e4m3', acc: 16 })), new MacConfig({ fmt: 'e4m3', acc: 16 })).status).toBe('not-applicable');
  });

  it('the first mutant of every operator compiles in Icarus -g2001', async () => {
    requireTool('iverilog');
    const firsts = OPERATORS.map((o) => full.tasks.find((t) => t.op === o)!);
    const errors = await pool(firsts, 2, async (t) => ({ t, e: await compileError(t.cfg.name, t.mutant) }));
    expect(errors.filter((x) => x.e !== null).map((x) => `${x.t.op.name} on ${x.t.label}: ${x.e}`)).toEqual([]);
  });
});

describe('verify against the mutants (Verilator)', () => {
  it('--quick: one mutant per kind, each caught; the untouched units pass', async () => {
    requireTool('verilator');
    requireTool('iverilog');
    const quick = plan({ quick: true });
    expect(quick.tasks.map((t) => t.op.kind)).toEqual([...KINDS]);
    // no false alarm: a unit's own RTL as the "mutant" must pass (status 'missed')
    const clean: MacRequest[] = [UNITS[0], { afmt: 'e5m2ieee', wfmt: 'int4' }, { fmt: 'e2m1', acc: 8, result: 'e3m2', resultPipeline: 2 }];
    const controls: Task[] = clean.map((req) => {
      const name = new MacConfig(req).name;
      const t = full.tasks.find((x) => x.cfg.name === name)!;
      return { ...t, mutant: t.original };
    });
    const t0 = performance.now();
    const outs = await pool([...quick.tasks, ...controls], 2, (t) => runTask(t));
    const seconds = (performance.now() - t0) / 1000;
    const mutants = outs.slice(0, quick.tasks.length);
    const text = report(quick, mutants, seconds, ['verilator']);
    expect(mutants.filter((o) => o.status !== 'caught').map((o) => `${o.status}: ${o.op} on ${o.label}: ${o.diff}`), text).toEqual([]);
    expect(outs.slice(quick.tasks.length).map((o) => [o.label, o.status])).toEqual(controls.map((c) => [c.label, 'missed']));
    expect(text).toMatch(/^total\s+13\s+13\s+0\s+0\s+100\.0%\s+not run \(--formal\)$/m);
  });

  it('minimac bench mutants: an unknown kind is bad input, one line', async () => {
    const r = await execa('node', [MINIMAC, 'bench', 'mutants', '--kind', 'roundng'], { reject: false, cwd: ROOT });
    expect([r.exitCode, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`error: unknown kind or operator 'roundng'; kinds: ${KINDS.join(', ')} (--kind)`);
  });
});
