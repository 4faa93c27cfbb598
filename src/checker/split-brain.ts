/**
 * `split_brain`: while a partition (or isolate) is active, two sides both acknowledged writes
 * to the same key. Only counted for engines that promised not to (`promisesNoSplitBrain`);
 * otherwise not applicable, since accepting writes on both sides is what active-active does.
 * A write counts for a window when it was invoked and acknowledged inside it; its side is
 * the side of the node that served it (unlisted regions are each their own side of a
 * partition, and all together the other side of an isolate). One count per (partition, key).
 */
import type { AnomalyReport, CheckOptions, Witness } from './types.js';
import { MAX_WITNESSES, opRef, sec } from './explain.js';
import { faultWindows, partitionGroups, sideOf } from './faults.js';
import { firstInvokedAt, groupBy, isRead, type History, type Op } from './ops.js';

export function splitBrain(h: History, opts: CheckOptions): AnomalyReport {
  if (!opts.promisesNoSplitBrain) {
    return {
      applicable: false,
      count: null,
      witnesses: [],
      note: 'the engine does not promise to refuse writes on both sides of a partition',
    };
  }
  let count = 0;
  const witnesses: Witness[] = [];
  const okWrites = h.ops.filter((o) => !isRead(o.f) && o.type === 'ok'); // invoke order
  for (const w of faultWindows(h)) {
    const groups = partitionGroups(w);
    if (!groups) continue;
    const writes: Op[] = [];
    for (let i = firstInvokedAt(okWrites, w.start_t); i < okWrites.length; i++) {
      const o = okWrites[i] as Op;
      if (o.invoke_t >= w.end_t) break;
      if ((o.complete_t ?? Infinity) <= w.end_t) writes.push(o);
    }
    for (const [key, ops] of groupBy(writes, (o) => o.key)) {
      const bySide = new Map<string, Op>();
      for (const o of ops) {
        const s = sideOf(w, groups, o.node);
        if (!bySide.has(s)) bySide.set(s, o);
      }
      if (bySide.size < 2) continue;
      count++;
      if (witnesses.length >= MAX_WITNESSES) continue;
      const [a, b] = [...bySide.values()].sort((x, y) => (x.complete_t ?? 0) - (y.complete_t ?? 0));
      if (!a || !b) continue;
      witnesses.push({
        ops: [a.id, b.id],
        key,
        clients: [a.client, b.client],
        nodes: [a.node, b.node],
        times_us: [a.complete_t ?? 0, b.complete_t ?? 0],
        explanation:
          `during the ${w.kind} from ${sec(w.start_t)} to ${w.closed ? sec(w.end_t) : 'the end'}, ` +
          `${opRef(a)} at ${a.node} (acknowledged at ${sec(a.complete_t ?? 0)}) and ${opRef(b)} at ${b.node} ` +
          `(acknowledged at ${sec(b.complete_t ?? 0)}) were accepted on opposite sides for ${key}`,
        details: { partition: groups, fault_start_us: w.start_t, fault_end_us: w.end_t },
      });
    }
  }
  return { applicable: true, count, witnesses };
}
