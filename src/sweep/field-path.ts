/**
 * Field paths into a scenario as written (`network.links[0].latency`,
 * `workload.clients.us-east.rate`), and setting a value at one in the plain YAML object.
 * Setting never validates: the scenario schema does, so a path the format does not know is
 * reported with its "did you mean" like any unknown field.
 */
import { didYouMean } from '../scenario/suggest.js';
import type { Parsed } from './values.js';

export type FieldPath = Array<string | number>;

/** Keys that would reach an object's prototype: never a scenario field. */
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** `a.b[0].c` → ['a', 'b', 0, 'c']. */
export function parseFieldPath(text: string): Parsed<FieldPath> {
  const out: FieldPath = [];
  if (text === '') return { ok: false, error: 'an empty field path' };
  for (const part of text.split('.')) {
    const m = /^([A-Za-z0-9_/-]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return { ok: false, error: `"${part}" in the path "${text}" is not a field name (letters, digits, "-", "_", "/") with optional [INDEX]es` };
    const key = m[1] as string;
    if (FORBIDDEN.has(key)) return { ok: false, error: `"${key}" is not a scenario field` };
    out.push(key);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return { ok: true, value: out };
}

/** `['a', 'b', 0]` → `a.b[0]`. */
export function formatFieldPath(p: FieldPath): string {
  let s = '';
  for (const seg of p) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s;
}

/**
 * A copy of `root` with `value` at `path` (copy-on-write along the path; the rest shared).
 * Missing mappings on the way are created (a default section not written in the file); a
 * list index past the end, or a step into a scalar, is an error.
 */
export function setAtPath(root: unknown, path: FieldPath, value: unknown): Parsed<unknown> {
  const step = (node: unknown, i: number): Parsed<unknown> => {
    if (i === path.length) return { ok: true, value };
    const seg = path[i] as string | number;
    const here = formatFieldPath(path.slice(0, i)) || 'the top level';
    if (typeof seg === 'number') {
      if (!Array.isArray(node)) return { ok: false, error: `${here} is not a list, so [${seg}] does not apply` };
      if (seg >= node.length) return { ok: false, error: `${here} has ${node.length} entr${node.length === 1 ? 'y' : 'ies'}, so [${seg}] does not exist` };
      const inner = step(node[seg], i + 1);
      if (!inner.ok) return inner;
      const copy = [...node];
      copy[seg] = inner.value;
      return { ok: true, value: copy };
    }
    if (node !== undefined && node !== null && (typeof node !== 'object' || Array.isArray(node))) {
      return { ok: false, error: `${here} is ${Array.isArray(node) ? 'a list (use [INDEX])' : 'a value'}, so .${seg} does not apply` };
    }
    const obj = (node ?? {}) as Record<string, unknown>;
    if (!Object.hasOwn(obj, seg) && typeof path[i + 1] === 'number') {
      // A list cannot be made up: the field has to be in the file to index into it.
      const at = i === 0 ? 'the scenario' : formatFieldPath(path.slice(0, i));
      return { ok: false, error: `${at} has no list "${seg}"${didYouMean(seg, Object.keys(obj))}` };
    }
    const inner = step(Object.hasOwn(obj, seg) ? obj[seg] : undefined, i + 1);
    if (!inner.ok) return inner;
    return { ok: true, value: { ...obj, [seg]: inner.value } };
  };
  return step(root, 0);
}

/** The value at `path`, or undefined. */
export function getAtPath(root: unknown, path: FieldPath): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}
