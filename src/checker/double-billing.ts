/**
 * An order billed twice (an `invariant` rule): inventory reservations carry an idempotency
 * key (`{qty, order}`), so one order may be acknowledged as applied at most once per item.
 * Two `ok` reservations of the same item with the same `order` are a double bill, judged
 * from the replies alone, under any engine (the escrow engine's own "double apply" records
 * are a separate, engine-side check in invariant.ts). A repeated reservation whose reply
 * says it was not applied again — `stock_before` equal to `remaining` (nothing deducted), or
 * `applied: false` / `duplicate: true` / `repeat: true` (replsim's engines) — is an idempotent acknowledgement, not a second bill.
 */
import type { Value } from '../history/types.js';
import type { CheckOptions, Witness } from './types.js';
import { opRef, sec } from './explain.js';
import { groupBy, orderOf, type History, type Op } from './ops.js';

/** Whether an ok reservation's reply says it changed nothing (a repeat acknowledged as such). */
function notApplied(op: Op): boolean {
  const r = op.result;
  if (r === null || r === undefined || typeof r !== 'object' || Array.isArray(r)) return false;
  if (r['applied'] === false || r['duplicate'] === true || r['repeat'] === true) return true;
  const before = r['stock_before'];
  return typeof before === 'number' && before === r['remaining'];
}

/** One witness per (item, order) acknowledged as applied more than once. */
export function doubleBilling(h: History, opts: CheckOptions, add: (w: Witness) => void): void {
  if (opts.model !== 'inventory') return;
  // An operator's reapply after a restore (client `REGION/operator`) re-bills an order only if
  // the original's effect survived the restore: restore.ts judges that, knowing the rollbacks.
  const billed = h.ops.filter(
    (o) => o.f === 'reserve' && o.type === 'ok' && orderOf(o.value) !== null && !notApplied(o) && !o.client.endsWith('/operator'),
  );
  for (const [, group] of groupBy(billed, (o) => `${o.key}\u0000${orderOf(o.value)}`)) {
    if (group.length < 2) continue;
    const [x, y] = group as [Op, Op];
    add({
      ops: group.map((o) => o.id),
      key: x.key,
      clients: group.map((o) => o.client),
      nodes: group.map((o) => o.node),
      times_us: group.map((o) => o.complete_t ?? o.invoke_t),
      explanation:
        `order billed twice: order ${orderOf(x.value)} of ${x.key} was acknowledged as reserved ${group.length} times ` +
        `(${opRef(x)} at ${x.node}, ${sec(x.complete_t ?? x.invoke_t)}; ${opRef(y)} at ${y.node}, ` +
        `${sec(y.complete_t ?? y.invoke_t)}) although reservations are idempotent per order`,
      details: { order: orderOf(x.value) },
    });
  }
}
