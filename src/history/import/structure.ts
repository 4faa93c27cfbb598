/**
 * The structural rules of a JSON Lines history (CHECKING.md: "invoke then exactly one of ok,
 * fail or info", records in time order, times integer microseconds). A file that breaks them
 * is malformed input, not a history with anomalies: the checker would otherwise drop what it
 * cannot pair (a read of 777 that nobody invoked) and call the rest valid.
 *
 * A second completion of one op is malformed here too. The simulator's own runner may record
 * a second reply from a buggy engine (the checker reports that as an `invariant` anomaly when
 * it judges a run), but a file handed to `replsim check` must follow the contract.
 *
 * Records are fed one at a time, so a streaming reader can use the same rules; the state is
 * one entry per op id seen (to refuse a duplicate id), and the time of the last record.
 */
import type { HistoryRecord } from '../types.js';

/** What is wrong with a record; `orphan` is a completion whose op was not invoked before it. */
export interface StructureProblem {
  kind: 'time_backwards' | 'duplicate_invoke' | 'orphan' | 'second_completion';
  message: string;
}

/** Feeds records in file order; each call returns what is wrong with that record, if anything. */
export interface StructureCheck {
  /** `record` is well-formed on its own (fields checked); `line` is its 1-based line. */
  add(record: HistoryRecord, line: number): StructureProblem | undefined;
  /** Number of `invoke` records accepted so far. */
  readonly invokes: number;
}

const DONE_TYPES = ['ok', 'fail', 'info'] as const;

/** The messages of the rules on op ids, shared with the partitioned check (src/checker/partition/ids.ts). */
export const structureMessages = {
  duplicateInvoke: (op: number, firstLine: number): string => `op ${op} is invoked twice (first on line ${firstLine}): op ids must be unique`,
  orphan: (type: string, op: number): string => `${type} for op ${op} with no invoke before it (an invoke must come first)`,
  secondCompletion: (op: number, firstType: string, firstLine: number, type: string): string =>
    `op ${op} completes twice (${firstType} on line ${firstLine}, then ${type}): each invoke has exactly one ok, fail or info`,
};

/** A fresh checker for one file. */
export function createStructureCheck(): StructureCheck {
  // What each op id has done so far, as numbers rather than an object per op (a streamed
  // 10^6-op history held ~150 MB of them): the line it was invoked on, and its completion
  // as line * 4 + the index of its type in DONE_TYPES.
  const invokedAt = new Map<number, number>();
  const doneAt = new Map<number, number>();
  let lastT = 0;
  let lastLine = 0;
  let invokes = 0;
  return {
    get invokes() {
      return invokes;
    },
    add(r, line) {
      if (r.t < lastT) {
        return {
          kind: 'time_backwards',
          message: `time goes backwards: "t" ${r.t} is before ${lastT} on line ${lastLine} (records must be in time order)`,
        };
      }
      lastT = r.t;
      lastLine = line;
      switch (r.type) {
        case 'invoke': {
          const before = invokedAt.get(r.op);
          if (before !== undefined) {
            return { kind: 'duplicate_invoke', message: structureMessages.duplicateInvoke(r.op, before) };
          }
          invokedAt.set(r.op, line);
          invokes++;
          return undefined;
        }
        case 'ok':
        case 'fail':
        case 'info': {
          // The caller names where (or whether) the op is invoked later in the file.
          if (!invokedAt.has(r.op)) return { kind: 'orphan', message: structureMessages.orphan(r.type, r.op) };
          const done = doneAt.get(r.op);
          if (done !== undefined) {
            return {
              kind: 'second_completion',
              message: structureMessages.secondCompletion(r.op, DONE_TYPES[done % 4] ?? 'ok', Math.floor(done / 4), r.type),
            };
          }
          doneAt.set(r.op, line * 4 + DONE_TYPES.indexOf(r.type));
          return undefined;
        }
        default:
          return undefined;
      }
    },
  };
}
