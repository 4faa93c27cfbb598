// Primary-backup replication of a register, with a view service (as in MIT 6.824's
// primary/backup lab and the configuration master of chain replication).
//
// - One node, the *manager* (the last node by default), decides views: `{ num, primary,
//   backups }`. Every node pings it; a member silent for `dead_after_ms` leaves the next view,
//   the first backup becomes primary, a node that pings again rejoins as a backup.
// - Clients may ask any node; a node that is not the primary forwards to the primary.
// - The primary sends each write to every backup of its view and acknowledges it once
//   `wait_for` backups acknowledged: `all` (synchronous backup) or `one` (semi-synchronous:
//   the first version of this engine, which loses acknowledged writes at a failover; see
//   docs/14-write-your-own-engine.md).
// - A new primary sends its whole store to the backups: they take it as the truth.
//
// Plain JavaScript; the JSDoc types come from replsim's public `Engine` interface.
import { z } from 'zod';

/** The engine's own settings, validated by replsim with file:line:column errors. */
export const settings = z
  .object({
    wait_for: z.enum(['one', 'all']).default('all'),
    heartbeat_ms: z.number().int().positive().default(100),
    dead_after_ms: z.number().int().positive().default(1000),
    manager: z.string().optional(),
  })
  .strict();

/** @typedef {import('replsim').ClientRequest} Req */
/** @typedef {{ num: number, primary: string, backups: string[] }} View */
/** @typedef {{ value: import('replsim').Value, op?: number, v: number, seq: number }} Entry */
/**
 * @typedef {{ type: 'ping', num: number } | { type: 'view', view: View }
 *   | { type: 'rep', num: number, seq: number, key: string, value: any, op: number }
 *   | { type: 'ack', num: number, seq: number } | { type: 'fwd', req: Req, hops: number }
 *   | { type: 'sync', view: View, store: Array<[string, Entry]> }} Msg
 */
/**
 * @typedef {{ view: View, store: Map<string, Entry>, seq: number,
 *   pending: Map<number, { req: Req, waiting: Set<string> }>, seen: Map<string, number> }} State
 */

/**
 * @param {import('replsim').ModuleEngineConfig<z.infer<typeof settings>>} config
 * @returns {import('replsim').Engine<State, Msg, { view: View, store: Array<[string, Entry]>, seq: number }>}
 */
