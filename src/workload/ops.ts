/**
 * What a generated operation is, per workload model. Everything here draws from the client's
 * own workload stream and from facts the generator itself made (its own earlier ops), never
 * from results, so the same seed gives the same operations whatever the engine or faults.
 */
import type { OpFn, Value } from '../history/types.js';
import type { Rng } from '../sim/rng.js';
import type { WorkloadModel } from '../scenario/types.js';

/** Ops each model may issue (also what `mix` may name). */
export const MODEL_OPS: Record<WorkloadModel, readonly OpFn[]> = {
  register: ['read', 'write', 'cas'],
  counter: ['read', 'add'],
  set: ['read', 'add', 'remove'],
  inventory: ['read', 'reserve', 'restock'],
};

/** Units each inventory key starts with. */
export const INITIAL_STOCK = 100;

export interface OpDraft {
  f: OpFn;
  key: string;
  value?: Value | undefined;
}

/** Per-client generator memory: what this client wrote/added, for cas and remove. */
export interface GenMemory {
  lastWritten: Map<string, number>;
  added: Map<string, number[]>;
  /**
   * Whether writes and adds are remembered at all: only `cas` and `remove` read the memory, so
   * a mix without them (most: reads and writes) skips a map update per write.
   */
  remember: boolean;
}

export function newGenMemory(remember = true): GenMemory {
  return { lastWritten: new Map(), added: new Map(), remember };
}

/** Whether a mix issues an op that reads the generator memory (`cas`, `remove`). */
export function mixRemembers(table: ReadonlyArray<{ f: OpFn }>): boolean {
  return table.some((row) => row.f === 'cas' || row.f === 'remove');
}

/** Cumulative mix weights in a fixed op order, for one draw per operation. */
export function mixTable(model: WorkloadModel, mix: Record<string, number>): Array<{ f: OpFn; upTo: number }> {
  const ops = MODEL_OPS[model].filter((f) => (mix[f] ?? 0) > 0);
  const total = ops.reduce((s, f) => s + (mix[f] ?? 0), 0);
  let acc = 0;
  return ops.map((f) => {
    acc += (mix[f] ?? 0) / total;
    return { f, upTo: acc };
  });
}

export function pickOp(table: Array<{ f: OpFn; upTo: number }>, rng: Rng): OpFn {
  const u = rng.next();
  for (const row of table) if (u < row.upTo) return row.f;
  return (table[table.length - 1] as { f: OpFn }).f;
}

/**
 * The op's argument. `id` is the op id, used as the value of writes and set elements, so
 * values are unique per key and every read names the write it saw.
 */
export function draftValue(
  model: WorkloadModel,
  f: OpFn,
  key: string,
  id: number,
  rng: Rng,
  mem: GenMemory,
): OpDraft {
  const d = fillDraft({ f, key, value: undefined }, model, f, key, id, rng, mem);
  return d.value === undefined ? { f: d.f, key: d.key } : { f: d.f, key: d.key, value: d.value };
}

/**
 * `draftValue` written into `out` (returned): the generator drafts one op per arrival, ~4 M
 * on the 2-hour partition, and reads the draft at once, so one object serves them all.
 * `out.value` is `undefined` for an op without an argument. Same draws as `draftValue`.
 */
export function fillDraft(
  out: OpDraft,
  model: WorkloadModel,
  f: OpFn,
  key: string,
  id: number,
  rng: Rng,
  mem: GenMemory,
): OpDraft {
  out.f = f;
  out.key = key;
  out.value = undefined;
  switch (f) {
    case 'read':
      return out;
    case 'write':
      if (mem.remember) mem.lastWritten.set(key, id);
      out.value = id;
      return out;
    case 'cas': {
      const expected = mem.lastWritten.get(key) ?? null;
      mem.lastWritten.set(key, id);
      out.value = [expected, id];
      return out;
    }
    case 'add': {
      if (model === 'counter') {
        out.value = 1 + rng.int(5);
        return out;
      }
      if (mem.remember) {
        const list = mem.added.get(key) ?? [];
        list.push(id);
        mem.added.set(key, list);
      }
      out.value = id;
      return out;
    }
    case 'remove': {
      const list = mem.added.get(key);
      if (!list || list.length === 0) {
        out.f = 'read';
        return out;
      }
      const [el] = list.splice(rng.int(list.length), 1);
      out.value = el as number;
      return out;
    }
    case 'reserve':
      out.value = { qty: 1 + rng.int(3), order: `o${id}` };
      return out;
    case 'restock':
      out.value = 10;
      return out;
    default:
      return out;
  }
}
