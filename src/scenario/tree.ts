/**
 * One pass over a parsed YAML document, in time linear in its size: refuses what must not
 * become objects (non-scalar keys, `__proto__`-like keys, duplicate keys, nesting deeper than
 * MAX_DEPTH, aliases that expand the document too much), resolves every alias once, and
 * converts the document into plain JS values.
 *
 * Why not the `yaml` package's own checks: its `uniqueKeys` compares each key with every
 * earlier key of its mapping (quadratic: 20,000 keys took 5 s, 101,000 did not finish in
 * 120 s), and each `Alias.resolve` walks the whole document (20,000 errors located through one
 * alias took 20 s). Here keys go into one hash set per mapping and anchors into one table.
 * Iterative where the depth is the attacker's: the walk keeps its own stack.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** Deepest nesting of mappings and lists accepted, aliases expanded. */
export const MAX_DEPTH = 64;
/** Keys that could reach object prototypes; refused anywhere in a file. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
/**
 * Nodes that aliases may add to a document on top of its own, as a multiple of its own count
 * (plus ALIAS_EXPANSION_SLACK): aliases may copy data, never multiply it (alias bombs).
 */
export const ALIAS_EXPANSION_FACTOR = 1;
export const ALIAS_EXPANSION_SLACK = 10_000;
/** The one wording for "too deep", whether found here or by the parser running out of stack. */
export const TOO_DEEP = `nested more than ${MAX_DEPTH} levels deep`;

export type Segment = string | number;

/** A problem found in the tree: where (offset into the text) and which field path. */
export interface TreeError {
  offset: number;
  path: Segment[];
  message: string;
}

/** Alias targets and per-mapping key tables, built once and shared by every lookup. */
export interface TreeIndex {
  /** the node an alias stands for (the last anchor of its name before it) */
  resolve(n: unknown): unknown;
  /** the pair of `key` in mapping `m`, through a table built at the first lookup */
  pair(m: YAMLMap, key: string): Pair | undefined;
}

/** A scalar key's text; `undefined` for a collection key. */
export function scalarKey(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  return undefined;
}

interface Frame {
  n: unknown;
  path: Segment[];
  depth: number;
  /** keys seen so far in the mapping this pair belongs to */
  seen?: Set<string>;
}

/**
 * Walks the document once in source order. Returns the index and every error found (at most
 * `maxErrors`, in source order): keys that are not plain names, forbidden keys, duplicate
 * keys, nesting deeper than MAX_DEPTH, aliases with no anchor before them.
 */
export function scanTree(doc: Document, maxErrors: number): { index: TreeIndex; errors: TreeError[] } {
  const errors: TreeError[] = [];
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  const keyTables = new Map<YAMLMap, Map<string, Pair>>();
  const resolve = (n: unknown): unknown => (isAlias(n) ? targets.get(n) : n);
  const nameOf = (key: unknown): string | undefined => scalarKey(resolve(key));
  const add = (n: unknown, path: Segment[], message: string) => {
    if (errors.length < maxErrors) errors.push({ offset: (n as Node | null)?.range?.[0] ?? 0, path, message });
  };
  const note = (n: unknown) => {
    if (isAlias(n)) {
      const t = anchors.get(n.source);
      if (t === undefined) add(n, [], `alias *${n.source} has no anchor &${n.source} before it`);
      else targets.set(n, t);
    } else if (n !== null && typeof n === 'object' && typeof (n as { anchor?: unknown }).anchor === 'string') {
      anchors.set((n as { anchor: string }).anchor, n);
    }
  };

  const stack: Frame[] = [{ n: doc.contents, path: [], depth: 0 }];
  while (stack.length > 0 && errors.length < maxErrors) {
    const { n, path, depth, seen } = stack.pop() as Frame;
    if (isPair(n)) {
      note(n.key);
      const name = nameOf(n.key);
      if (name === undefined) {
        add(n.key, path, 'a key must be a plain name, not a list or mapping');
      } else if (FORBIDDEN_KEYS.includes(name)) {
        add(n.key, [...path, name], `the key "${name}" is not allowed`);
      } else if (seen?.has(name)) {
        add(n.key, [...path, name], `duplicate key "${name}"`);
      } else {
        seen?.add(name);
      }
      // The value after its key, so anchors on keys are known before aliases in the value.
      stack.push({ n: n.value, path: [...path, name ?? '?'], depth: depth + 1 });
      continue;
    }
    note(n);
    if (depth > MAX_DEPTH && (isMap(n) || isSeq(n) || isScalar(n) || isAlias(n))) {
      add(n, path, TOO_DEEP);
      continue;
    }
    if (isMap(n)) {
      const keys = new Set<string>();
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ n: n.items[i], path, depth, seen: keys });
    } else if (isSeq(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ n: n.items[i], path: [...path, i], depth: depth + 1 });
    }
  }

  const index: TreeIndex = {
    resolve,
    pair(m, key) {
      let table = keyTables.get(m);
      if (table === undefined) {
        table = new Map();
        for (const p of m.items) {
          const name = nameOf(p.key);
          if (name !== undefined && !table.has(name)) table.set(name, p);
        }
        keyTables.set(m, table);
      }
      return table.get(key);
    },
  };
  return { index, errors };
}

