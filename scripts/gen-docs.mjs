#!/usr/bin/env node
// Generates schema/scenario.schema.json (zod's JSON Schema export of the scenario format,
// for YAML editors) and docs/reference/scenario.md (the field reference) from the zod schema
// in src/scenario/schema.ts. `npm run docs` builds dist/ first and runs this file; the test
// test/docs/reference.test.ts regenerates both in memory and fails when a file is stale.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SCHEMA_PATH = 'schema/scenario.schema.json';
export const REFERENCE_PATH = 'docs/reference/scenario.md';

/** The JSON Schema text: zod's export of what a scenario file may contain (input side). */
export function schemaText(z, scenarioSchema) {
  const json = z.toJSONSchema(scenarioSchema, { io: 'input' });
  const { $schema, ...rest } = json;
  return `${JSON.stringify({ $schema, title: 'replsim scenario', ...rest }, null, 2)}\n`;
}

const DURATION_PATTERNS = ['^(\\d+(\\.\\d+)?(us|ms|s|m|h))+$', '^-?(\\d+(\\.\\d+)?(us|ms|s|m|h))+$'];

/** A short type description of a JSON Schema node. */
function typeOf(s) {
  if (s === undefined || s === null) return '';
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(' | ');
  const alts = s.anyOf ?? s.oneOf;
  if (Array.isArray(alts)) return alts.map(typeOf).filter(Boolean).join(' or ');
  if (s.type === 'string' && s.pattern === DURATION_PATTERNS[0]) return 'duration';
  if (s.type === 'string' && s.pattern === DURATION_PATTERNS[1]) return 'duration (may be negative)';
  if (s.type === 'string' && typeof s.pattern === 'string' && s.pattern.includes('\\/(s|m|h)')) return 'rate';
  if (s.type === 'array') {
    if (Array.isArray(s.prefixItems)) return `pair [${s.prefixItems.map(typeOf).join(', ')}]`;
    return `list of ${typeOf(s.items) || 'values'}`;
  }
  if (s.type === 'object' && s.properties) {
    const tag = s.properties.type?.const;
    const keys = Object.keys(s.properties);
    if (tag !== undefined) return `{ type: ${JSON.stringify(tag)}, … }`;
    return keys.length <= 4 ? `{ ${keys.join(', ')} }` : `{ ${keys.slice(0, 3).join(', ')}, … }`;
  }
  if (s.type === 'object') return `map of ${typeOf(s.additionalProperties) || 'values'}`;
  const range = [];
  if (s.minimum !== undefined && s.minimum > -9007199254740991) range.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) range.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < 9007199254740991) range.push(`≤ ${s.maximum}`);
  const base = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  return range.length ? `${base} ${range.join(', ')}` : base;
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** Rows `[path, type, default, required, description]` for a node and everything under it. */
function rows(s, path, required, out) {
  out.push([path, typeOf(s), s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``, required ? 'yes' : '', s.description ?? '']);
  children(s, path, out);
}

function children(s, path, out) {
  if (s.type === 'object' && s.properties) {
    const req = new Set(s.required ?? []);
    for (const [k, v] of Object.entries(s.properties)) rows(v, `${path}.${k}`, req.has(k), out);
  } else if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    const key = s.propertyNames?.description ? keyName(s.propertyNames.description) : 'NAME';
    const v = s.additionalProperties;
    if (v.properties || v.additionalProperties || v.anyOf || v.oneOf) children(v, `${path}.${key}`, out);
  } else if (s.type === 'array' && s.items && typeof s.items === 'object') {
    if (s.items.properties || s.items.anyOf || s.items.oneOf) children(s.items, `${path}[]`, out);
  }
  const alts = s.oneOf ?? s.anyOf;
  if (Array.isArray(alts)) {
    for (const alt of alts) {
      if (alt.type !== 'object' || !alt.properties) continue;
      const tag = alt.properties.type?.const;
      const req = new Set(alt.required ?? []);
      for (const [k, v] of Object.entries(alt.properties)) {
        if (k === 'type' && tag !== undefined) {
          out.push([`${path}.type`, `\`${JSON.stringify(tag)}\``, '', 'yes', v.description ?? '']);
          continue;
        }
        const where = tag === undefined ? `${path}.${k}` : `${path}.${k}`;
        rows(v, where, req.has(k), out);
        if (tag !== undefined) out[out.length - 1][4] = `(${tag}) ${out[out.length - 1][4]}`.trim();
      }
    }
  }
}

