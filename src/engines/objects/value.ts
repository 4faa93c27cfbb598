/**
 * Value helpers shared by the objects' sequential semantics: structural equality (object key
 * order never matters, as in the checker's canonical form) and the one element order of sets.
 */
import type { Value } from '../../history/types.js';

/** Canonical JSON text: object keys sorted, so equal values give equal texts. */
export function canonText(v: Value | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonText).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonText(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Structural equality of history values (numbers, strings, arrays, plain objects). */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return false;
  return canonText(a) === canonText(b);
}

/** The order of set elements in reads and state: numbers ascending, then the rest by canonical text. */
export function compareElements(a: Value, b: Value): number {
  const na = typeof a === 'number';
  const nb = typeof b === 'number';
  if (na && nb) return a - b;
  if (na !== nb) return na ? -1 : 1;
  const ta = canonText(a);
  const tb = canonText(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** A finite number, or undefined. */
export function finite(v: Value | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A positive safe integer, or undefined (restock and reservation quantities). */
export function positiveInt(v: Value | undefined): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}
