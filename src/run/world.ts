/**
 * The simulated world: nodes running an engine, clients issuing operations, the network
 * between them and the fault timeline. The kernel pops events; `dispatch` delivers each one.
 * Engines act only through their ctx, whose methods are the effects the world performs.
 */
import type { ClientRequest, Ctx, Engine, OpResult, Timer, Topology } from '../engines/engine.js';
import type { HistoryWriter } from '../history/writer.js';
import type { HistoryRecord, OpFn, Value } from '../history/types.js';
import type { Kernel } from '../sim/kernel.js';
import { stream, type Rng } from '../sim/rng.js';
import { nodeId, opId, regionId, type NodeId, type OpId } from '../sim/ids.js';
import { micros, type Micros } from '../sim/time.js';
import type { Scenario } from '../scenario/types.js';
import { Network } from '../net/network.js';
import { localTime, makeClock, type Clock } from '../node/clock.js';
import { keyChooser, type KeyChooser } from '../workload/keys.js';
import { draftValue, mixTable, newGenMemory, pickOp, type GenMemory } from '../workload/ops.js';
import { nodesOfTarget, type Layout } from './topology.js';
import { replicaPlacement, type ReplicaPlacement } from './replicas.js';
import { RecordBudget, type HeapProbe } from './limits.js';
import { BackupService, type BackupEvent, type BackupHost } from '../backup/service.js';
import type { Change } from '../backup/changes.js';

/** Everything that can happen, as data. */
export type Ev =
  | { k: 'gen'; client: number }
  | { k: 'script'; index: number }
  | { k: 'req'; node: number; client: number; req: ClientRequest }
  | { k: 'rep'; client: number; op: number; result: OpResult }
  | { k: 'timeout'; client: number }
  | { k: 'msg'; from: number; to: number; msg: unknown }
  | { k: 'timer'; node: number; epoch: number; timer: Timer }
  | { k: 'fault'; index: number }
  | { k: 'fault_end'; index: number }
  | { k: 'chaos'; index: number }
  | { k: 'settle' }
  | { k: 'backup'; ev: BackupEvent };

type NodeStatus = 'up' | 'down' | 'paused';

interface NodeRt {
  index: number;
  id: NodeId;
  status: NodeStatus;
  state: unknown;
  durable: unknown;
  epoch: number;
  clock: Clock;
  ctx: Ctx<unknown>;
  /** timers that fired while paused, re-armed on resume */
  heldTimers: Timer[];
}

interface ClientRt {
  index: number;
  endpoint: number;
  id: string;
  region: string;
  rate_per_s: number;
  node: number;
  rng: Rng;
  mem: GenMemory;
  /** node of the client's last acknowledged write (sticky sessions) */
  stickyNode: number | undefined;
  /** failover: when the first unanswered timeout of the current streak began */
  failingSince: number | undefined;
  regionOrder: number[];
  regionCursor: number;
  /**
   * Ops in invoke order with their deadlines. Every op of a client has the same timeout, so
   * the oldest is always due first: one timer per client instead of one event per op.
   */
  deadlineOps: number[];
  deadlines: number[];
  deadlineHead: number;
  timerArmed: boolean;
}

interface PendingOp {
  client: number;
  f: OpFn;
}

export interface WorldOptions {
  scenario: Scenario;
  layout: Layout;
  engine: Engine<unknown, unknown, unknown>;
  kernel: Kernel<Ev>;
  history: HistoryWriter;
  topology: Topology;
  network: Network;
  /** heap probe for `max_heap_mb` (the CLI's; absent in tests and the library's default) */
  heap?: HeapProbe;
}

export class World {
  readonly nodes: NodeRt[] = [];
  readonly clients: ClientRt[] = [];
  readonly pending = new Map<number, PendingOp>();
  nextOp = 1;
  generating = true;
  maxHistoryHit = false;
  readonly budget: RecordBudget;
  readonly engineMetrics: Array<Record<string, number>> = [];
  private readonly s: Scenario;
  private readonly kernel: Kernel<Ev>;
  private readonly h: HistoryWriter;
  private readonly engine: Engine<unknown, unknown, unknown>;
  readonly net: Network;
  private readonly chooseKey: KeyChooser;
  private readonly mix: Array<{ f: OpFn; upTo: number }>;
  readonly layout: Layout;
  readonly topology: Topology;
  readonly faultRng: Rng;
  /** which nodes should hold each key (from the scenario), for the `replicas` records */
  private readonly placement: ReplicaPlacement;
  /** keys whose own `replicas` record is written (before their first op) */
  private readonly placedKeys = new Set<string>();
  /** the engine's first reply to each op id: 0 none yet, 1 ok, 2 fail (index: op id) */
  private replied = new Uint8Array(1024);
  /** nodes an operator took out of the replica set (sync `remove` not yet undone by `rejoin`) */
  private readonly removed: boolean[];
  /** operator actions so far: the configuration number of the latest remove/rejoin */
  private adminConfig = 0;
  /** backups and restores (src/backup), when the scenario has a `backup` section */
  readonly backups: BackupService | undefined;
  /** nodes an operator took out of client traffic (a runbook's isolate step) */
  private readonly drained: boolean[] = [];

