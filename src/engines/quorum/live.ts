/**
 * The coordinator's view of a key's replicas: which it believes up (failure detector), and
 * whether those are enough for a level (else the request fails Unavailable at once, before
 * anything is sent, as Cassandra does).
 */
import type { ClientRequest, Ctx } from '../engine.js';
import { believedUp } from './detector.js';
import { count, meets, newTally, type Need, type Tally } from './levels.js';
import type { Placement } from './ring.js';
import type { QuorumMsg, QuorumState } from './types.js';

export interface LiveView {
  /** per replica index: believed up */
  up: boolean[];
  tally: Tally;
}

/** Which replicas of `p` this coordinator believes up at `now_us`. */
export function liveReplicas(s: QuorumState, p: Placement, now_us: number): LiveView {
  const c = s.env;
  const tally = newTally(c.rf.length);
  const up: boolean[] = new Array<boolean>(p.nodes.length);
  for (let i = 0; i < p.nodes.length; i++) {
    const u = believedUp(c, s.fd, s.self, p.nodes[i]!, now_us);
    up[i] = u;
    if (u) count(tally, p.regionIdx[i]!);
  }
  return { up, tally };
}

/** Whether the replicas believed up can meet `need`. */
export function available(view: LiveView, need: Need): boolean {
  return meets(need, view.tally);
}

/**
 * A request at its coordinator: the key's replicas and which are believed up, or undefined
 * when those cannot meet `need` (the client got `fail unavailable`: nothing was sent).
 */
export function admit(s: QuorumState, req: ClientRequest, need: Need, ctx: Ctx<QuorumMsg>): { p: Placement; view: LiveView } | undefined {
  const p = s.env.replicasOf(req.key);
  const view = liveReplicas(s, p, ctx.now());
  if (available(view, need)) return { p, view };
  s.stats.unavailable++;
  ctx.reply(req.op, { type: 'fail', error: 'unavailable' });
  return undefined;
}
