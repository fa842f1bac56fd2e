/**
 * The shared shape of a generated module, what every RTL builder returns: a name, a comment,
 * ports (name, direction, width) and body lines. The module template renders it; no operator
 * is built here.
 */

/** A port of a generated module. */
export interface PortDesc {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
  /** Output driven from an always block. */
  readonly reg?: boolean;
}

/** A generated module: name, ports and body lines, rendered by the module template. */
export interface ModuleDesc {
  readonly name: string;
  readonly comment: string;
  readonly ports: readonly PortDesc[];
  readonly body: readonly string[];
}
