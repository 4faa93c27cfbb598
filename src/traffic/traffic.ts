/**
 * The clients' side of the world: generating operations, sending each to the node the
 * routing picks, waiting for replies until a deadline, and recording every invoke and
 * completion. It reaches nodes only through `TrafficHost` (src/run/world.ts wires it): the
 * engines learn nothing about clients beyond the requests they receive.
 */
import type { ClientRequest, OpResult } from '../engines/engine.js';
import type { HistoryRecord, OpFn, Value } from '../history/types.js';
import { DROPPED, type Network } from '../net/network.js';
import { opId } from '../sim/ids.js';
import type { ClientPolicySpec, Scenario } from '../scenario/types.js';
import { keyChooser, type KeyChooser } from '../workload/keys.js';
import { fillDraft, mixRemembers, mixTable, pickOp, type OpDraft } from '../workload/ops.js';
import type { Layout } from '../run/topology.js';
import { interArrival, makeClient, type ClientRt } from './clients.js';
import type { Scheduler, TrafficEv } from './events.js';
import { Failover, nearestFirst } from './failover.js';
import { GlobalRouting } from './routing.js';
import { OpsPerSecond } from './left.js';
import { backoff_us, budgetAllows, type Budget } from './retry.js';
import { admit, CLOSED, record as recordOutcome, type BreakerState } from './breaker.js';
import { stream, type Rng } from '../sim/rng.js';
import { classTable, pickClass, type ClassTable } from '../workload/classes.js';
import { maxFactor, nextArrival } from '../workload/shape.js';
import { OpenOps } from './open-ops.js';

/** What the traffic layer needs of the world. */
export interface TrafficHost {
  record(r: HistoryRecord): void;
  /** writes a key's own `replicas` record before its first op, when it has one */
  placeKey(key: string, now: number): void;
  /** hands a request to the network towards `node`; `prio` is its class's rank (shedding) */
  deliver(c: ClientRt, node: number, req: ClientRequest, prio: number, now: number): void;
  nodeId(node: number): string;
  /** whether `node` is up and reachable from the endpoint (a probe gets an answer) */
  nodeAnswers(node: number, fromEndpoint: number): boolean;
  /** a client op was invoked (the backup service remembers writes for reapply); optional */
  invoked?(id: number, f: OpFn, key: string, value: Value | undefined, node: number, now: number): void;
}

/** One attempt in flight, by the op id the engine sees (the logical op's id for the first). */
interface PendingOp {
  client: number;
  f: OpFn;
  /** the node the request went to (failover counts timeouts per region) */
  node: number;
  /** the logical op (its `invoke` in the history) */
  logical: number;
  attempt: number;
}

/** Ended attempts kept for reuse (a run has at most a few thousand open at once). */
const FREE_PENDING = 4096;

/** A logical op of a client that retries, from its invoke to its completion. */
interface LogicalOp {
  client: number;
  f: OpFn;
  key: string;
  value: Value | undefined;
  attempt: number;
  /** the op's class rank, for shedding (1 without classes) */
  prio: number;
  /** an earlier attempt timed out: it may have been applied, so the op can no longer `fail` */
  unknown: boolean;
  /** attempts sent and not yet answered or timed out (2 while a hedge races the first) */
  inFlight: number;
  hedged: boolean;
}