export default function primaryBackup(config) {
  const { wait_for, heartbeat_ms, dead_after_ms } = config.settings;
  const nodes = /** @type {string[]} */ ([...config.topology.nodes]);
  const manager = config.settings.manager ?? nodes[nodes.length - 1];
  const tick = heartbeat_ms * 1000;
  const first = { num: 1, primary: nodes[0], backups: nodes.slice(1) };

  /** Adopts a newer view; a node that just became primary hands its store to the backups. */
  function adopt(s, view, ctx) {
    if (view.num <= s.view.num) return;
    const wasPrimary = s.view.primary === ctx.self;
    s.view = view;
    if (view.primary !== ctx.self) {
      s.pending.clear(); // never acknowledged: the clients see a timeout (maybe applied)
      return;
    }
    if (!wasPrimary) for (const b of view.backups) ctx.send(b, { type: 'sync', view, store: [...s.store] });
    // Writes in flight: wait only for backups still in the view, and ask them again in it.
    for (const [seq, p] of s.pending) {
      for (const w of p.waiting) if (!view.backups.includes(w)) p.waiting.delete(w);
      if (p.waiting.size === 0) commit(s, seq, ctx);
      else for (const b of p.waiting) ctx.send(b, { type: 'rep', num: view.num, seq, key: p.req.key, value: p.req.value, op: p.req.op });
    }
  }

  function commit(s, seq, ctx) {
    const p = s.pending.get(seq);
    if (!p) return;
    s.pending.delete(seq);
    put(s, p.req.key, { value: p.req.value ?? null, op: p.req.op, v: s.view.num, seq }, ctx);
    ctx.reply(p.req.op, { type: 'ok', value: p.req.value });
  }

  /** Stores an entry unless a newer one (by view, then sequence) is there. */
  function put(s, key, e, ctx) {
    const cur = s.store.get(key);
    if (cur && (cur.v > e.v || (cur.v === e.v && cur.seq >= e.seq))) return;
    s.store.set(key, e);
    ctx.applied(key, e.value, e.op);
  }

  function serve(s, req, ctx, hops) {
    if (s.view.primary !== ctx.self) {
      if (hops >= 2) ctx.reply(req.op, { type: 'fail', error: 'no primary' });
      else ctx.send(s.view.primary, { type: 'fwd', req, hops: hops + 1 });
      return;
    }
    if (req.f === 'read') return ctx.reply(req.op, { type: 'ok', value: s.store.get(req.key)?.value ?? null });
    if (req.f !== 'write') return ctx.reply(req.op, { type: 'fail', error: `${req.f} is not supported` });
    const seq = ++s.seq;
    s.pending.set(seq, { req, waiting: new Set(s.view.backups) });
    for (const b of s.view.backups) ctx.send(b, { type: 'rep', num: s.view.num, seq, key: req.key, value: req.value, op: req.op });
    if (s.view.backups.length === 0) commit(s, seq, ctx);
  }

  /** The manager: members silent too long leave the view, returning nodes join as backups. */
  function manage(s, ctx) {
    const now = ctx.now();
    s.seen.set(ctx.self, now);
    const alive = (n) => now - (s.seen.get(n) ?? -Infinity) <= dead_after_ms * 1000;
    const members = [s.view.primary, ...s.view.backups];
    const live = members.filter(alive);
    const joining = nodes.filter((n) => !members.includes(n) && alive(n));
    if (live.length === members.length && joining.length === 0) return;
    const [primary, ...backups] = alive(s.view.primary) ? live : live.filter((n) => n !== s.view.primary);
    if (primary === undefined) return; // nobody left to serve: keep the view
    const view = { num: s.view.num + 1, primary, backups: [...backups, ...joining] };
    for (const n of nodes) if (n !== ctx.self) ctx.send(n, { type: 'view', view });
    adopt(s, view, ctx);
  }

  return {
    name: `primary-backup/${wait_for}`,
    init(self, durable, ctx) {
      ctx.setTimer(tick, { kind: 'tick' });
      return {
        view: durable?.view ?? first,
        store: new Map(durable?.store ?? []),
        seq: durable?.seq ?? 0,
        pending: new Map(),
        seen: new Map(nodes.map((n) => [n, ctx.now()])),
      };
    },
    durable: (s) => ({ view: s.view, store: [...s.store], seq: s.seq }),
    onRequest: (s, req, ctx) => serve(s, req, ctx, 0),
    onMessage(s, from, msg, ctx) {
      switch (msg.type) {
        case 'ping':
          s.seen.set(from, ctx.now());
          if (msg.num < s.view.num) ctx.send(from, { type: 'view', view: s.view });
          return;
        case 'view':
          return adopt(s, msg.view, ctx);
        case 'fwd':
          return serve(s, msg.req, ctx, msg.hops);
        case 'rep':
          if (msg.num !== s.view.num || !s.view.backups.includes(ctx.self)) return; // a stale primary
          put(s, msg.key, { value: msg.value, op: msg.op, v: msg.num, seq: msg.seq }, ctx);
          return ctx.send(from, { type: 'ack', num: msg.num, seq: msg.seq });
        case 'ack': {
          const p = s.pending.get(msg.seq);
          if (!p) return;
          p.waiting.delete(from);
          if (wait_for === 'one' || p.waiting.size === 0) commit(s, msg.seq, ctx);
          return;
        }
        case 'sync':
          adopt(s, msg.view, ctx);
          if (msg.view.num !== s.view.num) return;
          // The primary's store is the truth: a key only this backup holds was never committed.
          for (const key of [...s.store.keys()]) if (!msg.store.some(([k]) => k === key)) s.store.delete(key);
          for (const [key, e] of msg.store) {
            const cur = s.store.get(key);
            if (!cur || cur.v !== e.v || cur.seq !== e.seq) {
              s.store.set(key, e);
              ctx.applied(key, e.value, e.op);
            }
          }
          return;
      }
    },
    onTimer(s, timer, ctx) {
      ctx.setTimer(tick, timer);
      if (ctx.self === manager) manage(s, ctx);
      else ctx.send(manager, { type: 'ping', num: s.view.num });
    },
    finalState: (s) =>
      [...s.store]
        .map(([key, e]) => ({ key, value: e.value }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}
