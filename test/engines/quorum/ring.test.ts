// Placement on the token ring: per-region replication factors, distinct nodes, the walk
// clockwise from the key's token, stable across runs, and the same placement the runner
// writes as `replicas` records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRing, token } from '../../../src/engines/quorum/ring.js';
import { nodeId } from '../../../src/sim/ids.js';
import { topologyOf } from '../harness.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { replicaPlacement } from '../../../src/run/replicas.js';

const NODES = ['us/0', 'us/1', 'us/2', 'us/3', 'eu/0', 'eu/1', 'eu/2', 'ap/0', 'ap/1'].map(nodeId);
const topology = topologyOf(NODES);

describe('token ring', () => {
  it('places RF replicas per region, all distinct, for any key', () => {
    const ring = buildRing(topology, { us: 3, eu: 2, ap: 1 }, 8);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (key) => {
        const p = ring.replicasOf(key);
        expect(new Set(p.nodes).size).toBe(6);
        const per = { us: 0, eu: 0, ap: 0 } as Record<string, number>;
        for (const n of p.nodes) per[topology.regionOf(n)]!++;
        expect(per).toEqual({ us: 3, eu: 2, ap: 1 });
        p.nodes.forEach((n, i) => expect(topology.regions[p.regionIdx[i]!]).toBe(topology.regionOf(n)));
      }),
    );
  });

  it('walks clockwise from the key token: the first replica owns the first token at or after it', () => {
    const ring = buildRing(topology, { us: 1, eu: 0, ap: 0 }, 4);
    for (const key of ['k0', 'k1', 'k2', 'user:42', 'zz']) {
      const t = token(key);
      // the independent walk: scan the sorted tokens for the first us owner at or after t
      const order = ring.tokens.map((tok, i) => ({ tok, owner: ring.owners[i]! }));
      const after = [...order.filter((e) => e.tok >= t), ...order.filter((e) => e.tok < t)];
      const first = after.find((e) => e.owner.startsWith('us/'))!.owner;
      expect(ring.replicasOf(key).nodes).toEqual([first]);
    }
  });

  it('is the same ring in every run (tokens from node ids, not from a stream) and spreads keys over nodes', () => {
    const a = buildRing(topology, { us: 1, eu: 1, ap: 1 }, 16);
    const b = buildRing(topologyOf([...NODES]), { us: 1, eu: 1, ap: 1 }, 16);
    expect(a.tokens).toEqual(b.tokens);
    const firsts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const n = a.replicasOf(`k${i}`).nodes.find((x) => x.startsWith('us/'))!;
      firsts.set(n, (firsts.get(n) ?? 0) + 1);
    }
    // 4 us nodes with 16 vnodes each: every node leads a fair share (within a factor of 2 of 1000)
    expect([...firsts.keys()].sort()).toEqual(['us/0', 'us/1', 'us/2', 'us/3']);
    for (const c of firsts.values()) {
      expect(c).toBeGreaterThan(500);
      expect(c).toBeLessThan(2000);
    }
  });

  it('the runner\'s `replicas` records are the engine\'s placement', () => {
    const yaml = 'name: q\nduration: 1s\nregions: { us: { nodes: 4 }, eu: { nodes: 3 }, ap: { nodes: 2 } }\nengine: { type: quorum, vnodes: 8, replication: { us: 3, eu: 2, ap: 1 } }\n';
    const p = parseScenario(yaml, 'q.yaml');
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const placement = replicaPlacement(p.scenario, topology);
    const ring = buildRing(topology, { us: 3, eu: 2, ap: 1 }, 8);
    for (const key of ['a', 'b', 'k17']) expect(placement.of?.(key)).toEqual([...ring.replicasOf(key).nodes].sort());
  });
});
