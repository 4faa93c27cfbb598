/**
 * Scenario files → validated `Scenario`, or errors that each name file, line, column and
 * field path. YAML is parsed with positions so every schema issue points at the node it is
 * about (the value for a bad value, the key for an unknown key). Hostile input is refused
 * before it becomes objects: oversized and binary files, duplicate keys, alias bombs,
 * `__proto__`-like keys, deep nesting. Never throws: errors are data.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { SCENARIO_PARSE_OPTIONS, scenarioSchema } from './schema.js';
import type { Scenario } from './types.js';

/** One problem in a scenario file. `path` is dotted (`engine.reads`, `faults[1].crash`); '' is the whole file. */
export interface ScenarioError {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  path: string;
  message: string;
}

export type LoadResult = { ok: true; scenario: Scenario; source: string } | { ok: false; errors: ScenarioError[] };

export interface LoadOptions {
  /** replaces the scenario's seed after validation (`--seed`) */
  seed?: number;
}

/** Largest scenario file accepted, in bytes. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** YAML alias expansion limit (yaml's `maxAliasCount`): aliases × aliased nodes. */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of mappings and lists accepted. */
export const MAX_DEPTH = 64;
/** At most this many errors are reported per file. */
export const MAX_ERRORS = 50;
/** Keys that could reach object prototypes; refused anywhere in a file. */
/** Top-level sections that may be written empty (`faults:` with every entry commented out). */
export const EMPTYABLE_SECTIONS: readonly string[] = ['faults', 'expect', 'clocks', 'limits'];

export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** `file:line:col path: message`, one line. */
export function formatError(e: ScenarioError): string {
  const where = `${e.file}:${e.line}:${e.column}`;
  const msg = e.message.replace(/\s*\n\s*/g, '; ');
  return e.path ? `${where} ${e.path}: ${msg}` : `${where} ${msg}`;
}

/** Reads and validates a scenario file. `opts.seed` overrides the seed once the file is valid. */
export function loadScenario(path: string, opts: LoadOptions = {}): LoadResult {
  const fail = (message: string): LoadResult => ({ ok: false, errors: [{ file: path, line: 1, column: 1, path: '', message }] });
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) return fail('is a directory, not a scenario file');
    const read = readBounded(path, MAX_FILE_BYTES);
    if (read === undefined) return fail(`file is too large (the limit is ${MAX_FILE_BYTES} bytes)`);
    bytes = read;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return fail(`no such file: ${path}`);
    if (code === 'EACCES') return fail(`permission denied: ${path}`);
    return fail(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (bytes.includes(0)) return fail('binary file (contains NUL bytes); expected YAML text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('binary file (not valid UTF-8); expected YAML text');
  }
  return withSeed(parseScenario(text, path), opts, path);
}

/**
 * Reads at most `limit` bytes; undefined when there is more. Reads by chunks rather than
 * trusting the size from stat, so pipes and devices (`/dev/zero`) are bounded too.
 */
function readBounded(path: string, limit: number): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) return undefined;
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function withSeed(r: LoadResult, opts: LoadOptions, file: string): LoadResult {
  if (!r.ok || opts.seed === undefined) return r;
  if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) {
    return { ok: false, errors: [{ file, line: 1, column: 1, path: 'seed', message: `--seed: expected a non-negative integer, got ${opts.seed}` }] };
  }
  return { ...r, scenario: { ...r.scenario, seed: opts.seed } };
}

