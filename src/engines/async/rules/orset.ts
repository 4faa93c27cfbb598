/**
 * Observed-remove set (Shapiro et al. 2011): every add gets a unique tag; a remove deletes the
 * tags of the element that the removing replica has observed. An add concurrent with a remove
 * has a tag the remove did not see, so the element stays (add wins). Tags removed are kept as
 * tombstones so a late add of a removed tag stays removed.
 */
import type { Rule } from '../rule.js';

export interface OrSetState {
  /** tag → element, for tags added and not removed */
  adds: Map<string, number>;
  removed: Set<string>;
  /** element → number of live tags */
  live: Map<number, number>;
}

export type OrSetChange =
  | { kind: 'or-add'; tag: string; e: number; op: number }
  | { kind: 'or-rm'; tags: string[]; e: number; op: number };

const elements = (st: OrSetState): number[] => [...st.live.keys()].sort((a, b) => a - b);

export function orSetRule(): Rule<OrSetState, OrSetChange> {
  return {
    empty: () => ({ adds: new Map(), removed: new Set(), live: new Map() }),
    local(st, req, env) {
      if (req.f === 'read') return { type: 'reply', result: { type: 'ok', value: elements(st) } };
      const e = req.value;
      if ((req.f !== 'add' && req.f !== 'remove') || typeof e !== 'number') {
        return { type: 'reply', result: { type: 'fail', error: `bad-request: ${req.f} on set` } };
      }
      const ok = { type: 'ok', value: e } as const;
      if (req.f === 'add') return { type: 'change', change: { kind: 'or-add', tag: env.uid(), e, op: req.op }, reply: () => ok };
      const tags = [...st.adds].filter(([, x]) => x === e).map(([t]) => t);
      if (tags.length === 0) return { type: 'reply', result: ok }; // nothing observed to remove
      return { type: 'change', change: { kind: 'or-rm', tags, e, op: req.op }, reply: () => ok };
    },
    merge(st, ch) {
      switch (ch.kind) {
        case 'or-add': {
          if (st.removed.has(ch.tag) || st.adds.has(ch.tag)) return false;
          st.adds.set(ch.tag, ch.e);
          const c = st.live.get(ch.e) ?? 0;
          st.live.set(ch.e, c + 1);
          return c === 0;
        }
        case 'or-rm': {
          let changed = false;
          for (const t of ch.tags) {
            if (st.removed.has(t)) continue;
            st.removed.add(t);
            const e = st.adds.get(t);
            if (e === undefined) continue; // removal arrived before its add: the tombstone waits
            st.adds.delete(t);
            const c = (st.live.get(e) ?? 1) - 1;
            if (c > 0) st.live.set(e, c);
            else {
              st.live.delete(e);
              changed = true;
            }
          }
          return changed;
        }
        default: {
          const never: never = ch;
          throw new Error(`unknown or-set change ${JSON.stringify(never)}`);
        }
      }
    },
    visible: elements,
    version: (st) => `tags:${st.adds.size}/tombstones:${st.removed.size}`,
    stampOf: () => undefined,
    opOf: (ch) => ch.op,
  };
}
