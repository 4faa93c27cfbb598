/**
 * A small EDN reader: enough for Jepsen / Knossos histories. Handles `;` comments, commas as
 * whitespace, nil / true / false, integers and decimals, strings with escapes, characters,
 * keywords, symbols, vectors, lists, maps, sets, `#_` discard and tagged literals (`#inst "…"`,
 * read as their value). Errors are data with the line and column where reading stopped.
 */

export type Edn = null | boolean | number | string | EdnKeyword | EdnSymbol | Edn[] | EdnMap | EdnSet | EdnTagged;
export interface EdnKeyword {
  kind: 'keyword';
  name: string;
}
export interface EdnSymbol {
  kind: 'symbol';
  name: string;
}
export interface EdnMap {
  kind: 'map';
  entries: [Edn, Edn][];
  /** where the `{` is (1-based) */
  line: number;
  column: number;
}
export interface EdnSet {
  kind: 'set';
  items: Edn[];
}
export interface EdnTagged {
  kind: 'tagged';
  tag: string;
  value: Edn;
}

/** A top-level form and where it starts. */
export interface EdnForm {
  value: Edn;
  line: number;
  column: number;
}

export type EdnReadResult =
  | { ok: true; forms: EdnForm[] }
  | { ok: false; line: number; column: number; message: string };

class EdnSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

const DELIMITERS = new Set(['(', ')', '[', ']', '{', '}', '"', ';', ',']);
const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?[NM]?$/;
const CHAR_NAMES: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', formfeed: '\f', backspace: '\b' };