/** Validates scenario text; `fileName` is only used in the errors. */
export function parseScenario(text: string, fileName: string): LoadResult {
  try {
    return parseUnsafe(text, fileName);
  } catch (e) {
    // Deep recursion in a library or a bug of ours: still an answer, not a throw.
    const msg = e instanceof RangeError ? 'document is nested too deeply' : `cannot read the document: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, errors: [{ file: fileName, line: 1, column: 1, path: '', message: msg }] };
  }
}

function parseUnsafe(text: string, file: string): LoadResult {
  const at = (line: number, column: number, path: string, message: string): ScenarioError => ({ file, line, column, path, message });
  const one = (message: string): LoadResult => ({ ok: false, errors: [at(1, 1, '', message)] });

  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) return one(`file is too large (the limit is ${MAX_FILE_BYTES} bytes)`);
  if (text.includes('\u0000')) return one('binary file (contains NUL bytes); expected YAML text');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    return one('binary file (not valid UTF-8); expected YAML text');
  }
  if (text.trim() === '') return one('empty file; a scenario needs at least name, duration, regions and engine');

  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, version: '1.2', merge: false });
  const pos = (offset: number) => {
    const p = lc.linePos(Math.max(0, offset));
    return { line: p.line, col: p.col };
  };

  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    const errors = yamlProblems.slice(0, MAX_ERRORS).map((e) => {
      const p = pos(e.pos[0]);
      const message = e.code === 'DUPLICATE_KEY' ? `duplicate key${keyText(doc, e.pos[0])}` : e.message;
      return at(p.line, p.col, pathAtOffset(doc, e.pos[0]), message);
    });
    return { ok: false, errors: sortErrors(errors) };
  }

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    return one('empty file; a scenario needs at least name, duration, regions and engine');
  }
  if (!isMap(root)) {
    const p = pos(root.range?.[0] ?? 0);
    const got = isSeq(root) ? 'a list' : 'a single value';
    return { ok: false, errors: [at(p.line, p.col, '', `expected a mapping of sections (name:, duration:, regions:, engine: ...) at the top level, got ${got}`)] };
  }

  const shapeErrors = checkShape(doc).map((s) => {
    const p = pos(s.offset);
    return at(p.line, p.col, s.path, s.message);
  });
  if (shapeErrors.length > 0) return { ok: false, errors: sortErrors(shapeErrors.slice(0, MAX_ERRORS)) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const first = firstAlias(doc);
    const p = pos(first?.offset ?? 0);
    const message = /alias count/i.test(e instanceof Error ? e.message : '')
      ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}); refusing a possible alias bomb`
      : `cannot read the document: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, errors: [at(p.line, p.col, first?.path ?? '', message)] };
  }

  // A list section with every entry commented out (`faults:` alone) reads as null: take it as
  // empty, as a learner who commented the entries out means.
  if (data !== null && typeof data === 'object') {
    const top = data as Record<string, unknown>;
    for (const k of EMPTYABLE_SECTIONS) if (Object.hasOwn(top, k) && top[k] === null) delete top[k];
  }

  const parsed = scenarioSchema.safeParse(data, SCENARIO_PARSE_OPTIONS);
  if (parsed.success) return { ok: true, scenario: parsed.data, source: text };
  const errors = parsed.error.issues.flatMap((issue) => issueErrors(doc, issue)).map((e) => {
    const p = pos(e.offset);
    return at(p.line, p.col, e.path, e.message);
  });
  return { ok: false, errors: sortErrors(errors).slice(0, MAX_ERRORS) };
}

function sortErrors(errors: ScenarioError[]): ScenarioError[] {
  // Stable: errors at one spot keep the schema's order.
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
    .map((x) => x.e);
}

// ------------------------------------------------------------------ paths and positions

type Segment = string | number;

/** `engine.reads`, `faults[1].crash`, `workload.clients.us-east`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return undefined;
}

interface Located {
  offset: number;
  path: string;
  message: string;
}

/**
 * The node a zod path designates: walks mappings by key and lists by index, through aliases.
 * `key` asks for the key node of the last step. A path that leaves the document (a missing
 * field) stops at the deepest node that exists.
 */
function locate(doc: Document, path: readonly PropertyKey[], want: 'value' | 'key'): number {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let offset = 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      offset = node.range?.[0] ?? offset;
      const pair = node.items.find((p) => keyString(p.key) === String(seg));
      if (!pair) return offset;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      const v = pair.value;
      // `key:` with nothing after it: point at the key.
      node = v === null || (isScalar(v) && v.value === null && v.range?.[0] === v.range?.[2]) ? pair.key : v;
    } else if (isSeq(node) && typeof seg === 'number') {
      offset = node.range?.[0] ?? offset;
      const item = node.items[seg];
      if (item === undefined) return offset;
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
  }
  if (want === 'key' && keyNode?.range) return keyNode.range[0];
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : offset;
}

function issueErrors(doc: Document, issue: z.core.$ZodIssue): Located[] {
  const path = issue.path as Segment[];
  if (issue.code === 'unrecognized_keys') {
    // One message line per key (fields.ts `strict`); point at each unknown key.
    const lines = issue.message.split('\n');
    return issue.keys.map((k, i) => ({
      offset: locate(doc, [...path, k], 'key'),
      path: formatPath([...path, k]),
      message: lines.length === issue.keys.length ? (lines[i] ?? '') : `unknown field "${k}"`,
    }));
  }
  const atKey =
    issue.code === 'invalid_key' || (issue.code === 'custom' && (issue.params as { at?: string } | undefined)?.at === 'key');
  return [{ offset: locate(doc, path, atKey ? 'key' : 'value'), path: formatPath(path), message: issue.message }];
}

/** Path of the deepest node containing `offset` (for YAML errors such as duplicate keys). */
function pathAtOffset(doc: Document, offset: number): string {
  const path: Segment[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < MAX_DEPTH * 2; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as Node | null;
        const v = p.value as Node | null;
        const start = k?.range?.[0] ?? v?.range?.[0] ?? -1;
        const end = v?.range?.[2] ?? k?.range?.[2] ?? -1;
        return offset >= start && offset < end;
      });
      if (!pair) break;
      path.push(keyString(pair.key) ?? '?');
      const k = pair.key as Node | null;
      if (k?.range && offset < k.range[2]) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => {
        const r = (it as Node | null)?.range;
        return r != null && offset >= r[0] && offset < r[2];
      });
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    } else {
      break;
    }
  }
  return formatPath(path);
}

/** ` "x"` for the duplicated key at `offset`, if it can be read. */
function keyText(doc: Document, offset: number): string {
  let found = '';
  walk(doc, (n) => {
    if (!found && isPair(n) && isScalar(n.key) && n.key.range?.[0] === offset) found = ` "${keyString(n.key) ?? ''}"`;
  });
  return found;
}

// ------------------------------------------------------------------ shape checks on the AST

interface ShapeError {
  offset: number;
  path: string;
  message: string;
}

/** Iterative walk over every node and pair (no recursion: depth is attacker-controlled). */
function walk(doc: Document, visit: (n: unknown, path: Segment[], depth: number) => boolean | void): void {
  const stack: Array<{ n: unknown; path: Segment[]; depth: number }> = [{ n: doc.contents, path: [], depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (!top) break;
    if (visit(top.n, top.path, top.depth) === false) continue;
    const { n, path, depth } = top;
    if (isMap(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) {
        const pair = n.items[i];
        if (!pair) continue;
        stack.push({ n: pair, path, depth });
        stack.push({ n: pair.value, path: [...path, keyString(pair.key) ?? '?'], depth: depth + 1 });
      }
    } else if (isSeq(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ n: n.items[i], path: [...path, i], depth: depth + 1 });
    }
  }
}

/** Refuses forbidden and non-scalar keys and deep nesting before any object is built. */
function checkShape(doc: Document): ShapeError[] {
  const errors: ShapeError[] = [];
  walk(doc, (n, path, depth) => {
    if (errors.length >= MAX_ERRORS) return false;
    if (depth > MAX_DEPTH) {
      const r = (n as Node | null)?.range;
      errors.push({ offset: r?.[0] ?? 0, path: formatPath(path), message: `nested more than ${MAX_DEPTH} levels deep` });
      return false;
    }
    if (!isPair(n)) return;
    const key = n.key as unknown;
    const keyOffset = (key as Node | null)?.range?.[0] ?? 0;
    let name: string | undefined;
    if (isScalar(key)) name = keyString(key);
    else if (isAlias(key)) {
      const target = key.resolve(doc);
      name = isScalar(target) ? keyString(target) : undefined;
    }
    if (name === undefined) {
      errors.push({ offset: keyOffset, path: formatPath(path), message: 'a key must be a plain name, not a list or mapping' });
    } else if (FORBIDDEN_KEYS.includes(name)) {
      errors.push({ offset: keyOffset, path: formatPath([...path, name]), message: `the key "${name}" is not allowed` });
    }
  });
  return errors;
}

function firstAlias(doc: Document): { offset: number; path: string } | undefined {
  let found: { offset: number; path: string } | undefined;
  walk(doc, (n, path) => {
    if (!found && isAlias(n)) found = { offset: n.range?.[0] ?? 0, path: formatPath(path) };
  });
  return found;
}
