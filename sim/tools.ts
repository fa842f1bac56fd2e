/**
 * The external tools verify needs (Verilator, Icarus, ccache), found on PATH. A missing
 * simulator is an error with the install hint, never a silent skip.
 */
import { execa } from 'execa';

/** The simulators verify can drive. */
export type Simulator = 'verilator' | 'iverilog';

/** A tool verify needs is not installed. */
export class MissingToolError extends Error {
  constructor(tool: string) {
    super(`${tool} is not installed or not on PATH; install it with \`npm run setup\` (apt: verilator, iverilog, ccache)`);
    this.name = 'MissingToolError';
  }
}

const versions = new Map<string, Promise<string | null>>();

/**
 * The first line a tool prints for `tool <flag>`, or null when it cannot be started; asked
 * once per process. (`iverilog -V` exits 1 for want of input files yet prints its version, so
 * any output of a process that started counts.)
 */
export function toolVersion(tool: string, flag = '--version'): Promise<string | null> {
  let v = versions.get(tool);
  if (!v) {
    v = execa(tool, [flag], { reject: false, all: true }).then((r) => {
      if ((r as { code?: string }).code === 'ENOENT') return null;
      const line = (r.all ?? '').split('\n')[0].trim();
      return line.length ? line : null;
    });
    versions.set(tool, v);
  }
  return v;
}

/** The version line of a required tool; throws MissingToolError when it is absent. */
export async function requireTool(tool: string, flag = '--version'): Promise<string> {
  const v = await toolVersion(tool, flag);
  if (v === null) throw new MissingToolError(tool);
  return v;
}

/** The version line of a simulator (throws MissingToolError when absent). */
export function requireSimulator(sim: Simulator): Promise<string> {
  return sim === 'verilator' ? requireTool('verilator') : requireTool('iverilog', '-V');
}