export class Traffic {
  readonly clients: ClientRt[] = [];
  readonly pending = new OpenOps<PendingOp>();
  /**
   * Attempts that ended, reused by the next ones: an object per op lived a few events and
   * died young, and the window of open attempts (an old array) pointing at young objects
   * made each scavenge visit it; reused ones are old, so storing them costs neither.
   */
  private readonly freePending: PendingOp[] = [];
  nextOp = 1;
  generating = true;
  /** the engine's first reply to each op id: 0 none yet, 1 ok, 2 fail (index: op id) */
  private replied = new Uint8Array(1024);
  /** ops the operator runs on a node (reapply), answered without a client */
  private readonly operatorOps = new Set<number>();
  private readonly chooseKey: KeyChooser;
  private readonly mix: Array<{ f: OpFn; upTo: number }>;
  private readonly failover: Failover | undefined;
  /** retries (`client:`): the policy, open logical ops, attempt id → logical id, budgets */
  private readonly retry: ClientPolicySpec | undefined;
  private readonly logical = new Map<number, LogicalOp>();
  private readonly attemptOf = new Map<number, number>();
  private readonly budgets: Budget[];
  private readonly retryRngs: Rng[];
  private readonly attemptTimeout_us: number;
  /** hedging (`client.hedge`): a second attempt elsewhere when the first is slow */
  private readonly hedgeAfter_us: number | undefined;
  /** whether logical ops are tracked beyond their first attempt (retries or hedging) */
  private readonly tracking: boolean;
  /** circuit breakers: per client, per region (absent without `client.breaker`) */
  private readonly breakers: BreakerState[][] | undefined;
  private readonly routing: GlobalRouting | undefined;
  /** every move of a client's traffic, in time order (few: one per client per health change) */
  readonly moves: Array<{ t: number; client: number; from: number; to: number }> = [];
  /** ops invoked per (second, region): where traffic went over time (routing metrics) */
  readonly opsPerSecond: OpsPerSecond;
  private readonly regionOfNode: Int32Array;
  /** client classes, when the workload has some, and each client's stream for drawing them */
  private readonly classes: ClassTable | undefined;
  private readonly classRngs: Rng[] = [];
  /** the load shape's peak factor (thinning), when the workload has a shape */
  private readonly loadMax: number;
  /**
   * Each client's `gen` and `timeout` events, scheduled again and again: a client has at most
   * one of each queued (the next arrival; the timer while armed), and the kernel lets go of an
   * event once it has run, so one object each serves the whole run instead of one per op.
   */
  private readonly genEv: Array<TrafficEv & { k: 'gen' }>;
  private readonly timeoutEv: Array<TrafficEv & { k: 'timeout' }>;
  /** the generated op being drafted (filled and read at once, never kept) */
  private readonly draft: OpDraft = { f: 'read', key: '', value: undefined };

  constructor(
    private readonly s: Scenario,
    private readonly layout: Layout,
    private readonly net: Network,
    private readonly sched: Scheduler,
    private readonly host: TrafficHost,
  ) {
    this.chooseKey = keyChooser(s.workload);
    this.mix = mixTable(s.workload.model, s.workload.mix);
    layout.clients.forEach((c, i) => this.clients.push(makeClient(i, c, s.seed)));
    // only generated cas and remove read what a client wrote or added (scripted ops do not)
    if (!mixRemembers(this.mix)) for (const c of this.clients) c.mem.remember = false;
    this.genEv = this.clients.map((c) => ({ k: 'gen', client: c.index }));
    this.timeoutEv = this.clients.map((c) => ({ k: 'timeout', client: c.index }));
    this.regionOfNode = Int32Array.from(layout.nodes, (n) => n.regionIndex);
    this.classes = s.workload.classes ? classTable(s.workload.classes) : undefined;
    if (this.classes) for (const c of this.clients) this.classRngs.push(stream(s.seed, `classes/${c.id}`));
    this.loadMax = s.workload.load ? maxFactor(s.workload.load) : 1;
    this.opsPerSecond = new OpsPerSecond(layout.regions.length, s.duration_us);
    this.retry = s.client && s.client.retries > 0 ? s.client : undefined;
    this.attemptTimeout_us = s.client?.attempt_timeout_us ?? s.workload.timeout_us;
    this.budgets = this.retry ? this.clients.map(() => ({ firsts: 0, retries: 0 })) : [];
    this.retryRngs = this.retry ? this.clients.map((c) => stream(s.seed, `retry/${c.id}`)) : [];
    this.hedgeAfter_us = s.client?.hedge_after_us;
    this.tracking = this.retry !== undefined || this.hedgeAfter_us !== undefined;
    this.breakers = s.client?.breaker ? this.clients.map(() => layout.regions.map(() => CLOSED)) : undefined;
    const fo = s.workload.failover;
    this.failover = fo
      ? new Failover(fo, layout, net, this.clients, s.workload.timeout_us, sched, {
          move: (c, node, reason, now) => this.move(c, node, reason, now),
          nodeAnswers: (node, from) => host.nodeAnswers(node, from),
        })
      : undefined;
    this.routing = s.routing
      ? new GlobalRouting(s.routing, layout, net, this.clients, sched, {
          move: (c, node, reason, now) => this.move(c, node, reason, now),
          nodeAnswers: (node, from) => host.nodeAnswers(node, from),
        }, s.seed)
      : undefined;
  }

