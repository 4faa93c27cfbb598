/**
 * `divergence`: after settle, live replicas of a key hold different values or sibling sets.
 * A live replica that should hold the key (it applied it, or the `replicas` records name it)
 * and has no `final` for it holds "absent", which counts as the model's initial state: it
 * diverges from a replica holding a value. Needs `final` records (or a `live` record);
 * black-box histories have none and get `applicable: false`.
 */
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { allKeys, finalViews, hasFinals, liveNodes, replicaValues } from './final-state.js';
import { MAX_WITNESSES, nodesText, show } from './explain.js';
import { initialValue } from './model.js';
import { elementsOf, isRegisterModel, registerKeys, sourceOps, sourcesOf } from './register.js';
import type { History, Op } from './ops.js';
import type { Value } from '../history/types.js';

/** `keys`: the keys to judge (default: every key of the history). */
export function divergence(h: History, opts: CheckOptions, keys?: readonly string[]): AnomalyReport {
  if (!hasFinals(h)) {
    return {
      applicable: false,
      count: null,
      witnesses: [],
      note: 'the history has no `final` records (black-box), so replica states after settle are unknown',
    };
  }
  const initial = initialValue(opts);
  const live = liveNodes(h);
  // the register index only names the writers in witnesses: built when the first one is needed
  const registers = isRegisterModel(opts.model);
  let count = 0;
  const witnesses: Witness[] = [];
  for (const key of keys ?? allKeys(h)) {
    const views = finalViews(h, key, initial, live);
    if (views.length < 2) continue;
    count++;
    if (witnesses.length >= MAX_WITNESSES) continue;
    const replicas: Record<string, Value> = {};
    const writers: Op[] = [];
    const regs = registers ? registerKeys(h) : undefined;
    for (const v of views) {
      for (const n of v.nodes) replicas[n] = v.value ?? null;
      if (regs) {
        for (const e of elementsOf(v.value, initial)) {
          for (const op of sourceOps(sourcesOf(regs.get(key), e, initial))) {
            if (!writers.includes(op)) writers.push(op);
          }
        }
      }
    }
    const finalAt = h.finals.find((f) => f.key === key)?.t;
    const absent: string[] = [];
    for (const [n, v] of replicaValues(h, key, live)) if (v === undefined) absent.push(n);
    const parts = views.map((v) => viewText(v.nodes, v.value, absent));
    witnesses.push({
      ops: writers.map((o) => o.id),
      key,
      clients: writers.map((o) => o.client),
      times_us: writers.length > 0 ? writers.map((o) => o.complete_t ?? o.invoke_t) : finalAt === undefined ? [] : [finalAt],
      nodes: views.flatMap((v) => v.nodes),
      explanation: `after settle, replicas of ${key} disagree: ${parts.join(' but ')}`,
      details: absent.length > 0 ? { replicas, absent } : { replicas },
    });
  }
  return { applicable: true, count, witnesses };
}

/** `300 at us-east/0`, `absent at eu-west/0`, or both joined when one state groups them. */
function viewText(nodes: readonly string[], value: Value | undefined, absent: readonly string[]): string {
  const held = nodes.filter((n) => !absent.includes(n));
  const gone = nodes.filter((n) => absent.includes(n));
  const out: string[] = [];
  if (held.length > 0) out.push(`${show(value)} at ${nodesText(held)}`);
  if (gone.length > 0) out.push(`absent (no final record) at ${nodesText(gone)}`);
  return out.join(' and ');
}
