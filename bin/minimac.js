#!/usr/bin/env node
// The `minimac` command. It runs the compiled JavaScript in dist/ (built by `npm run build`, which
// `npm ci` runs as `prepare`) when that build is newer than every TypeScript source, and the
// sources through tsx otherwise, so an edited .ts is never run stale, only slower.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
// The folders whose files the build turns into dist/: TypeScript sources, and the templates it precompiles.
const SOURCES = ['generators', 'sim', 'synth', 'quant', 'bench', 'templates'];
const BUILT_FROM = /\.(ts|hbs)$/;

/** mtime of a file in ms, or -1 when it is missing. */
function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
}

/** Whether dist/ was built after the last change to any .ts or .hbs under the source folders. */
function distIsFresh() {
  const built = mtime(new URL('dist/.built', root));
  if (built < 0) return false;
  for (const dir of SOURCES) {
    const base = new URL(`${dir}/`, root);
    for (const f of readdirSync(base, { recursive: true })) {
      if (BUILT_FROM.test(f) && mtime(new URL(f, base)) > built) return false;
    }
  }
  return true;
}

let entry;
if (process.env.MINIMAC_FROM !== 'ts' && (process.env.MINIMAC_FROM === 'dist' || distIsFresh())) {
  entry = await import('../dist/generators/cli/minimac.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../generators/cli/minimac.ts');
}
await entry.cli(process.argv.slice(2));
