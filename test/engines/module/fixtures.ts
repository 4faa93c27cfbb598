// Module engines written to a temp folder, and scenarios that use them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small correct engine: every node applies a write, replies, and sends it to the others
 * (which apply it if it is newer by op number). `STEP` is spliced into onMessage to break it.
 */
export function engineSource(opts: { step?: string; omit?: string; top?: string; settings?: string } = {}): string {
  const methods: Record<string, string> = {
    init: `init(self, durable, ctx) { return { store: new Map(durable ?? []) }; }`,
    durable: `durable(s) { return [...s.store]; }`,
    onRequest: `onRequest(s, req, ctx) {
      if (req.f === 'read') return ctx.reply(req.op, { type: 'ok', value: s.store.get(req.key)?.value ?? null });
      s.store.set(req.key, { value: req.value, op: req.op });
      ctx.applied(req.key, req.value, req.op);
      for (const n of config.topology.nodes) if (n !== ctx.self) ctx.send(n, { key: req.key, value: req.value, op: req.op });
      ctx.reply(req.op, { type: 'ok', value: req.value });
    }`,
    onMessage: `onMessage(s, from, msg, ctx) {
      ${opts.step ?? ''}
      const cur = s.store.get(msg.key);
      if (cur && cur.op > msg.op) return;
      s.store.set(msg.key, { value: msg.value, op: msg.op });
      ctx.applied(msg.key, msg.value, msg.op);
    }`,
    onTimer: `onTimer() {}`,
    finalState: `finalState(s) { return [...s.store].map(([key, e]) => ({ key, value: e.value })).sort((a, b) => (a.key < b.key ? -1 : 1)); }`,
  };
  const body = Object.entries(methods)
    .filter(([k]) => k !== opts.omit)
    .map(([, v]) => v)
    .join(',\n    ');
  return `${opts.top ?? ''}
${opts.settings ?? ''}
export default function make(config) {
  return {
    name: 'test/flood',
    ${body}
  };
}
`;
}

export const SCENARIO = (engine: string, expect = '  invariant: 0\n') => `name: module-engine
seed: 5
duration: 3s
settle: 1s
regions:
  a: { nodes: 1 }
  b: { nodes: 1 }
engine:
${engine}
workload:
  model: register
  keys: 5
  clients: { a: { count: 1, rate: 20/s }, b: { count: 1, rate: 20/s } }
expect:
${expect}`;

/** A temp folder holding `files` (name → text); returns its path. */
export function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'replsim-module-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
