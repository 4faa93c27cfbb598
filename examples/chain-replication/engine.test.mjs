// Interaction tests of the chain replication engine with replsim's harness. Run by `npm test`.
import { describe, expect, it } from 'vitest';
import { createHarness, engineConfig } from 'replsim/testing';
import chain, { settings } from './engine.mjs';

const nodes = ['us/0', 'eu/0', 'ap/0']; // head, middle, tail (and master)
const start = (over = {}) => createHarness(chain(engineConfig(nodes, settings.parse(over))), { nodes, seed: 1 });
const down = (to) => (m) => m.msg.type === 'down' && m.to === to;

/** Heartbeats until the master notices a silent node (dead_after_ms = 1 s). */
function beat(h, times = 15) {
  for (let i = 0; i < times; i++) {
    h.advance(100_000);
    h.deliverAll();
  }
}

describe('chain replication', () => {
  it('a write is answered by the tail, after every node applied it', () => {
    const h = start();
    h.request('eu/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.deliver((m) => m.msg.type === 'fwd'); // to the head
    h.deliver(down('eu/0'));
    expect(h.replies).toEqual([]);
    h.deliver(down('ap/0'));
    expect(h.replies).toMatchObject([{ node: 'ap/0', op: 1, result: { type: 'ok', value: 1 } }]);
    expect(h.applies.map((a) => a.node)).toEqual(['us/0', 'eu/0', 'ap/0']);
  });

  it('reads go to the tail: a write still in the chain is not visible', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.request('us/0', { op: 2, f: 'read', key: 'x' });
    h.deliver((m) => m.msg.type === 'fwd'); // the read reaches the tail before the write
    expect(h.replies).toMatchObject([{ node: 'ap/0', op: 2, result: { value: null } }]);
  });

  it('with reads: any the head answers from its own copy, before the tail has the write', () => {
    const h = start({ reads: 'any' });
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.request('us/0', { op: 2, f: 'read', key: 'x' });
    expect(h.replies).toMatchObject([{ node: 'us/0', op: 2, result: { value: 1 } }]);
  });

  it('acknowledgements travel up and empty the sent lists', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    expect(h.states.get('us/0').sent).toHaveLength(1);
    h.deliverAll();
    expect(h.states.get('us/0').sent).toEqual([]);
    expect(h.states.get('eu/0').sent).toEqual([]);
  });

  it('the middle crashes: the head resends to its new successor and the write is answered once', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.crash('eu/0'); // the write was on its way to eu/0: lost with it
    beat(h);
    expect(h.states.get('ap/0').chain).toEqual(['us/0', 'ap/0']);
    expect(h.replies).toMatchObject([{ node: 'ap/0', op: 1, result: { type: 'ok', value: 1 } }]);
    h.deliverAll();
    expect(h.replies).toHaveLength(1);
  });

  it('the tail crashes: the middle becomes the tail and answers what it holds', () => {
    const h = start();
    h.request('us/0', { op: 1, f: 'write', key: 'x', value: 1 });
    h.deliver(down('eu/0'));
    h.crash('ap/0'); // the write dies on its way to the tail, with the tail (and the master)
    expect(h.states.get('eu/0').sent).toHaveLength(1);
    // The master's decision, as a message: ap/0 is out of the chain.
    h.inFlight.push({ from: 'ap/0', to: 'eu/0', msg: { type: 'chain', num: 2, chain: ['us/0', 'eu/0'] } });
    h.deliver((m) => m.msg.type === 'chain');
    expect(h.replies).toMatchObject([{ node: 'eu/0', op: 1, result: { type: 'ok', value: 1 } }]);
    expect(h.states.get('eu/0').sent).toEqual([]);
  });
});
