/** Hostile or random input never makes the loader throw; errors always carry a position. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatError, parseScenario, type LoadResult } from '../../src/scenario/load.js';

const example = readFileSync(fileURLToPath(new URL('./fixtures/format-example.yaml', import.meta.url)), 'utf8');

function wellFormed(r: LoadResult, text: string): void {
  if (r.ok) return;
  expect(r.errors.length).toBeGreaterThan(0);
  // a lone CR is a line break too (YAML's rule, which the loader follows)
  const lines = Math.max(1, text.split(/\r\n|\r|\n/).length);
  for (const e of r.errors) {
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lines);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(formatError(e)).not.toContain('\n');
    // The loader's last-resort catch must not be what answered: that would be a bug of ours.
    expect(e.message).not.toMatch(/^cannot read the document/);
  }
}

const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('30s', '-5s', '50/s', 'us-east', 'us-east/0', 'us-east/*', 'raft', 'lww', '>= 1', 'constructor', '__proto__'),
);
const junkValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, junk, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 })),
})).value;
const sectionKey = fc.oneof(
  fc.constantFrom('name', 'duration', 'settle', 'seed', 'regions', 'clocks', 'network', 'engine', 'workload', 'faults', 'expect', 'limits', 'version'),
  fc.string(),
);

describe('parseScenario never throws', () => {
  it('on random mappings of junk', () => {
    fc.assert(
      fc.property(fc.dictionary(sectionKey, junkValue, { maxKeys: 8 }), (obj) => {
        const text = stringify(obj);
        const r = parseScenario(text, 'junk.yaml');
        wellFormed(r, text);
      }),
      { numRuns: 200 },
    );
  });

  it('on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        wellFormed(parseScenario(text, 'junk.yaml'), text);
      }),
      { numRuns: 200 },
    );
  });

  it('on the format example with one value replaced by junk', () => {
    const base = parse(example) as Record<string, unknown>;
    // Every path to a value in the example, so each mutation hits a real field.
    const paths: (string | number)[][] = [];
    const collect = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => collect(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, [...p, k]);
    };
    collect(base, []);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: paths.length - 1 }), junkValue, (i, value) => {
        const copy = structuredClone(base);
        const path = paths[i] ?? [];
        let cur = copy as Record<string | number, unknown>;
        for (const step of path.slice(0, -1)) cur = cur[step] as Record<string | number, unknown>;
        cur[path[path.length - 1] ?? ''] = value;
        const text = stringify(copy);
        wellFormed(parseScenario(text, 'mutated.yaml'), text);
      }),
      { numRuns: 300 },
    );
  });
});
