import { describe, expect, it } from 'vitest';
import { homeRegion, ownerOf, hash32 } from '../../../src/engines/async/ownership.js';
import { topologyOf } from '../harness.js';
import { nodeId } from '../../../src/sim/ids.js';
import { asyncHarness, readAt } from './fixtures.js';

const NODES = ['us-east/0', 'us-east/1', 'eu-west/0', 'eu-west/1'];
const topo = topologyOf(NODES.map(nodeId));

describe('async ownership: home', () => {
  it('picks the longest matching prefix, else a hash of the key', () => {
    const homes = { 'eu-': 'eu-west', 'eu-us-': 'us-east' };
    expect(homeRegion('eu-cart', homes, topo)).toBe('eu-west');
    expect(homeRegion('eu-us-cart', homes, topo)).toBe('us-east');
    expect(homeRegion('other', homes, topo)).toBe(topo.regions[hash32('other') % 2]);
    expect(hash32('')).toBe(0x811c9dc5);
    expect(ownerOf('eu-cart', homes, topo)).toMatch(/^eu-west\//);
  });

  it('forwards a write to the owner, answers the client when the owner does, and replicates', () => {
    const { h } = asyncHarness({ ownership: 'home', homes: { 'eu-': 'eu-west' } }, 'register', { nodes: NODES });
    const owner = ownerOf('eu-k', { 'eu-': 'eu-west' }, topo);
    h.request('us-east/0', { op: 1, f: 'write', key: 'eu-k', value: 5 });
    expect(h.replies).toEqual([]);
    expect(h.inFlight.map((p) => [p.to, p.msg.type])).toEqual([[owner, 'fwd']]);
    // The forward is duplicated by the network: executed once, answered twice, replied once.
    h.inFlight.push({ ...h.inFlight[0]! });
    h.deliverAll((p) => p.msg.type === 'fwd');
    expect(h.applies.map((a) => a.node)).toEqual([owner]);
    h.deliverAll();
    expect(h.replies.map((r) => [r.node, r.result])).toEqual([['us-east/0', { type: 'ok', value: 5 }]]);
    for (const n of NODES) expect(readAt(h, n, 'eu-k')).toBe(5);
  });

  it('with the owner unreachable the write is never answered (the client times out); reads stay local', () => {
    const { h } = asyncHarness({ ownership: 'home', homes: { 'eu-': 'eu-west' } }, 'register', { nodes: NODES });
    h.request('us-east/0', { op: 1, f: 'write', key: 'eu-k', value: 5 });
    h.drop(() => true);
    h.advance(10_000_000);
    expect(h.replies).toEqual([]);
    expect(readAt(h, 'us-east/0', 'eu-k')).toBe(null);
  });

  it('inventory: all reservations of a key go through one owner, so none oversell', () => {
    const { h } = asyncHarness({ ownership: 'home' }, 'inventory', { nodes: NODES });
    let op = 0;
    for (let i = 0; i < 30; i++) {
      for (const n of NODES) h.request(n, { op: ++op, f: 'reserve', key: 'sku', value: { qty: 1, order: `o${op}` } });
    }
    h.deliverAll();
    const ok = h.replies.filter((r) => r.result.type === 'ok').length;
    expect(ok).toBe(100);
    expect(h.replies.length).toBe(120);
    for (const n of NODES) expect(readAt(h, n, 'sku')).toBe(0);
  });
});
