/**
 * PN-counter (Shapiro et al. 2011): each node counts its own increments (P) and decrements (N);
 * a change carries the origin's new totals, merged by maximum, so every acknowledged `add`
 * survives any interleaving, partition or duplicate delivery. The value is ΣP − ΣN.
 */
import type { NodeId } from '../../../sim/ids.js';
import type { Rule } from '../rule.js';

export interface PnState {
  p: Record<string, number>;
  n: Record<string, number>;
}

export interface PnChange {
  kind: 'pn';
  node: NodeId;
  p: number;
  n: number;
  /** undefined in an anti-entropy re-offer: a total, not one op's effect */
  op: number | undefined;
}

const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

export function pnCounterRule(): Rule<PnState, PnChange> {
  return {
    empty: () => ({ p: {}, n: {} }),
    local(st, req, env) {
      if (req.f === 'read') return { type: 'reply', result: { type: 'ok', value: sum(st.p) - sum(st.n) } };
      const d = req.value;
      if (req.f !== 'add' || typeof d !== 'number' || !Number.isFinite(d)) {
        return { type: 'reply', result: { type: 'fail', error: `bad-request: ${req.f} on counter` } };
      }
      const p = (st.p[env.self] ?? 0) + Math.max(d, 0);
      const n = (st.n[env.self] ?? 0) + Math.max(-d, 0);
      return { type: 'change', change: { kind: 'pn', node: env.self, p, n, op: req.op }, reply: () => ({ type: 'ok', value: d }) };
    },
    merge(st, ch) {
      const p = st.p[ch.node] ?? 0;
      const n = st.n[ch.node] ?? 0;
      if (ch.p <= p && ch.n <= n) return false;
      st.p[ch.node] = Math.max(p, ch.p);
      st.n[ch.node] = Math.max(n, ch.n);
      return true;
    },
    // One change per node that counted anything: its totals, merged by maximum like any change.
    asChanges: (st) =>
      [...new Set([...Object.keys(st.p), ...Object.keys(st.n)])]
        .sort()
        .map((node) => ({ kind: 'pn', node: node as NodeId, p: st.p[node] ?? 0, n: st.n[node] ?? 0, op: undefined })),
    visible: (st) => sum(st.p) - sum(st.n),
    version: (st) => `+${sum(st.p)}-${sum(st.n)}`,
    stampOf: () => undefined,
    opOf: (ch) => ch.op,
    // Changes carry the origin's running totals, merged by maximum: a later total covers an earlier.
    supersedes: (newer, older) => newer.node === older.node && newer.p >= older.p && newer.n >= older.n,
  };
}
