// The generated scenario reference and JSON Schema are current, and the JSON Schema does what
// editors use it for: a standard validator (ajv, JSON Schema 2020-12) accepts every built-in
// scenario and rejects a typo.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { REFERENCE_PATH, SCHEMA_PATH, referenceText, schemaText } from '../../scripts/gen-docs.mjs';

const root = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('generated scenario reference', () => {
  const schema = schemaText(z, scenarioSchema);

  it(`${SCHEMA_PATH} is current (else run: npm run docs)`, () => {
    expect(read(SCHEMA_PATH) === schema, `${SCHEMA_PATH} is stale: run npm run docs`).toBe(true);
  });

  it(`${REFERENCE_PATH} is current (else run: npm run docs)`, () => {
    expect(read(REFERENCE_PATH) === referenceText(schema), `${REFERENCE_PATH} is stale: run npm run docs`).toBe(true);
  });

  it('the reference lists every field of the schema', () => {
    const ref = referenceText(schema);
    for (const path of ['duration', 'engine.conflict', 'engine.on_failure', 'engine.reads', 'workload.clients.REGION.rate', 'faults[].partition', 'expect']) {
      expect(ref).toContain(`| \`${path}\` |`);
    }
  });

  it('a stale file would be noticed: the text depends on the schema', () => {
    const changed = schemaText(z, scenarioSchema.describe('something else'));
    expect(changed).not.toBe(schema);
    expect(referenceText(changed)).not.toBe(referenceText(schema));
  });
});

describe('schema/scenario.schema.json with a standard validator', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(read(SCHEMA_PATH)));
  const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

  it.each(scenarios)('accepts scenarios/%s', (f) => {
    const ok = validate(parse(read(join('scenarios', f))));
    expect(validate.errors ?? [], f).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a YAML file with a typo, naming the field', () => {
    const typo = read('scenarios/quickstart.yaml').replace('  inter_region: { latency: 50ms', '  inter_region: { latncy: 50ms');
    expect(typo).toContain('latncy');
    expect(validate(parse(typo))).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/network/inter_region', keyword: 'additionalProperties', params: { additionalProperty: 'latncy' } }),
    );
  });

  it('rejects a bad enum value and a duration without a unit', () => {
    const bad = read('scenarios/quickstart.yaml').replace('conflict: lww', 'conflict: lwww').replace('duration: 60s', 'duration: 60');
    expect(validate(parse(bad))).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain('/duration');
    expect(paths.some((p) => p.startsWith('/engine'))).toBe(true);
  });
});
