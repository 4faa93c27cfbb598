/**
 * Scenario files → validated `Scenario`, or errors that each name file, line, column and
 * field path. YAML is parsed with positions so every schema issue points at the node it is
 * about (the value for a bad value, the key for an unknown key). Hostile input is refused
 * before it becomes objects: oversized and binary files, duplicate keys, alias bombs,
 * `__proto__`-like keys, deep nesting. Never throws: errors are data.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import { SCENARIO_PARSE_OPTIONS, referenceIssues, scenarioSchema } from './schema.js';
import { MAX_ERRORS, oneLine, pathKey, quoteText } from './text.js';
import { MAX_DEPTH, TOO_DEEP, scanTree, toPlain, type Segment, type TreeIndex } from './tree.js';
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
export { ALIAS_EXPANSION_FACTOR, ALIAS_EXPANSION_SLACK, FORBIDDEN_KEYS, MAX_DEPTH } from './tree.js';
export { MAX_ERRORS } from './text.js';
/** Top-level sections that may be written empty (`faults:` with every entry commented out). */
export const EMPTYABLE_SECTIONS: readonly string[] = ['faults', 'expect', 'clocks', 'limits'];

/** `file:line:col path: message`, always one line (control characters escaped). */
export function formatError(e: ScenarioError): string {
  const where = `${oneLine(e.file)}:${e.line}:${e.column}`;
  const msg = oneLine(e.message);
  return e.path ? `${where} ${oneLine(e.path)}: ${msg}` : `${where} ${msg}`;
}

/** Reads and validates a scenario file. `opts.seed` overrides the seed once the file is valid. */
export function loadScenario(path: string, opts: LoadOptions = {}): LoadResult {
  const fail = (message: string): LoadResult => ({ ok: false, errors: [{ file: path, line: 1, column: 1, path: '', message: oneLine(message) }] });
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
export function readBounded(path: string, limit: number): Buffer | undefined {
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
    return { ok: false, errors: [{ file, line: 1, column: 1, path: 'seed', message: `--seed: expected a non-negative integer, got ${String(opts.seed)}` }] };
  }
  return { ...r, scenario: { ...r.scenario, seed: opts.seed } };
}