  constructor(o: WorldOptions) {
    this.s = o.scenario;
    this.kernel = o.kernel;
    this.h = o.history;
    this.engine = o.engine;
    this.layout = o.layout;
    this.topology = o.topology;
    this.net = o.network;
    this.chooseKey = keyChooser(o.scenario.workload);
    this.mix = mixTable(o.scenario.workload.model, o.scenario.workload.mix);
    this.faultRng = stream(o.scenario.seed, 'faults');
    this.placement = replicaPlacement(o.scenario, o.topology);
    this.removed = o.layout.nodes.map(() => false);
    this.budget = new RecordBudget(o.scenario.limits, o.heap);
    for (const n of o.layout.nodes) {
      const regionClock = o.scenario.regions[n.region]?.clock;
      const c = o.scenario.clocks[n.id] ?? regionClock ?? { offset_us: micros(0), drift_ppm: 0 };
      const rt: NodeRt = {
        index: n.index,
        id: n.id,
        status: 'up',
        state: undefined,
        durable: undefined,
        epoch: 0,
        clock: makeClock(c.offset_us, c.drift_ppm),
        ctx: undefined as unknown as Ctx<unknown>,
        heldTimers: [],
      };
      rt.ctx = this.makeCtx(rt);
      this.nodes.push(rt);
    }
    for (const c of o.layout.clients) {
      this.clients.push({
        index: this.clients.length,
        endpoint: c.endpoint,
        id: c.id,
        region: c.region,
        rate_per_s: c.rate_per_s,
        node: c.homeNode,
        rng: stream(o.scenario.seed, `workload/${c.id}`),
        mem: newGenMemory(),
        stickyNode: undefined,
        failingSince: undefined,
        regionOrder: this.failoverOrder(c.region),
        regionCursor: 0,
        deadlineOps: [],
        deadlines: [],
        deadlineHead: 0,
        timerArmed: false,
      });
    }
    // after the nodes: the service keeps one change log per node
    this.backups = o.scenario.backup ? new BackupService(o.scenario.backup, this.backupHost(), o.scenario.runbook) : undefined;
  }

  // ---- start ---------------------------------------------------------------------------

  start(): void {
    this.record({ t: 0, type: 'replicas', key: '*', nodes: [...this.placement.all] });
    for (const n of this.nodes) n.state = this.engine.init(n.id, undefined, n.ctx);
    for (const c of this.clients) {
      if (c.rate_per_s > 0) this.kernel.at(this.interArrival(c), { k: 'gen', client: c.index });
    }
    this.s.workload.script.forEach((op, index) => this.kernel.at(op.at_us, { k: 'script', index }));
    this.s.faults.forEach((f, index) => this.kernel.at(f.at_us, { k: 'fault', index }));
    this.kernel.at(this.s.duration_us, { k: 'settle' });
    this.backups?.start();
  }

  private interArrival(c: ClientRt): number {
    return Math.max(1, Math.round(c.rng.exp(1_000_000 / c.rate_per_s)));
  }

  // ---- dispatch ------------------------------------------------------------------------

  /** Set by the fault injector (faults.ts); kept here so dispatch stays one switch. */
  onFault: (ev: Ev & { k: 'fault' | 'fault_end' | 'chaos' }) => void = () => undefined;
  onSettle: () => void = () => undefined;

