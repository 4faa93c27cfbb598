/**
 * The run's budget of memory and output: every record written is counted against named
 * limits, so a valid scenario that would grow without bound (an OR-set under 100,000 adds/s,
 * whose every apply carries the whole set) stops cleanly with the limit named in the report,
 * long before V8 runs out of heap. Counting is by the record's JSON line, which the history
 * writer produces anyway; JSON is ASCII but for user strings, so characters stand for bytes.
 */
import type { HistoryRecord } from '../history/types.js';
import type { LimitName } from '../sim/kernel.js';

/** A limit passed: which, its value, and what passed it. */
export interface LimitPassed {
  limit: LimitName;
  value: number;
  detail?: string;
}

/** The `limits:` of a scenario that this module enforces (the kernel enforces events and queue). */
export interface RecordLimits {
  max_history: number;
  max_history_bytes: number;
  max_value_bytes: number;
  max_state_bytes: number;
  max_heap_mb: number;
}

/** Reads the process's heap in use, in MiB; injected by the CLI (src/ must stay deterministic). */
export interface HeapProbe {
  used_mb: () => number;
  /** the V8 heap limit in MiB: `max_heap_mb` is capped below it, so the check fires first */
  limit_mb: number;
}

/** Records between two heap probes: the probe costs microseconds, a record far less. */
const HEAP_PROBE_EVERY = 4096;
/** Share of V8's own heap limit at which a run stops at the latest. */
const HEAP_HEADROOM = 0.8;

/** One key's state size at one node, as the last apply's line length (changed in place). */
interface StateCell {
  bytes: number;
}

/** Counts records against the limits; `add` returns the first limit passed. */
export class RecordBudget {
  private records = 0;
  private historyBytes = 0;
  private stateBytes = 0;
  /** the last applied record's size per node, then key: the replicas' state, as the history
   * shows it (two lookups and a store in place per apply, on the run's hottest record) */
  private readonly stateOf = new Map<string, Map<string, StateCell>>();
  private readonly heapLimitMb: number;

  constructor(
    private readonly lim: RecordLimits,
    private readonly heap?: HeapProbe,
  ) {
    this.heapLimitMb = heap ? Math.min(lim.max_heap_mb, Math.floor(heap.limit_mb * HEAP_HEADROOM)) : Infinity;
  }

  /** Counts one record whose JSON line is `chars` long; the reason to stop, if a limit is passed. */
  add(r: HistoryRecord, chars: number): LimitPassed | undefined {
    this.records++;
    this.historyBytes += chars;
    const lim = this.lim;
    // `>=`: the record that reaches max_history is the last one, as the limit has always meant
    if (this.records >= lim.max_history) return { limit: 'max_history', value: lim.max_history };
    if (this.historyBytes > lim.max_history_bytes) return { limit: 'max_history_bytes', value: lim.max_history_bytes };
    if (chars > lim.max_value_bytes) {
      const what = 'key' in r ? ` (${r.type} of key ${JSON.stringify(r.key)})` : ` (${r.type})`;
      return { limit: 'max_value_bytes', value: lim.max_value_bytes, detail: `a record of ${chars} bytes${what}` };
    }
    if (r.type === 'apply') {
      this.stateBytes += chars - this.swapState(r.node, r.key, chars);
      if (this.stateBytes > lim.max_state_bytes) return { limit: 'max_state_bytes', value: lim.max_state_bytes };
    }
    if (this.heap && this.records % HEAP_PROBE_EVERY === 0) {
      const used = this.heap.used_mb();
      if (used > this.heapLimitMb) return { limit: 'max_heap_mb', value: this.heapLimitMb, detail: `${Math.round(used)} MiB in use` };
    }
    return undefined;
  }

  /** Sets `key`'s state at `node` to `chars`; returns what it was (0: none yet). */
  private swapState(node: string, key: string, chars: number): number {
    let perKey = this.stateOf.get(node);
    if (perKey === undefined) this.stateOf.set(node, (perKey = new Map()));
    const cell = perKey.get(key);
    if (cell === undefined) {
      perKey.set(key, { bytes: chars });
      return 0;
    }
    const was = cell.bytes;
    cell.bytes = chars;
    return was;
  }

  /** Figures for the report and for choosing defaults (bench, tests). */
  get usage(): { records: number; history_bytes: number; state_bytes: number } {
    return { records: this.records, history_bytes: this.historyBytes, state_bytes: this.stateBytes };
  }
}
