/**
 * The install path itself (issue 9): `scripts/setup.sh` on a machine that has none of the tools.
 * CI runs on a machine where they are already installed, so a green CI alone says nothing about
 * a newcomer's first `npm run setup`. Here the script runs with a PATH that holds only the basic
 * commands it may use and an `apt-get` stub that records its arguments and then drops in shims,
 * which print a version line followed by a long banner (as iverilog -V does), so a version read
 * through `| head -n 1` under pipefail would die of SIGPIPE.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa, execaSync } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, removeTempDirs, tempDir } from '../support/tools.ts';

afterAll(removeTempDirs);

const SETUP = readFileSync(join(ROOT, 'scripts/setup.sh'), 'utf8');
const TOOLS = ['verilator', 'iverilog', 'ccache', 'chromium', 'tclsh'] as const;
/** The Debian package apt must be asked for, per missing command. */
const PACKAGES = { verilator: 'verilator', iverilog: 'iverilog', ccache: 'ccache', chromium: 'chromium', tclsh: 'tcl' };
/** Basic commands the script and the stubs may use; everything else is absent from PATH. */
const BASICS = ['bash', 'env', 'cat', 'chmod', 'id', 'mkdir', 'rm'];

/** A shim: a version line, then a banner long enough to fill any pipe buffer. */
function shim(name: string): string {
  return `#!/bin/bash\necho "${name} 9.9-shim"\nfor ((i = 0; i < 20000; i++)); do echo "banner line $i of ${name}"; done\n`;
}

/** A bare machine: a bin folder with the basics, an apt-get stub and a sudo that just runs. */
function bareMachine(opts: { present?: readonly string[]; aptProvides?: readonly string[] } = {}) {
  const dir = tempDir('minimac-setup-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const b of BASICS) symlinkSync(execaSync('bash', ['-c', `command -v ${b}`]).stdout.trim(), join(bin, b));
  for (const t of opts.present ?? []) writeFileSync(join(bin, t), shim(t), { mode: 0o755 });
  const log = join(dir, 'apt.log');
  const provides = opts.aptProvides ?? TOOLS;
  const drops = provides.map((t) => `cat > '${bin}/${t}' <<'EOS'\n${shim(t)}EOS\nchmod +x '${bin}/${t}'\n`).join('');
  writeFileSync(
    join(bin, 'apt-get'),
    `#!/bin/bash\necho "$*" >> '${log}'\n[ "$1" = install ] || exit 0\n${drops}`,
    { mode: 0o755 },
  );
  writeFileSync(join(bin, 'sudo'), '#!/bin/bash\nexec "$@"\n', { mode: 0o755 });
  const script = join(dir, 'setup.sh');
  writeFileSync(script, SETUP);
  chmodSync(script, 0o755);
  const run = (source = SETUP) => {
    writeFileSync(script, source);
    return execa(join(bin, 'bash'), [script], { reject: false, env: { PATH: bin }, extendEnv: false, timeout: 60_000 });
  };
  const aptCalls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { bin, run, aptCalls };
}

describe('scripts/setup.sh on a machine without the tools', () => {
  it('asks apt for every package, exits 0 and prints each version line once', async () => {
    const m = bareMachine();
    const r = await m.run();
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(m.aptCalls()).toEqual([
      'update -qq',
      `install -y -qq --no-install-recommends ${TOOLS.map((t) => PACKAGES[t]).join(' ')}`,
    ]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`setup: installing ${TOOLS.map((t) => PACKAGES[t]).join(' ')} with apt`);
    for (const t of TOOLS) {
      // tclsh is asked for its patch level through Tcl itself; the shim answers with its banner.
      expect(lines).toContain(`setup: ${t.padEnd(9)} ${t === 'tclsh' ? 'tclsh ' : ''}${t} 9.9-shim`);
    }
    expect(r.stdout).not.toContain('banner line');
    expect(lines.at(-1)).toBe('setup: ok');
  });

  it('asks only for what is missing, and nothing at all when everything is there', async () => {
    const some = bareMachine({ present: ['verilator', 'ccache'] });
    const r1 = await some.run();
    expect(r1.exitCode).toBe(0);
    expect(some.aptCalls()).toEqual(['update -qq', 'install -y -qq --no-install-recommends iverilog chromium tcl']);
    const all = bareMachine({ present: TOOLS });
    const r2 = await all.run();
    expect(r2.exitCode).toBe(0);
    expect(all.aptCalls()).toEqual([]);
    expect(r2.stdout).toContain('setup: ok');
  });

  it('fails with a message when apt leaves a tool missing', async () => {
    const m = bareMachine({ aptProvides: ['verilator', 'iverilog', 'ccache', 'tclsh'] });
    const r = await m.run();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('setup: still missing after apt: chromium');
  });

  it('catches the planted bug: reading a version through `| head -n 1` under pipefail dies of SIGPIPE', async () => {
    const planted = SETUP.replace(/^first_line\(\) \{[\s\S]*?^\}$/m, 'first_line() {\n  "$@" 2>&1 | head -n 1\n}');
    expect(planted).not.toBe(SETUP);
    const m = bareMachine();
    // head is needed by the planted script only.
    symlinkSync(execaSync('bash', ['-c', 'command -v head']).stdout.trim(), join(m.bin, 'head'));
    const r = await m.run(planted);
    expect(r.exitCode).toBe(141);
  });
});
