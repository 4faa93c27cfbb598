import { describe, expect, it } from 'vitest';
import { fnv1a } from '../../../src/engines/raft/hash.js';
import { placeRange, rangeOf } from '../../../src/engines/raft/placement.js';
import { nodeId, regionOf } from '../../../src/sim/ids.js';
import { topologyOf } from '../harness.js';

const nine = ['us-east/0', 'us-east/1', 'us-east/2', 'eu-west/0', 'eu-west/1', 'eu-west/2', 'ap/0', 'ap/1', 'ap/2'];
const topo = topologyOf(nine.map(nodeId));

describe('raft placement', () => {
  it('hashes keys with FNV-1a 32 (reference vectors) and maps them to ranges by modulo', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(rangeOf('foobar', 7)).toBe(0xbf9cf968 % 7);
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 800; i++) counts[rangeOf(`k${i}`, 8)]++;
    for (const c of counts) expect(c).toBeGreaterThan(50); // roughly even
  });

  it('spread: one replica per region, the first region and the node index rotate per range', () => {
    const seen = new Set<string>();
    for (let r = 0; r < 6; r++) {
      const p = placeRange(r, 3, { kind: 'spread' }, topo);
      expect(p.replicas.map((n) => regionOf(n)).sort()).toEqual(['ap', 'eu-west', 'us-east']);
      expect(p.preferred).toEqual([]);
      seen.add(p.replicas[0] as string);
    }
    expect(seen.size).toBeGreaterThan(3); // leaders-to-be are spread over nodes
    const five = placeRange(1, 5, { kind: 'spread' }, topo);
    expect(new Set(five.replicas).size).toBe(5);
    expect(new Set(five.replicas.map((n) => regionOf(n))).size).toBe(3);
  });

  it('home: a majority in the home region, leaders preferred there', () => {
    for (const rf of [3, 5]) {
      const p = placeRange(2, rf, { kind: 'home', region: 'eu-west' }, topo);
      const home = p.replicas.filter((n) => regionOf(n) === 'eu-west');
      expect(home.length).toBe(Math.floor(rf / 2) + 1);
      expect(p.preferred.sort()).toEqual(home.sort());
      expect(new Set(p.replicas).size).toBe(rf);
    }
  });

  it('leaders: the region holds a replica and it is preferred', () => {
    const p = placeRange(4, 3, { kind: 'leaders', region: 'us-east' }, topo);
    expect(p.replicas.map((n) => regionOf(n)).sort()).toEqual(['ap', 'eu-west', 'us-east']);
    expect(p.preferred.map((n) => regionOf(n))).toEqual(['us-east']);
  });

  it('is a pure function of the topology (identical on every node)', () => {
    const again = topologyOf(nine.map(nodeId));
    for (let r = 0; r < 10; r++) {
      expect(placeRange(r, 3, { kind: 'spread' }, again)).toEqual(placeRange(r, 3, { kind: 'spread' }, topo));
    }
  });
});
