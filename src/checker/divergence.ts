/**
 * `divergence`: after settle, live replicas of a key hold different values or sibling sets.
 * Needs `final` records; black-box histories have none and get `applicable: false`.
 */
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { allKeys, finalViews, hasFinals, liveNodes } from './final-state.js';
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
    const parts = views.map((v) => `${show(v.value)} at ${nodesText(v.nodes)}`);
    witnesses.push({
      ops: writers.map((o) => o.id),
      key,
      clients: writers.map((o) => o.client),
      times_us: writers.length > 0 ? writers.map((o) => o.complete_t ?? o.invoke_t) : finalAt === undefined ? [] : [finalAt],
      nodes: views.flatMap((v) => v.nodes),
      explanation: `after settle, replicas of ${key} disagree: ${parts.join(' but ')}`,
      details: { replicas },
    });
  }
  return { applicable: true, count, witnesses };
}
