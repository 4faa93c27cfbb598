/**
 * Last-writer-wins of the whole value (Cassandra cells, DynamoDB global tables). The change is
 * the new value with its timestamp; a replica keeps whichever timestamp is greater. On a
 * counter, set or inventory this is a register of the whole value, so concurrent increments,
 * adds or reservations on two replicas lose all but one: that is the lesson it teaches.
 */
import type { WorkloadModel } from '../../../scenario/types.js';
import type { ClientRequest } from '../../engine.js';
import { okAfter, type Env, type LocalOutcome, type Rule } from '../rule.js';
import { compareTs, formatTs, parseTs, type Ts } from '../timestamp.js';
import { stateOfVisible } from '../../model.js';
import { initialWhole, visibleWhole, wholeOp, type Whole } from '../whole.js';
import { lwwColumn } from './lww-column.js';

export interface LwwState {
  w: Whole;
  /** undefined until the first write: any write beats the initial value */
  ts: Ts | undefined;
  op: number | undefined;
}

export interface LwwChange {
  kind: 'lww';
  w: Whole;
  ts: Ts;
  op: number;
}

export function lwwRule(model: WorkloadModel): Rule<LwwState, LwwChange> {
  return {
    empty: () => ({ w: initialWhole(model), ts: undefined, op: undefined }),
    local(st: LwwState, req: ClientRequest, env: Env): LocalOutcome<LwwChange, LwwState> {
      // Only a reservation reports the version it saw: formatting it for every read and write
      // of the other models cost a string per operation on the hottest path.
      const o = wholeOp(model, st.w, req, model === 'inventory' ? (st.ts ? formatTs(st.ts) : 'initial') : undefined);
      switch (o.type) {
        case 'read':
          return { type: 'reply', result: { type: 'ok', value: o.value } };
        case 'noop':
          return { type: 'reply', result: o.result };
        case 'fail':
          return { type: 'reply', result: { type: 'fail', error: o.error } };
        case 'write':
          return {
            type: 'change',
            change: { kind: 'lww', w: o.next, ts: env.stamp(), op: req.op },
            // Only a reservation's answer depends on the state after the merge (the stock
            // left); every other write's is known now, so no closure per write.
            reply: req.f === 'reserve' ? (after) => okAfter(req, o.result, visibleWhole(model, after.w)) : { type: 'ok', value: o.result },
          };
        default: {
          const never: never = o;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    },
    // A read of any model answers the visible value (model.ts), whatever the timestamp.
    read: (st) => ({ type: 'ok', value: visibleWhole(model, st.w) }),
    merge(st, ch) {
      if (st.ts !== undefined && compareTs(ch.ts, st.ts) <= 0) return false;
      st.w = ch.w;
      st.ts = ch.ts;
      st.op = ch.op;
      return true;
    },
    // The state is one write: re-offering it is that write again (same timestamp, same op).
    asChanges: (st) => (st.ts === undefined || st.op === undefined ? [] : [{ kind: 'lww', w: st.w, ts: st.ts, op: st.op }]),
    visible: (st) => visibleWhole(model, st.w),
    version: (st) => (st.ts ? formatTs(st.ts) : ''),
    stampOf: (ch) => ch.ts,
    opOf: (ch) => ch.op,
    // The greater timestamp wins wherever both arrive, so the older change can never show.
    supersedes: (newer, older) => compareTs(newer.ts, older.ts) > 0,
    // The value with its original timestamp: a restored write competes as it did before.
    restored: (value, version) => ({ w: stateOfVisible(model, value), ts: version === undefined ? undefined : parseTs(version), op: undefined }),
    // Queued changes as numbers in typed arrays: a partition's backlog is not objects to trace.
    column: lwwColumn,
  };
}
