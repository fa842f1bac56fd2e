/**
 * Rendering through the Handlebars skeletons in `templates/` (compiled with noEscape and
 * strict). Templates lay out headers, ports and instances; they format and never decide.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import type { ModuleDesc, PortDesc } from './module.ts';
import { range } from './signal.ts';
import { CODE_EXT, projectFile } from '../util/paths.ts';

/** The folder holding the Handlebars templates. */
export const TEMPLATE_DIR = projectFile('templates') + '/';

const require = createRequire(import.meta.url);

/** A precompiled template, as Handlebars.template takes it. */
type TemplateSpec = Parameters<typeof Handlebars.template>[0];

/**
 * The templates scripts/build.mjs precompiled beside the compiled code (dist/templates.cjs), or
 * null when running the sources. With them only Handlebars' runtime is loaded, not its compiler.
 */
const PRECOMPILED = ((): Record<string, TemplateSpec> | null => {
  if (CODE_EXT !== '.js') return null;
  try {
    return require(fileURLToPath(new URL('../../templates.cjs', import.meta.url))) as Record<string, TemplateSpec>;
  } catch {
    return null;
  }
})();

/** Handlebars itself, or only its runtime when the templates come precompiled. */
const hbs = (PRECOMPILED ? require('handlebars/runtime') : require('handlebars')) as typeof Handlebars;

const cache = new Map<string, Handlebars.TemplateDelegate>();

/**
 * One Tcl word in braces, so `$`, `[` and `"` in it stay literal. A word holding a brace,
 * a backslash or a line break could end the braces early, so it is refused (names never hold one).
 */
export function tclWord(s: string): string {
  if (/[{}\\\n\r]/.test(s)) throw new Error(`cannot brace-quote ${JSON.stringify(s)} as one Tcl word`);
  return `{${s}}`;
}

// {{tcl x}}: x as a braced Tcl word; {{json x}}: x as a JSON string (also a YAML double-quoted scalar).
hbs.registerHelper('tcl', (s: string) => tclWord(s));
hbs.registerHelper('json', (s: string) => JSON.stringify(s));

/** A compiled template by file name (e.g. `module.v.hbs`), compiled once per process. */
export function template(file: string): Handlebars.TemplateDelegate {
  let t = cache.get(file);
  if (!t) {
    if (PRECOMPILED) {
      const spec = Object.hasOwn(PRECOMPILED, file) ? PRECOMPILED[file] : undefined;
      if (!spec) throw new Error(`template ${file} is not in the build's templates.cjs: run npm run build`);
      t = hbs.template(spec);
    } else {
      t = hbs.compile(readFileSync(TEMPLATE_DIR + file, 'utf8'), { noEscape: true, strict: true });
    }
    cache.set(file, t);
  }
  return t;
}

/** One named port connection of an instance. */
export interface Connection {
  readonly port: string;
  readonly signal: string;
}

/** An instance of a module with named port connections. */
export function renderInstance(module: string, instance: string, conns: readonly Connection[]): string {
  return template('instance.v.hbs')({ module, instance, conns }).trimEnd();
}

function portDecl(p: PortDesc): string {
  const dir = p.dir === 'input' ? 'input  wire' : p.reg ? 'output reg ' : 'output wire';
  return `${dir} ${range(p.width)}${p.name}`;
}

/** A module: header comment, ANSI port list and body. */
export function renderModule(m: ModuleDesc): string {
  return template('module.v.hbs')({
    name: m.name,
    comment: m.comment,
    ports: m.ports.map((p) => ({ decl: portDecl(p) })),
    body: m.body,
  });
}