/** Capitalised, with a full stop. */
function sentence(text) {
  const t = cell(text).trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

function keyName(description) {
  if (/region/i.test(description) && !/node/i.test(description)) return 'REGION';
  if (/node/i.test(description)) return 'NODE';
  return 'NAME';
}

/** The Markdown reference for the JSON Schema produced by schemaText. */
export function referenceText(schemaJson) {
  const schema = JSON.parse(schemaJson);
  const req = new Set(schema.required ?? []);
  const lines = [
    '# Scenario file reference',
    '',
    '<!-- Generated by `npm run docs` (scripts/gen-docs.mjs) from the zod schema in',
    '     src/scenario/schema.ts. Do not edit: a test fails when this file is stale. -->',
    '',
    `${sentence(schema.description ?? 'a replsim scenario')} A scenario is one YAML file; unknown fields are`,
    'errors. Durations carry a unit (`250us`, `15ms`, `2s`, `5m`, `2h`, `1m30s`); rates are',
    '`N/s`, `N/m` or `N/h`. The same rules as a JSON Schema, for editors that validate YAML',
    '(for example the YAML language server), are in',
    '[`schema/scenario.schema.json`](../../schema/scenario.schema.json): put',
    '`# yaml-language-server: $schema=../schema/scenario.schema.json` at the top of a file.',
    '',
    'A path `a.b` is field `b` inside section `a`; `REGION` / `NODE` / `NAME` stand for a key you',
    'choose; `[]` is each item of a list. Types: a *duration* is a number with a unit (`250us`,',
    '`15ms`, `2s`, `5m`, `2h`, `1m30s`); a *rate* is `50/s`, `3000/m` or `10/h`; `{ a, b }` is a',
    'mapping with those fields, described in the rows below it.',
    '',
  ];
  const head = ['| field | type | default | required | description |', '|---|---|---|---|---|'];
  const line = (r) => `| \`${r[0]}\` | ${cell(r[1])} | ${cell(r[2])} | ${r[3]} | ${cell(r[4])} |`;
  const entries = Object.entries(schema.properties);
  const isSection = (s) => s.type === 'object' || s.type === 'array' || Array.isArray(s.oneOf) || Array.isArray(s.anyOf);
  const top = [];
  for (const [key, s] of entries.filter(([, s]) => !isSection(s))) rows(s, key, req.has(key), top);
  lines.push('## Top-level fields', '', ...head, ...top.map(line), '');
  for (const [key, s] of entries.filter(([, s]) => isSection(s))) {
    const out = [];
    rows(s, key, req.has(key), out);
    lines.push(`## \`${key}\``, '');
    if (s.description) lines.push(sentence(s.description), '');
    lines.push(...head, ...out.map(line), '');
  }
  return lines.join('\n');
}

function writeAtomically(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function mainScript() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { z } = await import('zod');
  const { scenarioSchema } = await import(pathToFileURL(join(root, 'dist', 'scenario', 'schema.js')).href);
  const schema = schemaText(z, scenarioSchema);
  writeAtomically(join(root, SCHEMA_PATH), schema);
  writeAtomically(join(root, REFERENCE_PATH), referenceText(schema));
  process.stdout.write(`wrote ${SCHEMA_PATH} and ${REFERENCE_PATH}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await mainScript();
