/**
 * Fuzzing the scenario loader with mutants of the built-in scenarios (issue 20): YAML text
 * mutations (lines deleted or duplicated, control characters, CR-only endings, junk and huge
 * values, deep nesting, anchors and aliases, block-scalar keys) and parsed-object mutations
 * (keys deleted or added, wrong types). For every mutant: nothing throws out of parseScenario,
 * every error is one line with a position, and `replsim validate` (the command function,
 * in-process) exits 2 exactly when the file is invalid. A fixed seed: a failure reproduces.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatError, parseScenario, type LoadResult } from '../../src/scenario/load.js';
import { validateFiles } from '../../src/cli/commands/validate.js';
import { memoryIo } from '../../src/cli/io.js';

const SEED = 2005;
const scenarioDir = join(import.meta.dirname, '../../scenarios');
const TEXTS = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(join(scenarioDir, f), 'utf8'));
const LINE_BREAKS = /[\n\r\u0085\u2028\u2029]/;

function wellFormed(r: LoadResult): void {
  if (r.ok) return;
  expect(r.errors.length).toBeGreaterThan(0);
  expect(r.errors.length).toBeLessThanOrEqual(50);
  for (const e of r.errors) {
    const line = formatError(e);
    expect(line, JSON.stringify(line)).not.toMatch(LINE_BREAKS);
    expect(e.path).not.toMatch(LINE_BREAKS);
    expect(e.message).not.toMatch(LINE_BREAKS);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    // The loader's last-resort catch answering would be a bug of ours.
    expect(e.message).not.toMatch(/^cannot read the document/);
    expect(e.message).not.toMatch(/call stack/i);
  }
}

const CONTROL = ['\r', '\t', '\u0085', '\u2028', '\u2029', '\u001b[2K', '\u0007', '\u007f', '\ufeff'];
const JUNK = [
  '1e999', '-1e999', '-0', '99999999999999999999999', '-1', '0', '0.5', '', '~', 'null', 'true', '"x"', '[]', '{}',
  '[', '{', ']', '*nope', '&a x', '!!binary aGk=', '!custom x', '? |\n  a\n  b\n', '"\\u0000"', '"a\\rb"', '>-\n  folded', '|\n  block\n',
  '__proto__', 'constructor', '{ __proto__: 1 }', '30', '30s', '-5s', '1m30s', '50/s', 'us-east/99', 'nowhere/*',
];

type Mutation = (text: string) => string;

const lineIndex = fc.nat();
const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  lineIndex.map((i) => (t: string) => {
    const lines = t.split('\n');
    lines.splice(i % lines.length, 1);
    return lines.join('\n');
  }),
  lineIndex.map((i) => (t: string) => {
    const lines = t.split('\n');
    const k = i % lines.length;
    lines.splice(k, 0, lines[k] ?? '');
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...CONTROL)).map(([i, c]) => (t: string) => t.slice(0, i % (t.length + 1)) + c + t.slice(i % (t.length + 1))),
  fc.tuple(lineIndex, fc.constantFrom(...JUNK)).map(([i, j]) => (t: string) => {
    const lines = t.split('\n');
    const k = i % lines.length;
    lines[k] = (lines[k] ?? '').replace(/:\s.*$/, `: ${j}`);
    return lines.join('\n');
  }),
  fc.tuple(fc.integer({ min: 30, max: 6000 }), fc.constantFrom('[', '{ a: ', '- ')).map(([n, open]) => (t: string) => {
    const close = open === '[' ? ']' : open === '{ a: ' ? '}' : '';
    return `${t}\ndescription:\n  ${open.repeat(n)}1${close.repeat(n)}\n`;
  }),
  fc.tuple(lineIndex, lineIndex).map(([i, j]) => (t: string) => {
    // an anchor on one value, an alias to it on another
    const lines = t.split('\n');
    const a = i % lines.length;
    const b = j % lines.length;
    lines[a] = (lines[a] ?? '').replace(/:\s+(\S)/, ': &fz $1');
    lines[b] = (lines[b] ?? '').replace(/:\s.*$/, ': *fz');
    return lines.join('\n');
  }),
  fc.constantFrom<Mutation>(
    (t) => t.replace(/\n/g, '\r'),
    (t) => t.replace(/\n/g, '\r\n'),
    (t) => t.replace(/^ {2}/gm, '\t'),
    (t) => `${t}\n${t}`,
    (t) => `${t}\nx: &b [${Array(50).fill('*b0').join(', ')}]\n`,
    (t) => `b0: &b0 [1, 2, 3]\n${t}\nbomb: &b1 [${Array(20).fill('*b0').join(', ')}]\nbomb2: [${Array(20).fill('*b1').join(', ')}]\n`,
  ),
  fc.nat().map((i) => (t: string) => t.slice(0, i % (t.length + 1))),
);

const JUNK_VALUES = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, '', 'x', '30s', [], {}, [1, 2], { a: 1 }, '\r', 'a\nb', '\u2028'),
  fc.string({ maxLength: 12 }),
  fc.double(),
);

type ObjMutation = (o: unknown) => void;

/** Every [container, key] pair of a parsed document, in a fixed order. */
function slots(o: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const out: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const stack: unknown[] = [o];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) n.forEach((v, i) => (out.push([n, i]), stack.push(v)));
    else if (n !== null && typeof n === 'object') for (const [k, v] of Object.entries(n)) out.push([n as Record<string, unknown>, k]), stack.push(v);
  }
  return out;
}

