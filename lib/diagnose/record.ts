// diagnose's record: a JSON-lines file, one header line saying which recipe it belongs to, then
// one line per finished fit, appended as each finishes. Run again with the same record, diagnose
// skips the fits already in it; a torn last line (a crash mid-write) is ignored and redone.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

import type { Outcome } from './pool.js';

const FORMAT = 'agentgrad-diagnose-record';
const VERSION = 1;

export interface DiagnoseRecord {
  /** Outcomes already in the record, by simulation index. */
  done: Map<number, Outcome>;
  append(outcome: Outcome): void;
}

function parseLines(path: string, identity: string): Map<number, Outcome> {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const done = new Map<number, Outcome>();
  if (lines.length === 0) return done;
  let header: { format?: string; version?: number; identity?: unknown };
  try {
    header = JSON.parse(lines[0]!);
  } catch {
    throw new Error(`record '${path}' is not an agentgrad diagnose record (its first line is not JSON); it was not used`);
  }
  if (header.format !== FORMAT || header.version !== VERSION) {
    throw new Error(`record '${path}' is not an agentgrad diagnose record of version ${VERSION}; it was not used`);
  }
  if (JSON.stringify(header.identity) !== identity) {
    throw new Error(`record '${path}' belongs to a diagnose run with other settings (model, priors, fit options, seed, ...); it was not used`);
  }
  for (const line of lines.slice(1)) {
    try {
      const outcome = JSON.parse(line) as Outcome;
      if (Number.isInteger(outcome.index)) done.set(outcome.index, outcome);
    } catch {
      // A line torn by a crash: that fit runs again.
    }
  }
  return done;
}

/** Opens (or starts) the record at `path` for the run described by `identity`. */
export function openRecord(path: string, identity: unknown): DiagnoseRecord {
  const key = JSON.stringify(identity);
  let done = new Map<number, Outcome>();
  if (existsSync(path) && readFileSync(path, 'utf8').trim() !== '') {
    done = parseLines(path, key);
    // Drop a torn tail so the next append starts on a line of its own.
    const text = readFileSync(path, 'utf8');
    if (!text.endsWith('\n')) appendFileSync(path, '\n');
  } else {
    writeFileSync(path, JSON.stringify({ format: FORMAT, version: VERSION, identity }) + '\n');
  }
  return {
    done,
    append(outcome) {
      appendFileSync(path, JSON.stringify(outcome) + '\n');
    },
  };
}