  /** Schedules each generating client's first op and the script. */
  start(): void {
    for (const c of this.clients) {
      if (c.rate_per_s > 0) this.scheduleGen(c, 0);
    }
    this.s.workload.script.forEach((op, index) => this.sched.at(op.at_us, { k: 'script', index }));
    this.routing?.start();
  }

  dispatch(e: TrafficEv, now: number): void {
    switch (e.k) {
      case 'rep':
        this.complete(e.op, e.result, now);
        return;
      case 'timeout':
        this.expire(this.clients[e.client] as ClientRt, now);
        return;
      case 'gen': {
        if (!this.generating) return;
        const c = this.clients[e.client] as ClientRt;
        const id = this.nextOp++;
        const f = pickOp(this.mix, c.rng);
        const key = this.chooseKey(c.rng);
        const d = fillDraft(this.draft, this.s.workload.model, f, key, id, c.rng, c.mem);
        const cls = this.classes ? pickClass(this.classes, this.classRngs[c.index] as Rng) : -1;
        this.invoke(c, id, d.f, d.key, d.value, now, cls);
        this.scheduleGen(c, now);
        return;
      }
      case 'script': {
        const sc = this.s.workload.script[e.index];
        if (!sc) return;
        const ci = this.layout.clientIndex.get(sc.client);
        if (ci === undefined) return;
        const id = this.nextOp++;
        this.invoke(this.clients[ci] as ClientRt, id, sc.op as OpFn, sc.key, sc.value as Value, now);
        return;
      }
      case 'probe_tick':
        this.failover?.onProbeTick(this.clients[e.client] as ClientRt, now);
        return;
      case 'probe':
        this.failover?.onProbe(this.clients[e.client] as ClientRt, e.node, e.back, now);
        return;
      case 'reroute':
        this.failover?.reroute(this.clients[e.client] as ClientRt, now);
        return;
      case 'retry':
        this.sendRetry(this.clients[e.client] as ClientRt, e.op, now);
        return;
      case 'hedge':
        this.sendHedge(this.clients[e.client] as ClientRt, e.op, now);
        return;
      case 'hc_tick':
        this.routing?.health.tick(now);
        return;
      case 'hc':
        this.routing?.health.onProbe(e.v, e.r, e.node, e.seq, e.back, now);
        return;
      case 'hc_due':
        this.routing?.health.onDue(e.v, e.r, e.seq, now);
        return;
      case 'dns':
        this.routing?.onDns(this.clients[e.client] as ClientRt, now);
        return;
      case 'converge':
        this.routing?.onConverge(e.v, now);
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown traffic event ${JSON.stringify(never)}`);
      }
    }
  }

  /** The client's next generated op: Poisson at its rate, or thinned by the load shape. */
  private scheduleGen(c: ClientRt, now: number): void {
    const load = this.s.workload.load;
    if (!load) {
      this.sched.at(now + interArrival(c), this.genEv[c.index] as TrafficEv);
      return;
    }
    const d = nextArrival(load, this.loadMax, c.rate_per_s, c.rng, now, this.s.duration_us);
    if (d !== Infinity) this.sched.at(now + d, this.genEv[c.index] as TrafficEv);
  }

  private invoke(c: ClientRt, id: number, f: OpFn, key: string, value: Value | undefined, now: number, cls = -1): void {
    const target = this.routeFor(c, f);
    const node = this.host.nodeId(target);
    this.opsPerSecond.add(now, this.regionOfNode[target] as number);
    this.host.placeKey(key, now);
    const rec: HistoryRecord =
      value === undefined
        ? { t: now, type: 'invoke', op: id, client: c.id, node, f, key }
        : { t: now, type: 'invoke', op: id, client: c.id, node, f, key, value };
    if (cls >= 0 && this.classes) rec.class = this.classes.names[cls] as string;
    this.host.record(rec);
    this.host.invoked?.(id, f, key, value, target, now);
    this.growReplied(id);
    const prio = cls >= 0 && this.classes ? (this.classes.ranks[cls] as number) : 1;
    if (this.tracking) this.logical.set(id, { client: c.index, f, key, value, attempt: 1, prio, unknown: false, inFlight: 0, hedged: false });
    if (this.retry) (this.budgets[c.index] as Budget).firsts++;
    this.send(c, id, id, 1, f, key, value, target, prio, now);
  }

  /** Sends one attempt (engine op id `id`) of logical op `logical` and arms its deadline. */
  private send(c: ClientRt, id: number, logical: number, attempt: number, f: OpFn, key: string, value: Value | undefined, target: number, prio: number, now: number): void {
    const p = this.freePending.pop();
    if (p === undefined) this.pending.set(id, { client: c.index, f, node: target, logical, attempt });
    else {
      p.client = c.index;
      p.f = f;
      p.node = target;
      p.logical = logical;
      p.attempt = attempt;
      this.pending.set(id, p);
    }
    const l = this.tracking ? this.logical.get(logical) : undefined;
    if (l) {
      l.inFlight++;
      if (this.hedgeAfter_us !== undefined && !l.hedged) this.sched.after(this.hedgeAfter_us, { k: 'hedge', client: c.index, op: logical });
    }
    if (this.breakers) {
      const row = this.breakers[c.index] as BreakerState[];
      const r = this.regionOfNode[target] as number;
      const d = admit(row[r] as BreakerState, now);
      row[r] = d.next;
      if (!d.ok) {
        // fails at once, unsent: definitely not applied (a retry may still go through later)
        this.sched.at(now, { k: 'rep', client: c.index, op: id, result: { type: 'fail', error: 'circuit open' } });
        return;
      }
    }
    c.deadlines.push(id, now + this.attemptTimeout_us);
    if (!c.timerArmed) {
      c.timerArmed = true;
      this.sched.at(now + this.attemptTimeout_us, this.timeoutEv[c.index] as TrafficEv);
    }
    const req: ClientRequest =
      value === undefined
        ? { op: opId(id), client: c.id as ClientRequest['client'], f, key }
        : { op: opId(id), client: c.id as ClientRequest['client'], f, key, value };
    this.host.deliver(c, target, req, prio, now);
  }

  /** The next attempt of `logical`: a fresh engine op id, an `attempt` record, the same request. */
  private sendRetry(c: ClientRt, logical: number, now: number): void {
    const l = this.logical.get(logical);
    if (!l) return;
    l.attempt++;
    const id = this.nextOp++;
    this.growReplied(id);
    this.attemptOf.set(id, logical);
    const target = this.routeFor(c, l.f);
    this.opsPerSecond.add(now, this.regionOfNode[target] as number);
    this.host.record({ t: now, type: 'attempt', op: logical, attempt: l.attempt, node: this.host.nodeId(target) });
    this.send(c, id, logical, l.attempt, l.f, l.key, l.value, target, l.prio, now);
  }

  /**
   * A hedge: the op's attempt is still unanswered after `hedge.after`, so the same request
   * goes to another node too (the next node of the region, or the nearest other region);
   * the first answer wins. At most one hedge per op.
   */
  private sendHedge(c: ClientRt, logical: number, now: number): void {
    const l = this.logical.get(logical);
    if (!l || l.hedged || l.inFlight === 0) return;
    l.hedged = true;
    l.attempt++;
    const id = this.nextOp++;
    this.growReplied(id);
    this.attemptOf.set(id, logical);
    const target = this.hedgeTarget(c);
    this.opsPerSecond.add(now, this.regionOfNode[target] as number);
    this.host.record({ t: now, type: 'attempt', op: logical, attempt: l.attempt, node: this.host.nodeId(target) });
    this.send(c, id, logical, l.attempt, l.f, l.key, l.value, target, l.prio, now);
  }

  private hedgeTarget(c: ClientRt): number {
    const r = this.regionOfNode[c.node] as number;
    const same = this.layout.nodes.filter((n) => n.regionIndex === r).map((n) => n.index);
    if (same.length > 1) return same[(same.indexOf(c.node) + 1) % same.length] as number;
    const order = nearestFirst(this.layout.regions, this.layout.regions[r] as string, (a, b) => this.net.baseLatency(a, b));
    const other = order[1];
    return other === undefined ? c.node : (this.layout.nodes.find((n) => n.regionIndex === other)?.index ?? c.node);
  }

  /** Whether attempt `p` may be followed by another (attempts and budget left); if so, schedules it. */
  private retryAfter(p: PendingOp, unknown: boolean): boolean {
    const r = this.retry;
    const l = this.logical.get(p.logical);
    if (!r || !l) return false;
    if (unknown) l.unknown = true;
    const b = this.budgets[p.client] as Budget;
    if (l.attempt >= 1 + r.retries || !budgetAllows(r, b)) return false;
    b.retries++;
    this.sched.after(backoff_us(r, l.attempt + 1, this.retryRngs[p.client] as Rng), { k: 'retry', client: p.client, op: p.logical });
    return true;
  }

  /** Feeds an attempt's outcome to its client's breaker for the region it went to. */
  private noteOutcome(p: PendingOp, success: boolean, now: number): void {
    const spec = this.s.client?.breaker;
    if (!this.breakers || !spec) return;
    const row = this.breakers[p.client] as BreakerState[];
    const r = this.regionOfNode[p.node] as number;
    row[r] = recordOutcome(row[r] as BreakerState, spec, success, now);
  }

  /** The logical op an engine op id belongs to (itself unless it is a retry attempt). */
  logicalOf(op: number): number {
    return this.attemptOf.size === 0 ? op : (this.attemptOf.get(op) ?? op);
  }

  /**
   * An op the operator runs on a node itself (a reapply after a restore): recorded like a
   * client's, from `REGION/operator`, completed by the engine's reply with no network and no
   * deadline. Returns the request to hand to the engine.
   */
  operatorOp(node: string, region: string, f: OpFn, key: string, value: Value | undefined, now: number): ClientRequest {
    const id = this.nextOp++;
    // Named in the node's region, so the region's availability counts the operator's writes.
    const client = `${region}/operator`;
    this.host.record(
      value === undefined ? { t: now, type: 'invoke', op: id, client, node, f, key } : { t: now, type: 'invoke', op: id, client, node, f, key, value },
    );
    this.growReplied(id);
    this.operatorOps.add(id);
    return value === undefined
      ? { op: opId(id), client: client as ClientRequest['client'], f, key }
      : { op: opId(id), client: client as ClientRequest['client'], f, key, value };
  }

  /** An attempt no longer pending and no longer used: kept for the next one. */
  private release(p: PendingOp): void {
    if (this.freePending.length < FREE_PENDING) this.freePending.push(p);
  }

  private growReplied(id: number): void {
    if (id >= this.replied.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.replied.length * 2));
      grown.set(this.replied);
      this.replied = grown;
    }
  }

  /**
   * The engine's reply to `op` from node `from`. The first one goes to the client (if it still
   * listens); any later one, or one to an op never invoked, is an engine bug: it is recorded
   * as `extra_reply` where and when the engine sent it (the client never sees it), so the
   * checker reports it whatever the network does with it.
   */
  engineReply(from: number, op: number, result: OpResult, now: number): void {
    const known = Number.isInteger(op) && op >= 1 && op < this.nextOp;
    const first = known ? (this.replied[op] as number) : 0;
    if (!known || first !== 0) {
      const node = this.host.nodeId(from);
      const rec: HistoryRecord =
        result.type === 'ok'
          ? { t: now, type: 'extra_reply', op, node, reply: 'ok' }
          : { t: now, type: 'extra_reply', op, node, reply: 'fail' };
      if (result.type === 'ok' && result.value !== undefined) rec.value = result.value;
      if (result.type !== 'ok') rec.error = result.error;
      if (known) rec.first = first === 1 ? 'ok' : 'fail';
      this.host.record(rec);
      return;
    }
    this.replied[op] = result.type === 'ok' ? 1 : 2;
    // (size first: operators reapply only after a restore, and a set lookup per reply adds up)
    if (this.operatorOps.size > 0 && this.operatorOps.delete(op)) {
      // the operator runs on the node itself: the answer is there at once
      this.host.record(result.type === 'ok' ? { t: now, type: 'ok', op, ...(result.value === undefined ? {} : { value: result.value }) } : { t: now, type: 'fail', op, error: result.error });
      return;
    }
    const p = this.pending.get(op);
    if (!p) return; // the client timed out and stopped listening
    const c = this.clients[p.client] as ClientRt;
    const at = this.net.sendAt(from, c.endpoint, now);
    if (at === DROPPED) return;
    this.sched.at(at, { k: 'rep', client: p.client, op, result });
  }

  /** Ops whose deadline passed without a reply become `info`: they may or may not have happened. */
  private expire(c: ClientRt, now: number): void {
    const d = c.deadlines;
    while (d.length > 0 && d.firstTime() <= now) {
      const op = d.firstOp();
      d.shift();
      const p = this.pending.get(op);
      if (!p) continue; // answered in time
      this.pending.delete(op);
      this.timedOut(c, p, now);
      this.release(p);
    }
    // Answered ops need no timer: wake next for the oldest op still waiting.
    while (d.length > 0 && !this.pending.has(d.firstOp())) d.shift();
    if (d.length > 0) this.sched.at(d.firstTime(), this.timeoutEv[c.index] as TrafficEv);
    else c.timerArmed = false;
  }

  /** An attempt's deadline passed (it is no longer pending): a retry, or the op ends as `info`. */
  private timedOut(c: ClientRt, p: PendingOp, now: number): void {
    this.noteOutcome(p, false, now);
    if (this.tracking) {
      const l = this.logical.get(p.logical);
      if (!l) return; // another attempt already completed the op
      l.inFlight--;
      l.unknown = true;
      if (l.inFlight > 0) return; // a hedge is still racing
    }
    if (this.retryAfter(p, true)) {
      this.failover?.onTimeout(c, p.node, now);
      return;
    }
    this.logical.delete(p.logical);
    this.host.record({ t: now, type: 'info', op: p.logical, error: 'timeout' });
    this.failover?.onTimeout(c, p.node, now);
  }

  /** Which node a client sends this op to: its current node, or its sticky node for reads. */
  private routeFor(c: ClientRt, f: OpFn): number {
    if (this.s.workload.sessions === 'sticky' && f === 'read' && c.stickyNode !== undefined) return c.stickyNode;
    return this.routing ? this.routing.target(c) : c.node;
  }

  private complete(op: number, result: OpResult, now: number): void {
    const p = this.pending.get(op);
    if (!p) return; // already timed out: the client stopped listening
    this.pending.delete(op);
    this.answered(p, result, now);
    this.release(p);
  }

  /** An attempt's answer reached its client (it is no longer pending). */
  private answered(p: PendingOp, result: OpResult, now: number): void {
    const c = this.clients[p.client] as ClientRt;
    const L = p.logical;
    if (!(result.type === 'fail' && result.error === 'circuit open')) this.noteOutcome(p, result.type === 'ok', now);
    if (this.tracking) {
      const l = this.logical.get(L);
      if (!l) return; // another attempt already completed the op
      l.inFlight--;
      if (result.type !== 'ok' && l.inFlight > 0) return; // wait for the racing attempt
    }
    if (result.type === 'ok') {
      this.logical.delete(L);
      this.host.record(
        result.value === undefined ? { t: now, type: 'ok', op: L } : { t: now, type: 'ok', op: L, value: result.value },
      );
      this.failover?.onAnswer(c, p.node);
      if (p.f !== 'read' && this.s.workload.sessions === 'sticky') c.stickyNode = c.node;
    } else {
      if (this.retryAfter(p, false)) return;
      const l = this.logical.get(L);
      this.logical.delete(L);
      // A `fail` says the op did not happen; after an attempt that timed out it may have.
      if (l?.unknown) this.host.record({ t: now, type: 'info', op: L, error: `${result.error} (after an attempt with unknown outcome)` });
      else this.host.record({ t: now, type: 'fail', op: L, error: result.error });
    }
  }

  /** Moves a client to another node and records when and why its traffic moved. */
  private move(c: ClientRt, node: number, reason: string, now: number): void {
    const from = c.node;
    c.node = node;
    this.moves.push({ t: now, client: c.index, from, to: node });
    this.host.record({ t: now, type: 'route', client: c.id, from: this.host.nodeId(from), to: this.host.nodeId(node), reason });
  }

  /** Ops still open at the end are closed as `info`: they may or may not have happened. */
  closeOpen(now: number, push: (r: HistoryRecord) => void): void {
    // logical ops: in flight, or waiting for their next attempt
    const ids = new Set<number>(this.pending.values().map((p) => p.logical));
    for (const id of this.logical.keys()) ids.add(id);
    const open = [...ids].sort((a, b) => a - b);
    this.logical.clear();
    for (const op of open) push({ t: now, type: 'info', op, error: 'run ended' });
    this.pending.clear();
  }
}
