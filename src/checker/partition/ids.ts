/**
 * The rules on op ids of a JSON Lines history (structure.ts: unique invoke ids, a completion
 * only after its invoke, one completion per op) checked one id bucket at a time: pass 1
 * spilled every invoke and completion as (id, line, kind) to the bucket of its id, so a
 * duplicate id anywhere in the file is found holding one bucket's events, not every id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { structureMessages } from '../../history/import/structure.js';

const KINDS = ['invoke', 'ok', 'fail', 'info'] as const;

/** The first line breaking an id rule; `orphan` when it is a completion with no invoke before it. */
export interface IdProblem {
  line: number;
  message: string;
  orphan?: { type: string; op: number };
}

/** The earliest problem over the id buckets, or undefined. */
export function firstIdProblem(paths: readonly string[]): IdProblem | undefined {
  let best: IdProblem | undefined;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const found = bucketProblem(readEvents(p));
    if (found && (!best || found.line < best.line)) best = found;
  }
  return best;
}

function readEvents(path: string): Float64Array {
  const bytes = readFileSync(path);
  // a Buffer may sit at any offset of a shared pool: copy into an aligned array
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The earliest problem among the events of one bucket (pairs: id, line * 4 + kind). */
export function bucketProblem(ev: Float64Array): IdProblem | undefined {
  const n = ev.length / 2;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // by id, then by line (the code grows with the line)
  order.sort((a, b) => (ev[2 * a]! - ev[2 * b]!) || (ev[2 * a + 1]! - ev[2 * b + 1]!));
  let best: IdProblem | undefined;
  let i = 0;
  while (i < n) {
    const id = ev[2 * order[i]!]!;
    let invokedAt = -1;
    let done = -1; // line * 4 + kind of the completion
    let found: IdProblem | undefined;
    for (; i < n && ev[2 * order[i]!] === id; i++) {
      if (found) continue;
      const code = ev[2 * order[i]! + 1]!;
      const line = Math.floor(code / 4);
      const kind = code - 4 * line;
      if (kind === 0) {
        if (invokedAt >= 0) found = { line, message: structureMessages.duplicateInvoke(id, invokedAt) };
        else invokedAt = line;
      } else if (invokedAt < 0) {
        found = { line, message: structureMessages.orphan(KINDS[kind]!, id), orphan: { type: KINDS[kind]!, op: id } };
      } else if (done >= 0) {
        const first = Math.floor(done / 4);
        found = { line, message: structureMessages.secondCompletion(id, KINDS[done - 4 * first]!, first, KINDS[kind]!) };
      } else done = code;
    }
    if (found && (!best || found.line < best.line)) best = found;
  }
  return best;
}
