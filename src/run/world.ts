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
import { nodeId, regionId, type NodeId, type OpId } from '../sim/ids.js';
import { micros, type Micros } from '../sim/time.js';
import type { AlertSpec, Scenario } from '../scenario/types.js';
import { DROPPED, Network } from '../net/network.js';
import { localTime, makeClock, type Clock } from '../node/clock.js';
import type { ClientRt } from '../traffic/clients.js';
import type { TrafficEv } from '../traffic/events.js';
import { Traffic } from '../traffic/traffic.js';
import { Alerts } from '../monitor/alerts.js';
import { nodesOfTarget, type Layout } from './topology.js';
import { replicaPlacement, type ReplicaPlacement } from './replicas.js';
import { RecordBudget, type HeapProbe } from './limits.js';
import { Capacity, type Job } from '../node/capacity.js';
import { BackupService, type BackupEvent, type BackupHost } from '../backup/service.js';
import type { Change } from '../backup/changes.js';

/** Everything that can happen, as data: the traffic layer's events and the nodes' own. */
export type Ev =
  | TrafficEv
  | { k: 'req'; node: number; client: number; req: ClientRequest; prio: number }
  | { k: 'done'; node: number; epoch: number; job: Job }
  | { k: 'msg'; from: number; to: number; msg: unknown }
  | { k: 'timer'; node: number; epoch: number; timer: Timer }
  | { k: 'fault'; index: number }
  | { k: 'fault_end'; index: number }
  | { k: 'chaos'; index: number }
  | { k: 'settle' }
  | { k: 'alert_tick' }
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
  /** clients, their ops in flight, routing and failover (src/traffic) */
  readonly traffic: Traffic;
  /** the scenario's alert rules, fed every record (absent without `alerts`) */
  readonly alerts: Alerts | undefined;
  maxHistoryHit = false;
  readonly budget: RecordBudget;
  readonly engineMetrics: Array<Record<string, number>> = [];
  private readonly s: Scenario;
  private readonly kernel: Kernel<Ev>;
  private readonly h: HistoryWriter;
  private readonly engine: Engine<unknown, unknown, unknown>;
  readonly net: Network;
  readonly layout: Layout;
  readonly topology: Topology;
  readonly faultRng: Rng;
  /** which nodes should hold each key (from the scenario), for the `replicas` records */
  private readonly placement: ReplicaPlacement;
  /** keys whose own `replicas` record is written (before their first op) */
  private readonly placedKeys = new Set<string>();
  /** nodes an operator took out of the replica set (sync `remove` not yet undone by `rejoin`) */
  private readonly removed: boolean[];
  /** operator actions so far: the configuration number of the latest remove/rejoin */
  private adminConfig = 0;
  /** node capacity (src/node); undefined when every node has infinite capacity */
  readonly capacity: Capacity | undefined;
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
    this.faultRng = stream(o.scenario.seed, 'faults');
    this.placement = replicaPlacement(o.scenario, o.topology);
    this.removed = o.layout.nodes.map(() => false);
    this.budget = new RecordBudget(o.scenario.limits, o.heap);
    const cap = new Capacity(o.scenario, o.layout.nodes.map((n) => ({ id: n.id, region: n.region })), {
      schedule: (at, node, epoch, job) => this.kernel.at(at, { k: 'done', node, epoch, job }),
      serve: (node, job) => this.serve(node, job),
      refuse: (node, job, error) => this.traffic.engineReply(node, (job.payload as ClientRequest).op, { type: 'fail', error }, this.kernel.now),
    });
    this.capacity = cap.any ? cap : undefined;
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
    const placeOf = this.placement.of;
    this.traffic = new Traffic(o.scenario, o.layout, o.network, o.kernel, {
      record: (r) => this.record(r),
      placeKey: placeOf ? (key, now) => this.placeKey(key, placeOf, now) : () => undefined,
      deliver: (c, node, req, prio, now) => {
        const at = this.net.sendAt(c.endpoint, node, now);
        // The client's request reaches the engine once, like its reply: a duplicated request
        // would run the operation twice (a counter added twice), and a `fail` answered for one
        // copy would hide the other copy's commit. The draw stays, so the network stream is
        // unchanged.
        if (at !== DROPPED) this.kernel.at(at, { k: 'req', node, client: c.index, req, prio });
      },
      nodeId: (i) => (this.nodes[i] as NodeRt).id,
      nodeAnswers: (i, from) => (this.nodes[i] as NodeRt).status === 'up' && !this.net.blocked(from, i),
      invoked: (id, f, key, value, node, now) => this.backups?.invoked(id, f, key, value, node, now),
    });
    // after the nodes: the service keeps one change log per node
    this.backups = o.scenario.backup ? new BackupService(o.scenario.backup, this.backupHost(), o.scenario.runbook) : undefined;
    this.alerts = o.scenario.alerts?.length ? this.makeAlerts(o.scenario.alerts) : undefined;
  }

  private makeAlerts(specs: AlertSpec[]): Alerts {
    const toIndex = (names: readonly string[]): number[] => names.map((n) => this.layout.nodeIndex.get(n) ?? -1).filter((i) => i >= 0);
    const all = toIndex(this.placement.all);
    const byKey = new Map<string, readonly number[]>();
    const of = this.placement.of;
    const replicasOf = (key: string): readonly number[] => {
      if (!of) return all;
      let r = byKey.get(key);
      if (r === undefined) {
        const names = of(key);
        r = names === undefined ? all : toIndex(names);
        byKey.set(key, r);
      }
      return r;
    };
    const everyNode = this.layout.nodes.map((n) => n.index);
    const nodesOfRegion = (region: string | undefined): readonly number[] =>
      region === undefined ? everyNode : this.layout.nodes.filter((n) => n.region === region).map((n) => n.index);
    return new Alerts(specs, this.layout.nodeIndex, nodesOfRegion, replicasOf, (r) => this.record(r), (i) => this.capacity?.queueLength(i) ?? 0);
  }

  // ---- start ---------------------------------------------------------------------------

  start(): void {
    this.record({ t: 0, type: 'replicas', key: '*', nodes: [...this.placement.all] });
    for (const n of this.nodes) n.state = this.engine.init(n.id, undefined, n.ctx);
    this.traffic.start();
    this.s.faults.forEach((f, index) => this.kernel.at(f.at_us, { k: 'fault', index }));
    this.kernel.at(this.s.duration_us, { k: 'settle' });
    if (this.alerts && this.s.alerts) this.kernel.at(Alerts.every_us(this.s.alerts), { k: 'alert_tick' });
    this.backups?.start();
  }

  // ---- dispatch ------------------------------------------------------------------------

  /** A job's service ended at a node with a capacity: the engine handles it now. */
  private serve(node: number, job: Job): void {
    const n = this.nodes[node] as NodeRt;
    if (n.status !== 'up') return;
    if (job.kind === 0) this.engine.onRequest(n.state, job.payload as ClientRequest, n.ctx);
    else this.engine.onMessage(n.state, (this.nodes[job.from] as NodeRt).id, job.payload, n.ctx);
  }

  /** Set by the fault injector (faults.ts); kept here so dispatch stays one switch. */
  onFault: (ev: Ev & { k: 'fault' | 'fault_end' | 'chaos' }) => void = () => undefined;
  onSettle: () => void = () => undefined;

  dispatch = (e: Ev, now: Micros): void => {
    switch (e.k) {
      case 'msg': {
        const to = this.nodes[e.to] as NodeRt;
        if (to.status !== 'up' || this.net.blocked(e.from, e.to)) return; // cut while in flight
        this.net.stats.delivered++;
        if (this.capacity?.has(e.to)) {
          this.capacity.arrive(e.to, { kind: 1, from: e.from, payload: e.msg, fn: 'message', prio: 2, in_us: now }, now);
          return;
        }
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
        if (this.net.blocked((this.traffic.clients[e.client] as ClientRt).endpoint, e.node)) return;
        if (this.capacity?.has(e.node)) {
          this.capacity.arrive(e.node, { kind: 0, from: e.client, payload: e.req, fn: e.req.f, prio: e.prio, in_us: now }, now);
          return;
        }
        this.engine.onRequest(n.state, e.req, n.ctx);
        return;
      }
      case 'done':
        this.capacity?.done(e.node, e.epoch, e.job, now);
        return;
      case 'rep':
      case 'timeout':
      case 'gen':
      case 'script':
      case 'probe_tick':
      case 'probe':
      case 'reroute':
      case 'retry':
      case 'hedge':
      case 'hc_tick':
      case 'hc':
      case 'hc_due':
      case 'dns':
      case 'converge':
        this.traffic.dispatch(e, now);
        return;
      case 'fault':
      case 'fault_end':
      case 'chaos':
        this.onFault(e);
        return;
      case 'settle':
        this.onSettle();
        return;
      case 'alert_tick': {
        this.alerts?.evaluate(now);
        const every = Alerts.every_us(this.s.alerts ?? []);
        if (now + every <= this.s.duration_us + this.s.settle_us) this.kernel.after(every, e);
        return;
      }
      case 'backup':
        this.backups?.handle(e.ev);
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  };

  /** A key's own `replicas` record, before its first op, when its placement differs from `*`. */
  private placeKey(key: string, of: (key: string) => readonly string[] | undefined, now: number): void {
    if (this.placedKeys.has(key)) return;
    const nodes = of(key);
    this.placedKeys.add(key);
    if (nodes === undefined) return; // `*` holds for it
    this.record({ t: now, type: 'replicas', key, nodes: [...nodes] });
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
        const at = world.net.sendAt(n.index, ti, now);
        if (at === DROPPED) return;
        const dup = world.net.duplicate_us;
        world.kernel.at(at, { k: 'msg', from: n.index, to: ti, msg });
        if (dup !== DROPPED) world.kernel.at(dup, { k: 'msg', from: n.index, to: ti, msg });
      },
      setTimer(after_us: Micros, timer: Timer) {
        world.kernel.after(after_us, { k: 'timer', node: n.index, epoch: n.epoch, timer });
      },
      reply(op: OpId, result: OpResult) {
        world.traffic.engineReply(n.index, op, result, world.kernel.now);
      },
      applied(key: string, value: Value, op?: OpId, version?: string) {
        const t = world.kernel.now;
        // an attempt's apply is its logical op's: the op was applied (once, or once per attempt)
        const logical = op === undefined ? undefined : world.traffic.logicalOf(op);
        // Built whole (one literal per shape, same key order): fields added afterwards went to
        // a separate property store, one more allocation on the run's most frequent record.
        const rec: HistoryRecord =
          logical === undefined
            ? version === undefined
              ? { t, type: 'apply', node: n.id, key, value }
              : { t, type: 'apply', node: n.id, key, value, version }
            : version === undefined
              ? { t, type: 'apply', node: n.id, key, value, op: logical }
              : { t, type: 'apply', node: n.id, key, value, op: logical, version };
        world.record(rec);
        world.backups?.applied(n.index, t, key, value, logical, version);
      },
      invariant(message: string, ops?: number[]) {
        world.record({ t: world.kernel.now, type: 'fault', fault: 'invariant', node: n.id, message, ops: ops ?? [] });
        world.kernel.stop(`invariant broken at ${n.id}: ${message}`);
      },
    };
  }

  record(r: HistoryRecord): void {
    const chars = this.h.push(r);
    this.alerts?.observe(r);
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
    this.capacity?.reset(i, this.kernel.now); // queued and in-service work dies with the process
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

  admin(action: { kind: 'remove' | 'rejoin' | 'repair'; target: string }): void {
    // Operator actions change the replica set only under sync (the scenario format gives them
    // no meaning elsewhere): a removed copy is up but holds no replica until it rejoins.
    if (this.s.engine.type === 'sync' && action.kind !== 'repair') {
      for (const i of nodesOfTarget(this.layout, action.target)) this.removed[i] = action.kind === 'remove';
    }
    if (!this.engine.onAdmin) return;
    // Only membership changes are numbered (sync orders its decisions by them); a repair is not one.
    const numbered = { ...action, config: action.kind === 'repair' ? this.adminConfig : ++this.adminConfig };
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
    this.traffic.closeOpen(now, (r) => this.h.push(r));
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

  /** A write issued by the operator at node i (reapply after a restore): client `REGION/operator`, no network. */
  private operatorWrite(i: number, f: OpFn, key: string, value: Value | undefined): number {
    const n = this.nodes[i] as NodeRt;
    const req = this.traffic.operatorOp(n.id, this.layout.nodes[i]?.region ?? '', f, key, value, this.kernel.now);
    if (n.status === 'up') this.engine.onRequest(n.state, req, n.ctx);
    return req.op;
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
