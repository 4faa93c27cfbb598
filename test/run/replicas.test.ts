// The runner's `replicas` and `live` records: placement from the scenario's regions and engine
// settings, live nodes from the fault timeline (CHECKING.md).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run/run.js';
import { replicaPlacement } from '../../src/run/replicas.js';
import { layoutOf, topologyOf } from '../../src/run/topology.js';
import type { HistoryRecord, ReplicasRecord } from '../../src/history/types.js';
import { fnv1a } from '../../src/engines/raft/hash.js';

function scenario(engine: string, extra = '') {
  const yaml = `
name: replicas
duration: 4s
settle: 2s
regions:
  a: { nodes: 2 }
  b: { nodes: 2 }
  c: { nodes: 1 }
engine: ${engine}
workload:
  model: register
  keys: 8
  clients:
    a: { count: 1, rate: 5/s }
${extra}`;
  const p = parseScenario(yaml, 'replicas.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.scenario;
}

function history(engine: string, extra = ''): HistoryRecord[] {
  const out = runScenario(scenario(engine, extra), { keepHistory: true, check: false });
  if (!out.ok) throw new Error(out.error);
  return out.history as HistoryRecord[];
}

const ALL = ['a/0', 'a/1', 'b/0', 'b/1', 'c/0'];

describe('replicas records', () => {
  it('async: one `*` record of every node, first in the history', () => {
    const h = history('{ type: async }');
    expect(h[0]).toEqual({ t: 0, type: 'replicas', key: '*', nodes: ALL });
    expect(h.filter((r) => r.type === 'replicas')).toHaveLength(1);
  });

  it('sync with a witness region: the copies only', () => {
    const h = history('{ type: sync, on_failure: witness, witness: c }');
    expect(h[0]).toEqual({ t: 0, type: 'replicas', key: '*', nodes: ['a/0', 'a/1', 'b/0', 'b/1'] });
  });

  it("raft with several ranges: each key's range replicas, written before the key's first op", () => {
    const h = history('{ type: raft, ranges: 4, replication_factor: 3 }');
    expect(h[0]).toEqual({ t: 0, type: 'replicas', key: '*', nodes: ALL });
    const perKey = h.filter((r): r is ReplicasRecord => r.type === 'replicas' && r.key !== '*');
    expect(perKey.length).toBeGreaterThan(0);
    for (const rec of perKey) {
      expect(rec.nodes).toHaveLength(3);
      const first = h.findIndex((r) => r.type === 'invoke' && r.key === rec.key);
      expect(h.indexOf(rec)).toBeLessThan(first);
    }
    // keys of one range share a replica set; every key invoked has its record
    const keys = new Set(h.flatMap((r) => (r.type === 'invoke' ? [r.key] : [])));
    expect(new Set(perKey.map((r) => r.key))).toEqual(keys);
    const byRange = new Map<number, string>();
    for (const rec of perKey) {
      const range = fnv1a(rec.key) % 4;
      const set = rec.nodes.join(',');
      expect(byRange.get(range) ?? set).toBe(set);
      byRange.set(range, set);
    }
  });

  it('raft with one range: `*` is its replicas, no per-key records', () => {
    const s = scenario('{ type: raft, ranges: 1, replication_factor: 3 }');
    const p = replicaPlacement(s, topologyOf(layoutOf(s), () => 1000));
    expect(p.all).toHaveLength(3);
    expect(p.of).toBeUndefined();
    const five = scenario('{ type: raft, ranges: 1, replication_factor: 5 }');
    expect(replicaPlacement(five, topologyOf(layoutOf(five), () => 1000)).all).toEqual(ALL);
  });

  it('raft with several ranges of every node: `*` holds for every key', () => {
    const s = scenario('{ type: raft, ranges: 4, replication_factor: 5 }');
    const p = replicaPlacement(s, topologyOf(layoutOf(s), () => 1000));
    expect(p.all).toEqual(ALL);
    expect(p.of?.('k1')).toBeUndefined();
  });
});

describe('the live record', () => {
  it('just before the finals: nodes up after settle (a node still crashed is left out)', () => {
    const h = history('{ type: async }', 'faults:\n  - { at: 1s, crash: b/1, lose_volatile: true }\n');
    const i = h.findIndex((r) => r.type === 'live');
    expect(h[i]).toMatchObject({ type: 'live', nodes: ['a/0', 'a/1', 'b/0', 'c/0'] });
    expect(h.slice(i + 1).every((r) => r.type === 'final')).toBe(true);
    expect(h.slice(0, i).some((r) => r.type === 'final')).toBe(false);
  });

  it('a node crashed and restarted is live again', () => {
    const h = history('{ type: async }', 'faults:\n  - { at: 1s, crash: b/1, lose_volatile: true, for: 1s }\n');
    expect(h.find((r) => r.type === 'live')).toMatchObject({ nodes: ALL });
  });

  it('sync: a copy the operator removed (and never rejoined) is not live; rejoined, it is', () => {
    const removed = history('{ type: sync }', 'faults:\n  - { at: 1s, remove: b/1 }\n');
    expect(removed.find((r) => r.type === 'live')).toMatchObject({ nodes: ['a/0', 'a/1', 'b/0', 'c/0'] });
    const back = history('{ type: sync }', 'faults:\n  - { at: 1s, remove: b/1, for: 1s }\n');
    expect(back.find((r) => r.type === 'live')).toMatchObject({ nodes: ALL });
  });

  it('async: an operator remove means nothing to the engine, so the node stays live', () => {
    const h = history('{ type: async }', 'faults:\n  - { at: 1s, remove: b/1 }\n');
    expect(h.find((r) => r.type === 'live')).toMatchObject({ nodes: ALL });
  });
});