/** Validates scenario text; `fileName` is only used in the errors. */
export function parseScenario(text: string, fileName: string): LoadResult {
  try {
    return parseUnsafe(text, fileName);
  } catch (e) {
    // Deep recursion in a library or a bug of ours: still an answer, not a throw.
    const msg = e instanceof RangeError ? TOO_DEEP : `cannot read the document: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, errors: [{ file: fileName, line: 1, column: 1, path: '', message: oneLine(msg) }] };
  }
}

/** The `yaml` parser's message when it runs out of stack on deep nesting (its composer recurses). */
const STACK_OVERFLOW_RE = /call stack|too much recursion/i;

function parseUnsafe(text: string, file: string): LoadResult {
  // Every error is built here, so every error is one line whatever the file holds.
  const at = (line: number, column: number, path: string, message: string): ScenarioError => ({
    file,
    line,
    column,
    path: oneLine(path),
    message: oneLine(message),
  });
  const one = (message: string): LoadResult => ({ ok: false, errors: [at(1, 1, '', message)] });

  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) return one(`file is too large (the limit is ${MAX_FILE_BYTES} bytes)`);
  if (text.includes('\u0000')) return one('binary file (contains NUL bytes); expected YAML text');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    return one('binary file (not valid UTF-8); expected YAML text');
  }
  if (text.trim() === '') return one('empty file; a scenario needs at least name, duration, regions and engine');

  // YAML counts a lone CR as a line break, the parser does not: files saved with CR-only line
  // endings would read as one long line. Same length, so every offset still points right.
  if (text.includes('\r')) text = text.replace(/\r(?!\n)/g, '\n');

  const lc = new LineCounter();
  // uniqueKeys off: the package's check is quadratic; scanTree finds duplicates in linear time.
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false, version: '1.2', merge: false });
  const pos = (offset: number) => {
    const p = lc.linePos(Math.max(0, offset));
    return { line: p.line, col: p.col };
  };

  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    // A parser stack overflow is deep nesting: one error with the loader's wording, not one per level.
    const deep = yamlProblems.find((e) => STACK_OVERFLOW_RE.test(e.message));
    const problems = deep ? [deep] : yamlProblems.slice(0, MAX_ERRORS);
    const errors = problems.map((e) => {
      const p = pos(e.pos[0]);
      const message = STACK_OVERFLOW_RE.test(e.message) ? TOO_DEEP : e.message;
      return at(p.line, p.col, shortPath(pathAtOffset(doc, e.pos[0])), message);
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

  const { index, errors: treeErrors } = scanTree(doc, MAX_ERRORS);
  if (treeErrors.length > 0) {
    const errors = treeErrors.map((t) => {
      const p = pos(t.offset);
      return at(p.line, p.col, shortPath(formatPath(t.path)), t.message);
    });
    return { ok: false, errors: sortErrors(errors) };
  }

  const plain = toPlain(doc, index);
  if (!plain.ok) {
    const p = pos(plain.error.offset);
    return { ok: false, errors: [at(p.line, p.col, shortPath(formatPath(plain.error.path)), plain.error.message)] };
  }
  const data = plain.value;

  // A list section with every entry commented out (`faults:` alone) reads as null: take it as
  // empty, as a learner who commented the entries out means.
  if (data !== null && typeof data === 'object') {
    const top = data as Record<string, unknown>;
    for (const k of EMPTYABLE_SECTIONS) if (Object.hasOwn(top, k) && top[k] === null) delete top[k];
  }

  const parsed = scenarioSchema.safeParse(data, SCENARIO_PARSE_OPTIONS);
  if (parsed.success) return { ok: true, scenario: withModulePath(parsed.data, file), source: text };
  // Reference errors (an unknown region in a fault) among the sections that did validate, in
  // the same pass as the schema errors: a user fixes both at once.
  const issues = [...parsed.error.issues, ...referenceIssues(data, parsed.error.issues)];
  const errors = issues.flatMap((issue) => issueErrors(doc, index, issue)).map((e) => {
    const p = pos(e.offset);
    return at(p.line, p.col, e.path, e.message);
  });
  return { ok: false, errors: sortErrors(errors).slice(0, MAX_ERRORS) };
}

/** A module engine's `path` is relative to the scenario file (absolute once loaded). */
function withModulePath(s: Scenario, file: string): Scenario {
  if (s.engine.type !== 'module' || isAbsolute(s.engine.path)) return s;
  return { ...s, engine: { ...s.engine, path: resolve(dirname(file), s.engine.path) } };
}

/**
 * Positions for problems found after the schema check (a module engine's own settings):
 * each `path` (from the top of the scenario) → `file:line:col` the way schema errors are.
 * `atKey` points at the key (an unknown field) rather than its value.
 */
export function locateErrors(
  text: string,
  file: string,
  problems: ReadonlyArray<{ path: readonly PropertyKey[]; message: string; atKey?: boolean }>,
): ScenarioError[] {
  const lc = new LineCounter();
  const doc = parseDocument(text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text, {
    lineCounter: lc,
    uniqueKeys: false,
    prettyErrors: false,
    version: '1.2',
    merge: false,
  });
  const { index } = scanTree(doc, MAX_ERRORS);
  const errors = problems.slice(0, MAX_ERRORS).map((p) => {
    const path = p.path.map((seg) => (typeof seg === 'number' ? seg : String(seg))) as Segment[];
    const at = lc.linePos(Math.max(0, locate(doc, index, path, p.atKey ? 'key' : 'value')));
    return { file, line: at.line, column: at.col, path: oneLine(shortPath(formatPath(path))), message: oneLine(p.message) };
  });
  return sortErrors(errors);
}

function sortErrors(errors: ScenarioError[]): ScenarioError[] {
  // Stable: errors at one spot keep the schema's order.
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
    .map((x) => x.e);
}

// ------------------------------------------------------------------ paths and positions

/**
 * `engine.reads`, `faults[1].crash`, `workload.clients.us-east`. Keys that are not plain
 * names are quoted with control characters escaped (`regions."a\nb"`), so a path is one line.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const k = pathKey(String(seg));
      out += out ? `.${k}` : k;
    }
  }
  return out;
}

/** Longest field path printed; deeper paths keep their start and end. */
const MAX_PATH_CHARS = 400;

function shortPath(p: string): string {
  return p.length > MAX_PATH_CHARS ? `${p.slice(0, MAX_PATH_CHARS / 2)}...${p.slice(-MAX_PATH_CHARS / 2)}` : p;
}

interface Located {
  offset: number;
  path: string;
  message: string;
}

/**
 * The node a zod path designates: walks mappings by key and lists by index, through aliases.
 * `key` asks for the key node of the last step. A path that leaves the document (a missing
 * field) stops at the deepest node that exists. Each step is a table lookup (TreeIndex), so
 * locating every issue stays linear in the number of issues.
 */
function locate(doc: Document, index: TreeIndex, path: readonly PropertyKey[], want: 'value' | 'key'): number {
  let node: unknown = doc.contents;
  let keyNode: { range?: [number, number, number] | null } | undefined;
  let offset = 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    node = index.resolve(node);
    if (isMap(node)) {
      offset = node.range?.[0] ?? offset;
      const pair = index.pair(node, String(seg));
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

function issueErrors(doc: Document, index: TreeIndex, issue: z.core.$ZodIssue): Located[] {
  const path = issue.path as Segment[];
  if (issue.code === 'unrecognized_keys') {
    // One message line per key (fields.ts `strict`); point at each unknown key. Only the
    // first MAX_ERRORS keys: the rest would be cut anyway, and keys come in file order.
    const lines = issue.message.split('\n');
    return issue.keys.slice(0, MAX_ERRORS).map((k, i) => ({
      offset: locate(doc, index, [...path, k], 'key'),
      path: formatPath([...path, k]),
      message: lines[i] ?? `unknown field ${quoteText(k)}`,
    }));
  }
  const atKey =
    issue.code === 'invalid_key' || (issue.code === 'custom' && (issue.params as { at?: string } | undefined)?.at === 'key');
  return [{ offset: locate(doc, index, path, atKey ? 'key' : 'value'), path: shortPath(formatPath(path)), message: issue.message }];
}

/** Path of the deepest node containing `offset` (for YAML syntax errors, at most MAX_ERRORS of them). */
function pathAtOffset(doc: Document, offset: number): string {
  const path: Segment[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < MAX_DEPTH * 2; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as { range?: [number, number, number] | null } | null;
        const v = p.value as { range?: [number, number, number] | null } | null;
        const start = k?.range?.[0] ?? v?.range?.[0] ?? -1;
        const end = v?.range?.[2] ?? k?.range?.[2] ?? -1;
        return offset >= start && offset < end;
      });
      if (!pair) break;
      path.push(isScalar(pair.key) ? String(pair.key.value ?? '') : '?');
      const k = pair.key as { range?: [number, number, number] | null } | null;
      if (k?.range && offset < k.range[2]) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => {
        const r = (it as { range?: [number, number, number] | null } | null)?.range;
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
