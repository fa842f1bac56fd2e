/** Test support: find the real tools, failing loudly (never skipping) when one is missing. */
import { execaSync } from 'execa';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The tsx binary that runs the CLIs as a user's npm script would. */
export const TSX = `${ROOT}node_modules/.bin/tsx`;

/** Where tests leave files for review (screenshots): test-artifacts/ at the repo root, not in git. */
export const ARTIFACTS = `${ROOT}test-artifacts/`;

/** Throw with an install hint unless `tool` runs. */
export function requireTool(tool: 'verilator' | 'iverilog' | 'ccache' | 'chromium' | 'tclsh'): void {
  // tclsh has no version flag: it reads a script from stdin instead.
  const probe = tool === 'iverilog' ? ['-V'] : tool === 'tclsh' ? [] : ['--version'];
  try {
    execaSync(tool, probe, { reject: true, timeout: 20_000, input: tool === 'tclsh' ? 'exit 0\n' : undefined });
  } catch {
    throw new Error(`${tool} is not installed: run 'npm run setup' (apt-get install -y verilator iverilog ccache chromium tcl)`);
  }
}

const made: string[] = [];

/** A fresh temporary folder, removed after the test file (call `removeTempDirs` in afterAll). */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Remove every folder `tempDir` made in this test file. */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** bin/minimac.js, the `minimac` command (dist/ when fresh, else the sources through tsx). */
export const MINIMAC = `${ROOT}bin/minimac.js`;
