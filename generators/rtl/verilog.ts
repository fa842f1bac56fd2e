/**
 * Rendering through the Handlebars skeletons in `templates/` (compiled with noEscape and
 * strict). Templates lay out headers, ports and instances; they format and never decide.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { ModuleDesc, PortDesc } from './datapath.ts';
import { range } from './signal.ts';
import { projectFile } from '../util/paths.ts';

/** The folder holding the Handlebars templates. */
export const TEMPLATE_DIR = projectFile('templates') + '/';

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
Handlebars.registerHelper('tcl', (s: string) => tclWord(s));
Handlebars.registerHelper('json', (s: string) => JSON.stringify(s));

/** A compiled template by file name (e.g. `module.v.hbs`), compiled once per process. */
export function template(file: string): Handlebars.TemplateDelegate {
  let t = cache.get(file);
  if (!t) {
    t = Handlebars.compile(readFileSync(TEMPLATE_DIR + file, 'utf8'), { noEscape: true, strict: true });
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
