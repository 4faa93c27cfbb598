/**
 * Engine settings for `replsim compare --engine async:lww,sync:pause,raft:lease`: each names
 * an engine type and the one setting that makes the lesson (conflict rule, failure policy,
 * read mode). Parsing turns the text into overrides of the scenario's `engine` section.
 */
import { didYouMean } from '../scenario/suggest.js';

export type EngineType = 'async' | 'sync' | 'raft' | 'quorum';

/** One column of a comparison: the text as given and the `engine` fields it sets or removes. */
export interface EngineSetting {
  /** as written, e.g. `async:hlc` or `sync:witness:us-central` */
  label: string;
  type: EngineType;
  /** `engine` fields (as in YAML) to set */
  set: Record<string, unknown>;
  /** `engine` fields to remove because they only apply to other settings */
  unset: string[];
}

interface Variant {
  set: Record<string, unknown>;
  unset: string[];
}

/** The settings `compare` knows, by `TYPE:NAME`. Aliases map to the same variant. */
const VARIANTS: Record<EngineType, Record<string, Variant>> = {
  async: {
    lww: { set: { conflict: 'lww', timestamps: 'physical' }, unset: ['register'] },
    hlc: { set: { conflict: 'lww', timestamps: 'hybrid' }, unset: ['register'] },
    vv: { set: { conflict: 'version-vector' }, unset: ['register'] },
    crdt: { set: { conflict: 'crdt' }, unset: [] },
  },
  sync: {
    pause: { set: { on_failure: 'pause' }, unset: ['witness'] },
    witness: { set: { on_failure: 'witness' }, unset: [] },
    'split-brain': { set: { on_failure: 'split-brain' }, unset: ['witness'] },
  },
  raft: {
    lease: { set: { reads: 'lease' }, unset: [] },
    'read-index': { set: { reads: 'read-index' }, unset: [] },
    follower: { set: { reads: 'follower' }, unset: [] },
  },
  // The same level for reads and writes: the classic R = W settings side by side.
  quorum: {
    one: { set: { consistency: { read: 'ONE', write: 'ONE' } }, unset: [] },
    'local-quorum': { set: { consistency: { read: 'LOCAL_QUORUM', write: 'LOCAL_QUORUM' } }, unset: [] },
    quorum: { set: { consistency: { read: 'QUORUM', write: 'QUORUM' } }, unset: [] },
    'each-quorum': { set: { consistency: { read: 'EACH_QUORUM', write: 'EACH_QUORUM' } }, unset: [] },
    all: { set: { consistency: { read: 'ALL', write: 'ALL' } }, unset: [] },
  },
};

const ALIASES: Record<string, string> = {
  'async:physical': 'async:lww',
  'async:hybrid': 'async:hlc',
  'async:version-vector': 'async:vv',
};

/** Every `TYPE:NAME` setting, for help texts and suggestions. */
export const KNOWN_SETTINGS: readonly string[] = (Object.keys(VARIANTS) as EngineType[]).flatMap((t) =>
  Object.keys(VARIANTS[t]).map((v) => `${t}:${v}`),
);

export type ParseSettings = { ok: true; settings: EngineSetting[] } | { ok: false; error: string };

/**
 * Parses `--engine` values: each may hold several comma-separated settings. A bare type
 * (`raft`) keeps the scenario's settings of that type, or that type's defaults.
 * `sync:witness:REGION` names the witness region.
 */
export function parseEngineSettings(values: readonly string[]): ParseSettings {
  const texts = values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  if (texts.length === 0) return { ok: false, error: `--engine: name at least one engine setting, e.g. ${KNOWN_SETTINGS.slice(0, 3).join(',')}` };
  const settings: EngineSetting[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    if (seen.has(text)) return { ok: false, error: `--engine: "${text}" is listed twice` };
    seen.add(text);
    const one = parseOne(text);
    if (typeof one === 'string') return { ok: false, error: `--engine: ${one}` };
    settings.push(one);
  }
  return { ok: true, settings };
}

function parseOne(label: string): EngineSetting | string {
  const parts = label.split(':');
  const type = parts[0] as string;
  if (!isType(type)) {
    return `unknown engine type "${type}" in "${label}"${didYouMean(type, Object.keys(VARIANTS))}; expected async, sync, raft or quorum`;
  }
  if (parts.length === 1) return { label, type, set: {}, unset: [] };
  const name = `${type}:${parts[1] ?? ''}`;
  const canonical = ALIASES[name] ?? name;
  const variant = VARIANTS[type][canonical.slice(type.length + 1)];
  if (!variant) {
    return `unknown engine setting "${label}"${didYouMean(name, [...KNOWN_SETTINGS, ...Object.keys(ALIASES)])}; known settings: ${KNOWN_SETTINGS.join(', ')}`;
  }
  const set = { ...variant.set };
  if (parts.length === 3 && canonical === 'sync:witness' && parts[2]) set.witness = parts[2];
  else if (parts.length > 2) return `"${label}": only sync:witness takes a third part (the witness region)`;
  return { label, type, set, unset: [...variant.unset] };
}

function isType(t: string): t is EngineType {
  return t === 'async' || t === 'sync' || t === 'raft' || t === 'quorum';
}