/** Reads every top-level form of `text`. `lineOffset` shifts reported lines (for fragments). */
export function readEdn(text: string, lineOffset = 0, columnOffset = 0): EdnReadResult {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const col = (): number => i - lineStart + 1 + (line === 1 ? columnOffset : 0);
  const fail = (message: string, l = line, c = col()): never => {
    throw new EdnSyntaxError(l + lineOffset, c, message);
  };
  const what = (): string => (i >= text.length ? 'end of input' : JSON.stringify(text[i]));

  function skip(): void {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n') {
        i++;
        line++;
        lineStart = i;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\f') i++;
      else if (c === ';') {
        while (i < text.length && text[i] !== '\n') i++;
      } else break;
    }
  }

  function token(): string {
    const start = i;
    while (i < text.length) {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || DELIMITERS.has(c)) break;
      i++;
    }
    return text.slice(start, i);
  }

  function readString(): string {
    const l = line;
    const c0 = col();
    i++; // opening quote
    let out = '';
    let chunk = i;
    while (true) {
      if (i >= text.length) fail('unterminated string (expected a closing ")', l, c0);
      const c = text[i]!;
      if (c === '"') {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === '\n') {
        i++;
        line++;
        lineStart = i;
        continue;
      }
      if (c !== '\\') {
        i++;
        continue;
      }
      out += text.slice(chunk, i);
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('expected 4 hex digits after \\u in a string');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          i -= 1;
          fail(`unknown escape \\${e ?? ''} in a string (expected one of \\" \\\\ \\n \\t \\r \\b \\f \\uXXXX)`);
      }
      chunk = i;
    }
  }

  function readSeq(close: string, what_: string, l: number, c: number): Edn[] {
    const items: Edn[] = [];
    while (true) {
      skip();
      if (i >= text.length) fail(`unterminated ${what_} (expected ${close})`, l, c);
      if (text[i] === close) {
        i++;
        return items;
      }
      const v = readForm(close);
      if (v !== DISCARDED) items.push(v as Edn);
    }
  }

  const DISCARDED = Symbol('discarded');

  function readForm(closing?: string): Edn | typeof DISCARDED {
    skip();
    if (i >= text.length) fail('unexpected end of input (expected a value)');
    const l = line;
    const c = col();
    const ch = text[i]!;
    switch (ch) {
      case '[':
        i++;
        return readSeq(']', 'vector', l, c);
      case '(':
        i++;
        return readSeq(')', 'list', l, c);
      case '{': {
        i++;
        const items = readSeq('}', 'map', l, c);
        if (items.length % 2 !== 0) fail('map has a key without a value (expected an even number of forms)', l, c);
        const entries: [Edn, Edn][] = [];
        for (let k = 0; k < items.length; k += 2) entries.push([items[k]!, items[k + 1]!]);
        return { kind: 'map', entries, line: l + lineOffset, column: c };
      }
      case '"':
        return readString();
      case ')':
      case ']':
      case '}':
        return fail(
          closing ? `unexpected ${ch} (expected ${closing} or a value)` : `unexpected ${ch} with nothing open`,
        );
      case '\\': {
        i++;
        const t = token();
        if (t.length === 0) {
          if (i >= text.length) fail('expected a character after \\');
          return text[i++]!;
        }
        if (t.length === 1) return t;
        const named = CHAR_NAMES[t];
        if (named !== undefined) return named;
        if (/^u[0-9a-fA-F]{4}$/.test(t)) return String.fromCharCode(parseInt(t.slice(1), 16));
        return fail(`unknown character literal \\${t}`, l, c);
      }
      case '#': {
        i++;
        const n = text[i];
        if (n === '{') {
          i++;
          return { kind: 'set', items: readSeq('}', 'set', l, c) };
        }
        if (n === '_') {
          i++;
          readForm(closing);
          return DISCARDED;
        }
        const tag = token();
        if (tag.length === 0) fail(`unexpected ${what()} after # (expected {, _ or a tag)`);
        const v = readForm(closing);
        return { kind: 'tagged', tag, value: v === DISCARDED ? null : v };
      }
      default: {
        const t = token();
        if (t.length === 0) fail(`unexpected ${what()} (expected a value)`);
        if (t === 'nil') return null;
        if (t === 'true') return true;
        if (t === 'false') return false;
        if (NUMBER.test(t)) {
          const n = Number(t.replace(/[NM]$/, ''));
          // Infinity would print back as null ("no value") in witnesses and JSON output
          if (!Number.isFinite(n)) return fail(`number ${t} overflows a double (values must be finite)`, l, c);
          return n;
        }
        if (/^[+-]?\d/.test(t)) return fail(`bad number ${t}`, l, c);
        if (t.startsWith(':')) {
          if (t.length === 1) fail('empty keyword (expected a name after :)', l, c);
          return { kind: 'keyword', name: t.slice(1) };
        }
        return { kind: 'symbol', name: t };
      }
    }
  }

  try {
    const forms: EdnForm[] = [];
    while (true) {
      skip();
      if (i >= text.length) return { ok: true, forms };
      const l = line + lineOffset;
      const c = col();
      const v = readForm();
      if (v !== DISCARDED) forms.push({ value: v as Edn, line: l, column: c });
    }
  } catch (e) {
    if (e instanceof EdnSyntaxError) return { ok: false, line: e.line, column: e.column, message: e.message };
    throw e;
  }
}

/** The value of a keyword or symbol, else undefined. */
export function nameOf(v: Edn | undefined): string | undefined {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && (v.kind === 'keyword' || v.kind === 'symbol')) return v.name;
  return undefined;
}

/** Looks up a keyword key in a map. */
export function mapGet(m: EdnMap, key: string): Edn | undefined {
  for (const [k, v] of m.entries) if (nameOf(k) === key && typeof k === 'object' && k !== null && !Array.isArray(k) && k.kind === 'keyword') return v;
  return undefined;
}

/** True when the map has the keyword key (even with a nil value). */
export function mapHas(m: EdnMap, key: string): boolean {
  return m.entries.some(([k]) => typeof k === 'object' && k !== null && !Array.isArray(k) && k.kind === 'keyword' && k.name === key);
}

export function isMap(v: Edn | undefined): v is EdnMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && v.kind === 'map';
}