  dispatch = (e: Ev, now: Micros): void => {
    switch (e.k) {
      case 'msg': {
        const to = this.nodes[e.to] as NodeRt;
        if (to.status !== 'up' || this.net.blocked(e.from, e.to)) return; // cut while in flight
        this.net.stats.delivered++;
        this.engine.onMessage(to.state, (this.nodes[e.from] as NodeRt).id, e.msg, to.ctx);
        return;
      }
      case 'timer': {
        const n = this.nodes[e.node] as NodeRt;
        if (n.epoch !== e.epoch) return;
        if (n.status === 'paused') {
          n.heldTimers.push(e.timer);
          return;
        }
        if (n.status !== 'up') return;
        this.engine.onTimer(n.state, e.timer, n.ctx);
        return;
      }
      case 'req': {
        const n = this.nodes[e.node] as NodeRt;
        if (n.status !== 'up') return; // the client will time out
        if (this.drained[e.node] === true) return; // out of traffic (a runbook's isolate step)
        if (this.net.blocked((this.clients[e.client] as ClientRt).endpoint, e.node)) return;
        this.engine.onRequest(n.state, e.req, n.ctx);
        return;
      }
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
        const d = draftValue(this.s.workload.model, f, key, id, c.rng, c.mem);
        this.invoke(c, id, d.f, d.key, d.value, now);
        this.kernel.after(this.interArrival(c), e);
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
      case 'fault':
      case 'fault_end':
      case 'chaos':
        this.onFault(e);
        return;
      case 'settle':
        this.onSettle();
        return;
      case 'backup':
        this.backups?.handle(e.ev);
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  };

  // ---- clients -------------------------------------------------------------------------

  private invoke(c: ClientRt, id: number, f: OpFn, key: string, value: Value | undefined, now: number): void {
    const target = this.routeFor(c, f);
    const n = this.nodes[target] as NodeRt;
    if (this.placement.of) this.placeKey(key, this.placement.of, now);
    const rec: HistoryRecord =
      value === undefined
        ? { t: now, type: 'invoke', op: id, client: c.id, node: n.id, f, key }
        : { t: now, type: 'invoke', op: id, client: c.id, node: n.id, f, key, value };
    this.record(rec);
    this.backups?.invoked(id, f, key, value, target, now);
    this.growReplied(id);
    this.pending.set(id, { client: c.index, f });
    c.deadlineOps.push(id);
    c.deadlines.push(now + this.s.workload.timeout_us);
    if (!c.timerArmed) {
      c.timerArmed = true;
      this.kernel.at(now + this.s.workload.timeout_us, { k: 'timeout', client: c.index });
    }
    const req: ClientRequest =
      value === undefined
        ? { op: opId(id), client: c.id as ClientRequest['client'], f, key }
        : { op: opId(id), client: c.id as ClientRequest['client'], f, key, value };
    const tx = this.net.transmit(c.endpoint, target, now);
    // The client's request reaches the engine once, like its reply: a duplicated request would
    // run the operation twice (a counter added twice), and a `fail` answered for one copy would
    // hide the other copy's commit. The draw stays, so the network stream is unchanged.
    if (tx.dropped === false) this.kernel.at(tx.times[0] as number, { k: 'req', node: target, client: c.index, req });
  }

  private growReplied(id: number): void {
    if (id < this.replied.length) return;
    const grown = new Uint8Array(Math.max(id + 1, this.replied.length * 2));
    grown.set(this.replied);
    this.replied = grown;
  }

  /** A key's own `replicas` record, before its first op, when its placement differs from `*`. */
  private placeKey(key: string, of: (key: string) => readonly string[] | undefined, now: number): void {
    if (this.placedKeys.has(key)) return;
    const nodes = of(key);
    this.placedKeys.add(key);
    if (nodes === undefined) return; // `*` holds for it
    this.record({ t: now, type: 'replicas', key, nodes: [...nodes] });
  }

  /**
   * The engine's reply to `op` from node `n`. The first one goes to the client (if it still
   * listens); any later one, or one to an op never invoked, is an engine bug: it is recorded
   * as `extra_reply` where and when the engine sent it (the client never sees it), so the
   * checker reports it whatever the network does with it.
   */
  private engineReply(n: NodeRt, op: number, result: OpResult): void {
    const now = this.kernel.now;
    const known = Number.isInteger(op) && op >= 1 && op < this.nextOp;
    const first = known ? (this.replied[op] as number) : 0;
    if (!known || first !== 0) {
      const rec: HistoryRecord =
        result.type === 'ok'
          ? { t: now, type: 'extra_reply', op, node: n.id, reply: 'ok' }
          : { t: now, type: 'extra_reply', op, node: n.id, reply: 'fail' };
      if (result.type === 'ok' && result.value !== undefined) rec.value = result.value;
      if (result.type !== 'ok') rec.error = result.error;
      if (known) rec.first = first === 1 ? 'ok' : 'fail';
      this.record(rec);
      return;
    }
    this.replied[op] = result.type === 'ok' ? 1 : 2;
    const p = this.pending.get(op);
    if (!p) return; // the client timed out and stopped listening
    if (p.client === OPERATOR) {
      this.complete(op, result, now); // the operator runs on the node itself: no network
      return;
    }
    const c = this.clients[p.client] as ClientRt;
    const tx = this.net.transmit(n.index, c.endpoint, now);
    if (tx.dropped !== false) return;
    this.kernel.at(tx.times[0] as number, { k: 'rep', client: p.client, op, result });
  }

  /** Ops whose deadline passed without a reply become `info`: they may or may not have happened. */
  private expire(c: ClientRt, now: number): void {
    let h = c.deadlineHead;
    while (h < c.deadlineOps.length && (c.deadlines[h] as number) <= now) {
      const op = c.deadlineOps[h] as number;
      h++;
      if (!this.pending.has(op)) continue; // answered in time
      this.pending.delete(op);
      this.record({ t: now, type: 'info', op, error: 'timeout' });
      this.noteTimeout(c, now);
    }
    // Answered ops need no timer: wake next for the oldest op still waiting.
    while (h < c.deadlineOps.length && !this.pending.has(c.deadlineOps[h] as number)) h++;
    if (h > 1024 && h * 2 > c.deadlineOps.length) {
      c.deadlineOps.splice(0, h);
      c.deadlines.splice(0, h);
      h = 0;
    }
    c.deadlineHead = h;
    if (h < c.deadlineOps.length) this.kernel.at(c.deadlines[h] as number, { k: 'timeout', client: c.index });
    else c.timerArmed = false;
  }

  /** Which node a client sends this op to: its current node, or its sticky node for reads. */
  private routeFor(c: ClientRt, f: OpFn): number {
    if (this.s.workload.sessions === 'sticky' && f === 'read' && c.stickyNode !== undefined) return c.stickyNode;
    return c.node;
  }

  private complete(op: number, result: OpResult, now: number): void {
    const p = this.pending.get(op);
    if (!p) return; // already timed out: the client stopped listening
    this.pending.delete(op);
    if (p.client === OPERATOR) {
      this.record(result.type === 'ok' ? { t: now, type: 'ok', op, ...(result.value === undefined ? {} : { value: result.value }) } : { t: now, type: 'fail', op, error: result.error });
      return;
    }
    const c = this.clients[p.client] as ClientRt;
    if (result.type === 'ok') {
      this.record(
        result.value === undefined ? { t: now, type: 'ok', op } : { t: now, type: 'ok', op, value: result.value },
      );
      c.failingSince = undefined;
      if (p.f !== 'read' && this.s.workload.sessions === 'sticky') c.stickyNode = c.node;
    } else {
      this.record({ t: now, type: 'fail', op, error: result.error });
    }
  }

  /** Failover: after `detect` of unanswered requests (plus the DNS TTL) move to the next region. */
  private noteTimeout(c: ClientRt, now: number): void {
    const fo = this.s.workload.failover;
    if (!fo) return;
    if (c.failingSince === undefined) {
      c.failingSince = now - this.s.workload.timeout_us;
      return;
    }
    if (now - c.failingSince < fo.detect_us + fo.dns_ttl_us) return;
    c.failingSince = undefined;
    c.regionCursor = (c.regionCursor + 1) % c.regionOrder.length;
    const region = this.layout.regions[c.regionOrder[c.regionCursor] as number] as string;
    const nodes = this.layout.nodes.filter((n) => n.region === region);
    const pick = nodes[c.index % nodes.length];
    if (pick) c.node = pick.index;
  }

  /** Regions by base latency from `home` (home first), for failover. */
  private failoverOrder(home: string): number[] {
    return this.layout.regions
      .map((r, i) => ({ i, d: r === home ? -1 : this.net.baseLatency(home, r), r }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .map((x) => x.i);
  }

  // ---- engine effects ------------------------------------------------------------------

  private makeCtx(n: NodeRt): Ctx<unknown> {
    const world = this;
    return {
      self: n.id,
      region: regionId(this.layout.nodes[n.index]?.region ?? ''),
      topology: this.topology,
      rng: stream(this.s.seed, `engine/${n.id}`),
      now: () => micros(localTime(n.clock, world.kernel.now)),
      send(to: NodeId, msg: unknown) {
        const ti = world.layout.nodeIndex.get(to);
        if (ti === undefined) throw new Error(`${n.id} sent to unknown node ${to}`);
        const now = world.kernel.now;
        const tx = world.net.transmit(n.index, ti, now);
        if (tx.dropped !== false) return;
        for (const t of tx.times) world.kernel.at(t, { k: 'msg', from: n.index, to: ti, msg });
      },
      setTimer(after_us: Micros, timer: Timer) {
        world.kernel.after(after_us, { k: 'timer', node: n.index, epoch: n.epoch, timer });
      },
      reply(op: OpId, result: OpResult) {
        world.engineReply(n, op, result);
      },
      applied(key: string, value: Value, op?: OpId, version?: string) {
        const t = world.kernel.now;
        const rec: HistoryRecord = { t, type: 'apply', node: n.id, key, value };
        if (op !== undefined) rec.op = op;
        if (version !== undefined) rec.version = version;
        world.record(rec);
        world.backups?.applied(n.index, t, key, value, op, version);
      },
      invariant(message: string, ops?: number[]) {
        world.record({ t: world.kernel.now, type: 'fault', fault: 'invariant', node: n.id, message, ops: ops ?? [] });
        world.kernel.stop(`invariant broken at ${n.id}: ${message}`);
      },
    };
  }

  record(r: HistoryRecord): void {
    const chars = this.h.push(r);
    if (this.maxHistoryHit) return;
    // History length and bytes, value and state size, heap: the first limit passed stops the run.
    const over = this.budget.add(r, chars);
    if (over !== undefined) {
      this.maxHistoryHit = true;
      this.kernel.limit(over.limit, over.value, over.detail);
    }
  }

  // ---- node lifecycle (used by the fault injector) ---------------------------------------

  crash(i: number, loseVolatile: boolean): void {
    const n = this.nodes[i] as NodeRt;
    if (n.status !== 'up') return;
    if (loseVolatile) {
      n.durable = this.engine.durable(n.state);
      n.state = undefined;
      n.status = 'down';
      n.epoch++; // outstanding timers die with the process
    } else {
      n.status = 'paused';
    }
  }

  restart(i: number): void {
    const n = this.nodes[i] as NodeRt;
    if (n.status === 'paused') {
      n.status = 'up';
      const held = n.heldTimers;
      n.heldTimers = [];
      for (const t of held) this.kernel.after(0, { k: 'timer', node: i, epoch: n.epoch, timer: t });
      return;
    }
    if (n.status !== 'down') return;
    n.status = 'up';
    n.state = this.engine.init(n.id, n.durable, n.ctx);
  }

  admin(action: { kind: 'remove' | 'rejoin'; target: string }): void {
    // Operator actions change the replica set only under sync (the scenario format gives them
    // no meaning elsewhere): a removed copy is up but holds no replica until it rejoins.
    if (this.s.engine.type === 'sync') {
      for (const i of nodesOfTarget(this.layout, action.target)) this.removed[i] = action.kind === 'remove';
    }
    if (!this.engine.onAdmin) return;
    const numbered = { ...action, config: ++this.adminConfig };
    for (const n of this.nodes) if (n.status === 'up') this.engine.onAdmin(n.state, numbered, n.ctx);
  }

  /**
   * The `live` record: nodes up after settle (not crashed or hung) and still in their replica
   * set (not removed by an operator). From the fault timeline, never from the engine.
   */
  live(now: number): void {
    const nodes = this.nodes.filter((n) => n.status === 'up' && !this.removed[n.index]).map((n) => n.id as string);
    this.h.push({ t: now, type: 'live', nodes: nodes.sort() });
  }

  /** Final replica states of live nodes (a node still down has none: what only it held is lost). */
  finals(now: number): void {
    for (const n of this.nodes) {
      if (n.status !== 'up') continue; // crashed or hung: its replica is unreachable
      for (const { key, value } of this.engine.finalState(n.state)) {
        this.h.push({ t: now, type: 'final', node: n.id, key, value });
      }
      if (this.engine.metrics) this.engineMetrics.push(this.engine.metrics(n.state));
    }
  }

  /** Ops still open at the end are closed as `info`: they may or may not have happened. */
  closeOpen(now: number): void {
    const open = [...this.pending.keys()].sort((a, b) => a - b);
    for (const op of open) this.h.push({ t: now, type: 'info', op, error: 'run ended' });
    this.pending.clear();
  }

  // ---- backups and restores (src/backup/service.ts) --------------------------------------

  private backupHost(): BackupHost {
    const w = this;
    const storeRegionNode = (region: string): number | undefined => this.layout.nodes.find((n) => n.region === region)?.index;
    return {
      now: () => w.kernel.now,
      at: (t, ev) => w.kernel.at(t, { k: 'backup', ev }),
      record: (r) => w.record(r),
      nodeCount: () => w.nodes.length,
      nodeId: (i) => w.nodeId(i),
      nodeIndex: (id) => w.layout.nodeIndex.get(id),
      regionOf: (i) => w.layout.nodes[i]?.region ?? '',
      isUp: (i) => w.nodeStatus(i) === 'up',
      clockAt: (i, t) => localTime(w.clockOf(i), t),
      reachesRegion: (i, region) => {
        // The store sits in its region's network: cut off wherever that region's nodes are.
        const proxy = storeRegionNode(region);
        return proxy === undefined || proxy === i || !w.net.blocked(i, proxy);
      },
      regionLatency: (a, b) => (a === b ? 0 : w.net.baseLatency(a, b)),
      nodesOf: (target) => nodesOfTarget(w.layout, target),
      takeDown: (i) => w.crash(i, true),
      bringBack: (i, entries) => w.restoreNode(i, entries),
      operatorWrite: (i, f, key, value) => w.operatorWrite(i, f, key, value),
      drain: (i, on) => {
        w.drained[i] = on;
      },
      holds: (i) => {
        const n = w.nodes[i] as NodeRt;
        return n.status === 'up' ? w.engine.finalState(n.state) : [];
      },
    };
  }

  /**
   * A restored node comes back: a restart from what its crash kept (protocol state: sequence
   * numbers, terms, logs), then the engine's `restore` replaces its data with `entries`.
   * Returns what the replica holds then.
   */
  private restoreNode(i: number, entries: readonly Change[]): Array<{ key: string; value: Value }> {
    const n = this.nodes[i] as NodeRt;
    if (n.status === 'paused') this.restart(i);
    if (n.status === 'down') {
      n.status = 'up';
      n.state = this.engine.init(n.id, n.durable, n.ctx);
    }
    if (this.engine.restore) {
      const list = entries.map((c) => (c.version === undefined ? { key: c.key, value: c.value } : { key: c.key, value: c.value, version: c.version }));
      this.engine.restore(n.state, list, n.ctx);
    }
    const held = this.engine.finalState(n.state);
    // A sync copy restarting recovers before it serves, and reports no state until then; the
    // restored data is in its store all the same, and that is what the history must show.
    if (held.length === 0 && entries.length > 0 && this.engine.restore) return entries.map((c) => ({ key: c.key, value: c.value }));
    return held;
  }

  /** A write issued by the operator at node i (reapply after a restore): client `operator`. */
  private operatorWrite(i: number, f: OpFn, key: string, value: Value | undefined): number {
    const n = this.nodes[i] as NodeRt;
    const id = this.nextOp++;
    const now = this.kernel.now;
    // Named in the node's region, so the region's availability counts the operator's writes.
    const client = `${this.layout.nodes[i]?.region ?? ''}/operator`;
    this.record(
      value === undefined
        ? { t: now, type: 'invoke', op: id, client, node: n.id, f, key }
        : { t: now, type: 'invoke', op: id, client, node: n.id, f, key, value },
    );
    this.growReplied(id);
    this.pending.set(id, { client: OPERATOR, f });
    const req: ClientRequest =
      value === undefined
        ? { op: opId(id), client: client as ClientRequest['client'], f, key }
        : { op: opId(id), client: client as ClientRequest['client'], f, key, value };
    if (n.status === 'up') this.engine.onRequest(n.state, req, n.ctx);
    return id;
  }

  nodeId(i: number): NodeId {
    return (this.nodes[i] as NodeRt).id;
  }

  nodeStatus(i: number): NodeStatus {
    return (this.nodes[i] as NodeRt).status;
  }

  clockOf(i: number): Clock {
    return (this.nodes[i] as NodeRt).clock;
  }
}

export { nodeId };

/** The pending-op client index of operator writes (reapply): they have no client endpoint. */
const OPERATOR = -1;
