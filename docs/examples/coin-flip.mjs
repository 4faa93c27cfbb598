// A deliberately broken engine (docs/14-write-your-own-engine.md): it replicates each write
// after a delay drawn from Math.random instead of ctx.rng, so two runs with one seed differ.
export default function coinFlip(config) {
  return {
    name: 'coin-flip',
    init: () => ({ store: new Map() }),
    durable: (s) => [...s.store],
    onRequest(s, req, ctx) {
      if (req.f === 'read') return ctx.reply(req.op, { type: 'ok', value: s.store.get(req.key) ?? null });
      s.store.set(req.key, req.value);
      ctx.applied(req.key, req.value, req.op);
      ctx.reply(req.op, { type: 'ok', value: req.value });
      const delay_us = Math.round(Math.random() * 50_000); // the bug: use ctx.rng.next()
      ctx.setTimer(delay_us, { kind: 'replicate', data: { key: req.key, value: req.value, op: req.op } });
    },
    onTimer(s, timer, ctx) {
      for (const n of config.topology.nodes) if (n !== ctx.self) ctx.send(n, timer.data);
    },
    onMessage(s, from, msg, ctx) {
      s.store.set(msg.key, msg.value);
      ctx.applied(msg.key, msg.value, msg.op);
    },
    finalState: (s) => [...s.store].map(([key, value]) => ({ key, value })).sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
}
