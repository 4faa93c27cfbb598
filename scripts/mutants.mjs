// The engine mutants of `npm run mutate` (scripts/mutate.mjs): each is one hand-written bug of
// the kind the checker exists to catch, as a (file, search, replacement) patch to src/engines.
// `search` must occur exactly once in `file`; test/scripts/mutants.test.ts checks that every
// patch still applies to the current source, so the list cannot rot silently.
//
// Fields: id (kebab-case, unique), engine (which engine's scenarios can reach it), file (from the
// repository root), search, replace, bug (what the mutant breaks, for the report), and
// `equivalent` when the mutant is known to change nothing observable (with the reason).

/** @type {import('./mutants.d.mts').Mutant[]} */
export const MUTANTS = [
  // ── async ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'async-lww-flipped',
    engine: 'async',
    file: 'src/engines/async/rules/lww.ts',
    search: 'if (st.ts !== undefined && compareTs(ch.ts, st.ts) <= 0) return false;',
    replace: 'if (st.ts !== undefined && compareTs(ch.ts, st.ts) >= 0) return false;',
    bug: 'LWW comparison flipped: a replica keeps the older timestamp',
  },
  {
    id: 'async-lww-tiebreak-dropped',
    engine: 'async',
    file: 'src/engines/async/timestamp.ts',
    search: 'return a.wall_us - b.wall_us || a.logical - b.logical || a.rank - b.rank || a.seq - b.seq;',
    replace: 'return a.wall_us - b.wall_us || a.logical - b.logical;',
    bug: 'LWW tie-break dropped: equal timestamps keep whichever arrived first (replicas disagree)',
  },
  {
    id: 'async-hlc-not-observed',
    engine: 'async',
    file: 'src/engines/async/steps.ts',
    search: 'if (ts) observeTs(s.hlc, ts, ctx.now());',
    replace: 'if (ts) void ts;',
    bug: 'HLC not observed on receive: a node behind stamps its next write older than what it has read',
  },
  {
    id: 'async-orset-unseen-tombstone-missing',
    engine: 'async',
    file: 'src/engines/async/rules/orset.ts',
    search:
      '  st.removed.add(t);\n  const e = st.adds.get(t);\n  if (e === undefined) return false; // removal arrived before its add: the tombstone waits',
    replace: '  const e = st.adds.get(t);\n  if (e === undefined) return false;\n  st.removed.add(t);',
    bug: 'OR-set: a remove of a tag not yet seen keeps no tombstone, so the late add resurrects the element',
  },
  {
    id: 'async-read-quorum-ceil',
    engine: 'async',
    file: 'src/engines/async/reads.ts',
    search: 'return Math.floor(replicas / 2) + 1;',
    replace: 'return Math.ceil(replicas / 2);',
    bug: 'read quorum ceil(n/2): with an even replica count two halves of a split both answer reads',
  },
  {
    id: 'async-counter-local-double',
    engine: 'async',
    file: 'src/engines/async/rules/pncounter.ts',
    search: 'const p = (st.p[env.self] ?? 0) + Math.max(d, 0);',
    replace: 'const p = (st.p[env.self] ?? 0) + 2 * Math.max(d, 0);',
    bug: 'PN-counter: an increment is counted twice at its origin',
  },
  {
    id: 'async-counter-merge-sums',
    engine: 'async',
    file: 'src/engines/async/rules/pncounter.ts',
    search: 'st.p[ch.node] = Math.max(p, ch.p);',
    replace: 'st.p[ch.node] = p + ch.p;',
    bug: 'PN-counter merge adds totals instead of taking the maximum: a delta is applied again with every later change',
  },
  {
    id: 'async-vv-context-dropped',
    engine: 'async',
    file: 'src/engines/async/rules/dvv.ts',
    search: '      joinVv(st.vv, ch.ctx);\n      return true;',
    replace: '      joinVv(st.vv, { [ch.sib.node]: ch.sib.n });\n      return true;',
    bug: "version-vector merge wrong: a replica joins only the writer's dot, not the writer's context, so a write that arrives after the write that superseded it comes back as a sibling",
  },
  {
    id: 'async-vv-superseded-kept',
    engine: 'async',
    file: 'src/engines/async/rules/dvv.ts',
    search: 'st.sibs = st.sibs.filter((s) => !covered(s.node, s.n, ch.ctx));',
    replace: 'st.sibs = st.sibs.filter((s) => !covered(s.node, s.n, {}));',
    bug: 'a shipped write does not supersede the siblings its writer had seen: superseded siblings reappear',
  },
  {
    id: 'async-inventory-no-stock-check',
    engine: 'async',
    file: 'src/engines/objects/inventory.ts',
    search: "if (cur.stock < a.qty) return { type: 'fail', error: 'out-of-stock' };",
    replace: '',
    bug: 'a reservation is accepted whatever the stock (oversell)',
  },
  {
    id: 'async-queue-skips-gap',
    engine: 'async',
    file: 'src/engines/async/steps.ts',
    search: 'const gap = msg.first > got + 1; // a gap: an earlier batch was lost; wait for the resend',
    replace: 'const gap = false;',
    bug: 'a receiver accepts changes past a gap in the sequence: the lost batch is never merged',
  },

  // ── sync ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'sync-decide-on-majority',
    engine: 'sync',
    file: 'src/engines/sync/coordinator.ts',
    search: 'if (t.votes.size === t.participants.length) decide(s, t, io);',
    replace: 'if (t.votes.size >= Math.floor(t.participants.length / 2) + 1) decide(s, t, io);',
    bug: '2PC decides commit once a majority voted yes (a copy that did not vote may refuse or hold another version)',
  },
  {
    id: 'sync-ack-on-majority',
    engine: 'sync',
    file: 'src/engines/sync/coordinator.ts',
    search: 'return dec.participants.filter((p) => !acked.includes(p) && !s.d.out.has(p));',
    replace:
      'return acked.length >= Math.floor(dec.participants.length / 2) + 1 ? [] : dec.participants.filter((p) => !acked.includes(p) && !s.d.out.has(p));',
    bug: '2PC acknowledges the client once a majority of copies committed',
    equivalent:
      'the decision is logged before any copy commits, and a copy that has not applied the commit yet still holds the key locked, so its reads wait for it; the early ack is not observable by clients',
  },
  {
    id: 'sync-abort-acknowledged',
    engine: 'sync',
    file: 'src/engines/sync/coordinator.ts',
    search: '  for (const p of t.participants) io.send(p, { type: \'abort\', txn: t.txn });\n  failReq(io, t.op, error);',
    replace: "  for (const p of t.participants) io.send(p, { type: 'abort', txn: t.txn });\n  okReq(io, t.op, t.req.value ?? null);",
    bug: 'an aborted transaction is acknowledged ok to its client',
  },
  {
    id: 'sync-read-ignores-lock',
    engine: 'sync',
    file: 'src/engines/sync/participant.ts',
    search: '  if (s.locks.has(req.key)) {\n    const wid = id ?? s.waitSeq++;',
    replace: '  if (false) {\n    const wid = id ?? s.waitSeq++;',
    bug: 'a read does not wait for an in-doubt transaction on its key (reads between the first and last copy committing)',
  },
  {
    id: 'sync-version-not-bumped',
    engine: 'sync',
    file: 'src/engines/sync/coordinator.ts',
    search: 'const version: Version = { ts: Math.max(io.clock(), (newest.version?.ts ?? 0) + 1), txn: t.txn };',
    replace: 'const version: Version = { ts: io.clock(), txn: t.txn };',
    bug: 'a commit version is the coordinator clock alone: a coordinator whose clock is behind writes an older version than the one it replaces',
  },
  {
    id: 'sync-read-without-lease',
    engine: 'sync',
    file: 'src/engines/sync/participant.ts',
    search: "  if (!leaseValid(s, io.now(), io.clock())) return failReq(io, req.op, 'no-read-lease');\n",
    replace: '',
    bug: 'a copy serves reads without a valid read lease (a copy being removed from scope keeps answering)',
  },

  // ── raft ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'raft-figure8-old-term-commit',
    engine: 'raft',
    file: 'src/engines/raft/group.ts',
    search: 'if (q > g.commit && termAt(g.log, q) === g.term) {',
    replace: 'if (q > g.commit) {',
    bug: 'Figure 8: a leader commits an entry of an earlier term by counting replicas',
  },
  {
    id: 'raft-lease-never-expires',
    engine: 'raft',
    file: 'src/engines/raft/group.ts',
    search: 'env.ctx.now() < g.leaseStart + env.cfg.lease_us',
    replace: 'env.ctx.now() >= 0',
    bug: 'lease reads without expiry: a deposed leader keeps serving reads from its lease',
  },
  {
    id: 'raft-follower-applies-past-commit',
    engine: 'raft',
    file: 'src/engines/raft/group.ts',
    search: 'const target = Math.min(m.commit, lastNew);',
    replace: 'const target = Math.max(m.commit, lastNew);',
    bug: "a follower applies every entry it receives, past the leader's commit index",
  },
  {
    id: 'raft-retry-applied-twice',
    engine: 'raft',
    file: 'src/engines/raft/model.ts',
    search: 'if (prior) return { result: prior, duplicate: true };',
    replace: "if (prior && e.f === 'read') return { result: prior, duplicate: true };",
    bug: 'a retried proposal that landed in the log twice is applied twice',
  },
  {
    id: 'raft-quorum-minority',
    engine: 'raft',
    file: 'src/engines/raft/group.ts',
    search: 'return Math.floor(g.peers.length / 2) + 1;',
    replace: 'return Math.floor(g.peers.length / 2);',
    bug: 'quorum off by one: a minority elects leaders and commits',
  },
  {
    id: 'raft-vote-ignores-log',
    engine: 'raft',
    file: 'src/engines/raft/group.ts',
    search: '  if (canVote && upToDate) {',
    replace: '  if (canVote) {',
    bug: "a vote is granted to a candidate whose log is behind the voter's (leader completeness)",
  },
  {
    id: 'raft-votes-twice',
    engine: 'raft',
    file: 'src/engines/raft/group.ts',
    search: 'const canVote = g.vote === from || (g.vote === null && g.lead === null) || (m.pre && m.term > g.term);',
    replace: 'const canVote = true;',
    bug: 'a node votes for every candidate in a term (two leaders in one term)',
  },
  {
    id: 'raft-read-index-unconfirmed',
    engine: 'raft',
    file: 'src/engines/raft/group.ts',
    search: 'if (r.seq > 0 && r.seq <= q && g.applied >= r.readIndex) serveRead(g, r.req, env);',
    replace: 'if (r.seq > 0 && g.applied >= r.readIndex) serveRead(g, r.req, env);',
    bug: 'a read-index read is served before a quorum confirmed the leader is still leader',
  },
];
