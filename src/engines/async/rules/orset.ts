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
  | { kind: 'or-rm'; tags: string[]; e: number; op: number }
  /** anti-entropy: a replica's live tags and tombstones, merged as the adds and removes they are */
  | { kind: 'or-state'; adds: Array<[string, number]>; removed: string[] };

const elements = (st: OrSetState): number[] => [...st.live.keys()].sort((a, b) => a - b);

/** Adds a tag unless seen; true when its element became visible. */
function addTag(st: OrSetState, tag: string, e: number): boolean {
  if (st.removed.has(tag) || st.adds.has(tag)) return false;
  st.adds.set(tag, e);
  const c = st.live.get(e) ?? 0;
  st.live.set(e, c + 1);
  return c === 0;
}

/** Tombstones a tag; true when its element lost its last live tag. */
function removeTag(st: OrSetState, t: string): boolean {
  if (st.removed.has(t)) return false;
  st.removed.add(t);
  const e = st.adds.get(t);
  if (e === undefined) return false; // removal arrived before its add: the tombstone waits
  st.adds.delete(t);
  const c = (st.live.get(e) ?? 1) - 1;
  if (c > 0) {
    st.live.set(e, c);
    return false;
  }
  st.live.delete(e);
  return true;
}

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
        case 'or-add':
          return addTag(st, ch.tag, ch.e);
        case 'or-rm': {
          let changed = false;
          for (const t of ch.tags) if (removeTag(st, t)) changed = true;
          return changed;
        }
        case 'or-state': {
          // Tombstones first, so a tag both sides know as removed is never shown for a moment.
          const before = elements(st);
          let touched = false;
          for (const t of ch.removed) if (removeTag(st, t)) touched = true;
          for (const [tag, e] of ch.adds) if (addTag(st, tag, e)) touched = true;
          if (!touched) return false;
          const after = elements(st);
          return after.length !== before.length || after.some((x, i) => x !== before[i]);
        }
        default: {
          const never: never = ch;
          throw new Error(`unknown or-set change ${JSON.stringify(never)}`);
        }
      }
    },
    asChanges: (st) =>
      st.adds.size === 0 && st.removed.size === 0 ? [] : [{ kind: 'or-state', adds: [...st.adds], removed: [...st.removed] }],
    visible: elements,
    version: (st) => `tags:${st.adds.size}/tombstones:${st.removed.size}`,
    stampOf: () => undefined,
    opOf: (ch) => (ch.kind === 'or-state' ? undefined : ch.op),
  };
}
