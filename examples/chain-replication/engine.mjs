// Chain replication (van Renesse and Schneider, OSDI 2004) of a register.
//
// The nodes form a chain. A write enters at the head, each node applies it and passes it to
// its successor, and the tail answers the client: a write is acknowledged only once every
// node of the chain has it. Reads are answered by the tail, so they see exactly the
// acknowledged writes. Acknowledgements travel back up the chain, and each node forgets the
// writes its successors hold (its "sent" list keeps the others).
//
// A master (the last node by default) pings nothing: every node pings it, and a node silent
// for `dead_after_ms` is taken out of the chain. The paper's three cases follow from one
// rule: a node whose successor changed sends its unacknowledged writes to the new one; a
// node that became the tail answers the writes it holds unacknowledged.
//
// `reads: any` answers reads at whichever node the client asked: faster, and stale (the
// checker finds the stale reads; chain replication's linearizability rests on tail reads).
import { z } from 'zod';

export const settings = z
  .object({
    reads: z.enum(['tail', 'any']).default('tail'),
    heartbeat_ms: z.number().int().positive().default(100),
    dead_after_ms: z.number().int().positive().default(1000),
  })
  .strict();

/** @typedef {{ seq: number, key: string, value: import('replsim').Value, op: number }} Update */
/**
 * @typedef {{ type: 'ping' } | { type: 'chain', num: number, chain: string[] }
 *   | { type: 'down', update: Update } | { type: 'up', seq: number }
 *   | { type: 'fwd', req: import('replsim').ClientRequest }} Msg
 */
/**
 * @typedef {{ num: number, chain: string[], store: Map<string, { value: any, op: number }>,
 *   applied: number, sent: Update[], seen: Map<string, number> }} State
 */

/**
 * @param {import('replsim').ModuleEngineConfig<z.infer<typeof settings>>} config
 * @returns {import('replsim').Engine<State, Msg>}
 */
export default function chainReplication(config) {
  const { reads, heartbeat_ms, dead_after_ms } = config.settings;
  const nodes = /** @type {string[]} */ ([...config.topology.nodes]);
  const master = nodes[nodes.length - 1];

  const head = (s) => s.chain[0];
  const tail = (s) => s.chain[s.chain.length - 1];
  const next = (s, self) => s.chain[s.chain.indexOf(self) + 1];

  /** Applies an update once, then passes it on, or answers it at the tail. */
  function accept(s, u, ctx) {
    const fresh = u.seq > s.applied; // a resent update this node has is passed on, not applied twice
    if (fresh) {
      s.applied = u.seq;
      s.store.set(u.key, { value: u.value, op: u.op });
      ctx.applied(u.key, u.value, u.op);
    }
    const succ = next(s, ctx.self);
    if (succ === undefined) return finish(s, u, ctx, fresh);
    if (!s.sent.some((x) => x.seq === u.seq)) s.sent.push(u);
    ctx.send(succ, { type: 'down', update: u });
  }

  /** At the tail: the write is in every node of the chain. */
  function finish(s, u, ctx, answer) {
    if (answer) ctx.reply(u.op, { type: 'ok', value: u.value });
    const pred = s.chain[s.chain.length - 2];
    if (pred !== undefined && pred !== ctx.self) ctx.send(pred, { type: 'up', seq: u.seq });
  }

  function reconfigure(s, num, chain, ctx) {
    if (num <= s.num) return;
    const oldNext = next(s, ctx.self);
    s.num = num;
    s.chain = chain;
    if (!chain.includes(ctx.self)) return;
    const succ = next(s, ctx.self);
    if (succ === undefined) {
      // Became the tail: what this node holds unacknowledged is now in the whole chain.
      for (const u of s.sent) finish(s, u, ctx, true);
      s.sent = [];
    } else if (succ !== oldNext) {
      for (const u of s.sent) ctx.send(succ, { type: 'down', update: u });
    }
  }

  function serve(s, req, ctx) {
    const at = req.f === 'read' ? (reads === 'any' ? ctx.self : tail(s)) : head(s);
    if (at !== ctx.self) return ctx.send(at, { type: 'fwd', req });
    if (req.f === 'read') return ctx.reply(req.op, { type: 'ok', value: s.store.get(req.key)?.value ?? null });
    if (req.f !== 'write') return ctx.reply(req.op, { type: 'fail', error: `${req.f} is not supported` });
    accept(s, { seq: s.applied + 1, key: req.key, value: req.value ?? null, op: req.op }, ctx);
  }

  return {
    name: `chain/${reads}`,
    init(self, durable, ctx) {
      ctx.setTimer(heartbeat_ms * 1000, { kind: 'tick' });
      return {
        num: durable?.num ?? 1,
        chain: durable?.chain ?? nodes,
        store: new Map(durable?.store ?? []),
        applied: durable?.applied ?? 0,
        sent: [],
        seen: new Map(nodes.map((n) => [n, ctx.now()])),
      };
    },
    durable: (s) => ({ num: s.num, chain: s.chain, store: [...s.store], applied: s.applied }),
    onRequest: serve,
    onMessage(s, from, msg, ctx) {
      switch (msg.type) {
        case 'ping':
          s.seen.set(from, ctx.now());
          if (!s.chain.includes(from)) ctx.send(from, { type: 'chain', num: s.num, chain: s.chain });
          return;
        case 'chain':
          return reconfigure(s, msg.num, msg.chain, ctx);
        case 'fwd':
          return serve(s, msg.req, ctx);
        case 'down':
          if (!s.chain.includes(ctx.self)) return; // removed from the chain
          return accept(s, msg.update, ctx);
        case 'up': {
          s.sent = s.sent.filter((u) => u.seq > msg.seq);
          const pred = s.chain[s.chain.indexOf(ctx.self) - 1];
          if (pred !== undefined) ctx.send(pred, msg);
          return;
        }
      }
    },
    onTimer(s, timer, ctx) {
      ctx.setTimer(heartbeat_ms * 1000, timer);
      if (ctx.self !== master) return ctx.send(master, { type: 'ping' });
      const now = ctx.now();
      s.seen.set(ctx.self, now);
      const live = s.chain.filter((n) => now - (s.seen.get(n) ?? -Infinity) <= dead_after_ms * 1000);
      if (live.length === s.chain.length || live.length === 0) return;
      for (const n of nodes) if (n !== ctx.self) ctx.send(n, { type: 'chain', num: s.num + 1, chain: live });
      reconfigure(s, s.num + 1, live, ctx);
    },
    finalState: (s) =>
      [...s.store]
        .map(([key, e]) => ({ key, value: e.value }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}