type Converted = { ok: true; value: unknown } | { ok: false; error: TreeError };

interface Built {
  value: unknown;
  /** nodes in the expanded tree */
  size: number;
  /** nesting depth of the expanded tree */
  depth: number;
}

/**
 * The document as plain values, each alias sharing its anchor's value (as `yaml`'s toJS
 * does). Refused when aliases would make the expanded tree larger than the document allows
 * (alias bombs) or deeper than MAX_DEPTH. Call only after `scanTree` found no error: the
 * recursion is then at most MAX_DEPTH deep, and an alias never re-enters a node.
 */
export function toPlain(doc: Document, index: TreeIndex): Converted {
  const built = new Map<unknown, Built>();
  let ownNodes = 0;
  let expanded = 0;
  let budget = Infinity;
  let firstAlias: { n: unknown; path: Segment[] } | undefined;
  let failure: TreeError | undefined;

  const build = (n: unknown, path: Segment[]): Built => {
    if (failure) return { value: null, size: 0, depth: 0 };
    if (isAlias(n)) {
      firstAlias ??= { n, path };
      const t = index.resolve(n);
      // An anchor on a key (`&k name: 1`) is a scalar never built as a value: build it now.
      const target = built.get(t) ?? (isScalar(t) ? build(t, path) : undefined);
      if (target === undefined) {
        failure = { offset: n.range?.[0] ?? 0, path, message: `alias *${n.source} refers to a node that contains it` };
        return { value: null, size: 0, depth: 0 };
      }
      expanded += target.size;
      if (expanded > budget || target.depth > MAX_DEPTH - path.length) {
        const a = firstAlias;
        failure = {
          offset: (a.n as Node).range?.[0] ?? 0,
          path: a.path,
          message:
            expanded > budget
              ? `aliases expand the document beyond ${budget} extra nodes; refusing a possible alias bomb`
              : `${TOO_DEEP} once aliases are expanded`,
        };
      }
      return target;
    }
    let out: Built;
    if (isMap(n)) {
      const obj: Record<string, unknown> = {};
      let size = 1;
      let depth = 0;
      for (const p of n.items) {
        const key = scalarKey(index.resolve(p.key)) ?? '';
        const v = build(p.value, [...path, key]);
        // Keys were checked by scanTree: no __proto__, no duplicates.
        obj[key] = v.value;
        size += v.size;
        depth = Math.max(depth, v.depth + 1);
      }
      out = { value: obj, size, depth };
    } else if (isSeq(n)) {
      const arr: unknown[] = [];
      let size = 1;
      let depth = 0;
      for (let i = 0; i < n.items.length; i++) {
        const v = build(n.items[i], [...path, i]);
        arr.push(v.value);
        size += v.size;
        depth = Math.max(depth, v.depth + 1);
      }
      out = { value: arr, size, depth };
    } else if (isScalar(n)) {
      out = { value: n.value === undefined ? null : n.value, size: 1, depth: 0 };
    } else {
      out = { value: null, size: 1, depth: 0 };
    }
    ownNodes++;
    built.set(n, out);
    return out;
  };

  // First pass counts the document's own nodes (aliases add nothing yet), then the budget is known.
  ownNodes = countNodes(doc);
  budget = ownNodes * ALIAS_EXPANSION_FACTOR + ALIAS_EXPANSION_SLACK;
  const root = build(doc.contents, []);
  return failure ? { ok: false, error: failure } : { ok: true, value: root.value };
}

/** Nodes written in the document (aliases count one each), without recursion. */
function countNodes(doc: Document): number {
  let count = 0;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    count++;
    if (isMap(n)) for (const p of n.items) stack.push(p.value);
    else if (isSeq(n)) for (const it of n.items) stack.push(it);
  }
  return count;
}