const objMutation: fc.Arbitrary<ObjMutation> = fc.oneof(
  fc.nat().map((i) => (o: unknown) => {
    const s = slots(o);
    const slot = s[i % s.length];
    if (!slot) return;
    const [c, k] = slot;
    if (Array.isArray(c)) c.splice(k as number, 1);
    else delete c[k as string];
  }),
  fc.tuple(fc.nat(), JUNK_VALUES).map(([i, v]) => (o: unknown) => {
    const s = slots(o);
    const [c, k] = s[i % s.length] ?? [{}, 'x'];
    (c as Record<string | number, unknown>)[k] = v;
  }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 10 }), JUNK_VALUES).map(([i, key, v]) => (o: unknown) => {
    const maps = slots(o).map(([c, k]) => (c as Record<string | number, unknown>)[k]).filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
    const m = (maps[i % Math.max(1, maps.length)] ?? o) as Record<string, unknown>;
    m[key] = v;
  }),
);

describe('fuzzing the loader with mutants of the built-in scenarios', () => {
  it('text mutants: no throw, one-line errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXTS), fc.array(textMutation, { minLength: 1, maxLength: 3 }), (text, ms) => {
        const mutant = ms.reduce((t, m) => m(t), text);
        wellFormed(parseScenario(mutant, 'fuzz.yaml'));
      }),
      { seed: SEED, numRuns: 1200 },
    );
  });

  it('object mutants: no throw, one-line errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXTS), fc.array(objMutation, { minLength: 1, maxLength: 3 }), (text, ms) => {
        const o = parse(text, { version: '1.2' }) as unknown;
        for (const m of ms) m(o);
        wellFormed(parseScenario(stringify(o), 'fuzz.yaml'));
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'replsim-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replsim validate exits 2 exactly for invalid mutants, one error per line', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TEXTS), textMutation, async (text, m) => {
        const file = join(dir, `m${n++}.yaml`);
        const mutant = m(text);
        writeFileSync(file, mutant);
        const r = parseScenario(mutant, file);
        const io = memoryIo();
        const code = await validateFiles([file], io);
        expect(code).toBe(r.ok ? 0 : 2);
        if (r.ok) return;
        const lines = io.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(r.errors.length);
        for (const l of lines) expect(l.startsWith(`${file}:`)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
