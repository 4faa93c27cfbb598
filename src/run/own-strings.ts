/**
 * A scenario whose strings are all internalized: the one copy of each text that V8 keeps in
 * its string table, the same object as the program's literals ("register", "quorum", ...).
 *
 * A scenario read from YAML, or cloned into a worker thread of `replsim test`, carries its own
 * copies of such names. V8 turns a copy into a forwarding ("thin") string, in place, the first
 * time it is used as a property key, which happens in the middle of a run. One CI run of
 * `replsim test` (worker threads on a loaded 2-core machine) saw an engine's `switch (model)`
 * miss every case with a model that printed as "register"; thousands of runs here did not
 * reproduce it (CHANGELOG, "Fixed"). With internalized strings nothing about a scenario's
 * strings changes under compiled code, and a comparison with a literal compares two pointers.
 */

/** The internalized string equal to `text` (property keys are internalized; array indexes excepted). */
export function internalized(text: string): string {
  const holder: Record<string, 0> = { [text]: 0 };
  for (const key in holder) return key;
  return text;
}

/** A deep copy of plain data (objects, arrays, strings, numbers, ...) with every string internalized. */
export function withOwnStrings<T>(value: T): T {
  if (typeof value === 'string') return internalized(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => withOwnStrings(v)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    // fromEntries defines own properties: a key "__proto__" stays a key
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withOwnStrings(v)])) as T;
  }
  return value;
}
