/**
 * The content-addressed result cache: one file per design, named by the sha256 of its RTL, the
 * Yosys version and the script. Entries are written atomically and carry a checksum of the
 * record, so a truncated or edited entry is detected, deleted and redone, never trusted.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirLevels, writeFileAtomic } from '../generators/util/atomic.ts';
import { RECORD_SCHEMA, type SynthRecord } from './synth.ts';

interface Entry {
  readonly key: string;
  readonly sha256: string;
  readonly record: SynthRecord;
}

function digest(record: SynthRecord): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('hex');
}

/** A cache folder of synthesis records; successful records only (failures are always retried). */
export class ResultCache {
  /** Entries found corrupt and discarded during this run. */
  readonly discarded: string[] = [];

  constructor(readonly dir: string) {}

  /** Where the entry of `key` lives. */
  path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The record for `key`, or null when absent; a corrupt entry is deleted and counted as absent. */
  get(key: string): SynthRecord | null {
    const file = this.path(key);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const e = JSON.parse(text) as Entry;
      const r = e.record;
      if (e.key === key && r && r.key === key && r.ok === true && r.schema === RECORD_SCHEMA && digest(r) === e.sha256) return r;
    } catch {
      // fall through: unparseable
    }
    this.discarded.push(file);
    rmSync(file, { force: true });
    return null;
  }

  /** Store a successful record atomically (a temporary file, then rename). */
  put(record: SynthRecord): void {
    if (!record.ok) return;
    const file = this.path(record.key);
    makeDirLevels(join(this.dir, record.key.slice(0, 2)));
    const entry: Entry = { key: record.key, sha256: digest(record), record };
    writeFileAtomic(file, JSON.stringify(entry) + '\n');
  }
}
