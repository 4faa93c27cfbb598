/**
 * The fault injector: turns the scenario's fault timeline (and seeded chaos) into network cuts,
 * crashes, clock changes and operator actions, and records each start and end in the history.
 * Clients sit with their home node: a cut that separates that node separates them too.
 */
import type { FaultAction, FaultSpec, Scenario } from '../scenario/types.js';
import type { Kernel } from '../sim/kernel.js';
import { stream, type Rng } from '../sim/rng.js';
import { setDrift, setOffset, localTime } from '../node/clock.js';
import { nodesOfTarget, type Layout } from './topology.js';
import type { Ev, World } from './world.js';

interface Active {
  spec: FaultSpec;
  /** how to undo it when its `for` elapses */
  undo: () => void;
  /** network faults end with a heal; node faults do not */
  network: boolean;
  started_us: number;
}

export class FaultInjector {
  private readonly active = new Map<number, Active>();
  /** faults drawn by chaos, appended after the scripted ones (ids continue from there) */
  private readonly drawn: FaultSpec[] = [];
  /** chaos streams by `seed_stream` name (chaos entries naming the same stream share it) */
  private readonly chaosRngs = new Map<string, Rng>();

  constructor(
    private readonly s: Scenario,
    private readonly layout: Layout,
    private readonly world: World,
    private readonly kernel: Kernel<Ev>,
  ) {}

  private spec(index: number): FaultSpec | undefined {
    return index < this.s.faults.length ? this.s.faults[index] : this.drawn[index - this.s.faults.length];
  }

  handle = (e: Ev & { k: 'fault' | 'fault_end' | 'chaos' }): void => {
    const now = this.kernel.now;
    if (e.k === 'fault') {
      const f = this.spec(e.index);
      if (!f) return;
      if (f.action.kind === 'chaos') {
        this.kernel.at(now, { k: 'chaos', index: e.index });
        return;
      }
      this.start(e.index, f, now);
    } else if (e.k === 'fault_end') {
      this.end(e.index, now);
    } else {
      this.chaos(e.index, now);
    }
  };

  private start(id: number, f: FaultSpec, now: number): void {
    const a = f.action;
    const w = this.world;
    const net = w.net;
    let undo: () => void = () => undefined;
    let network = false;
    let detail: Record<string, unknown> = {};
    switch (a.kind) {
      case 'partition': {
        network = true;
        net.cuts.add({ id, kind: 'groups', groupOf: this.groupsOf(a.groups) });
        undo = () => net.cuts.remove(id);
        detail = { groups: a.groups };
        break;
      }
      case 'isolate': {
        network = true;
        net.cuts.add({ id, kind: 'groups', groupOf: this.groupsOf([[a.target]], true) });
        undo = () => net.cuts.remove(id);
        detail = { target: a.target };
        break;
      }
      case 'one_way': {
        network = true;
        const n = this.endpointCount();
        const from = new Uint8Array(n);
        const to = new Uint8Array(n);
        for (const i of this.endpointsOf(a.from)) from[i] = 1;
        for (const i of this.endpointsOf(a.to)) to[i] = 1;
        net.cuts.add({ id, kind: 'one_way', from, to });
        undo = () => net.cuts.remove(id);
        detail = { from: a.from, to: a.to };
        break;
      }
      case 'slow': {
        network = true;
        net.addSlow(id, a.between, a.latency_us);
        undo = () => net.removeSlow(id);
        detail = { between: a.between, latency_us: a.latency_us };
        break;
      }
      case 'heal':
        this.healAll(now);
        return;
      case 'crash': {
        const nodes = nodesOfTarget(this.layout, a.target);
        for (const i of nodes) w.crash(i, a.lose_volatile);
        undo = () => {
          for (const i of nodes) w.restart(i);
        };
        detail = { target: a.target, nodes: nodes.map((i) => w.nodeId(i)), lose_volatile: a.lose_volatile };
        break;
      }
      case 'restart': {
        const nodes = nodesOfTarget(this.layout, a.target);
        for (const i of nodes) w.restart(i);
        detail = { target: a.target };
        break;
      }
      case 'clock': {
        const nodes = nodesOfTarget(this.layout, a.node);
        const saved = nodes.map((i) => ({ ...w.clockOf(i) }));
        for (const i of nodes) {
          const c = w.clockOf(i);
          if (a.offset_us !== undefined) setOffset(c, now, a.offset_us);
          if (a.drift_ppm !== undefined) setDrift(c, now, a.drift_ppm);
        }
        undo = () => {
          nodes.forEach((i, j) => {
            const c = w.clockOf(i);
            const before = saved[j];
            if (!before) return;
            // Back to the old offset and drift, re-anchored now (a clock never jumps to its past by drift).
            c.offset_us = localTime(before, now) - now;
            c.anchor_us = now;
            c.drift_ppm = before.drift_ppm;
          });
        };
        detail = { node: a.node, offset_us: a.offset_us, drift_ppm: a.drift_ppm };
        break;
      }
      case 'remove':
      case 'rejoin': {
        w.admin({ kind: a.kind, target: a.target });
        if (a.kind === 'remove') undo = () => w.admin({ kind: 'rejoin', target: a.target });
        detail = { target: a.target };
        break;
      }
      case 'repair':
        w.admin({ kind: 'repair', target: a.target });
        detail = { target: a.target };
        break;
      case 'restore': {
        const b = w.backups;
        detail = { target: a.target, method: a.method, to_us: a.to_us, clock_of: a.clock_of, source: a.source, reapply: a.reapply };
        w.record({ t: now, type: 'fault', fault: a.kind, id, ...clean(detail) });
        // The service ends it (`end` record) when every node is back; not an `active` fault.
        b?.restore(id, a);
        return;
      }
      case 'chaos':
        return;
      default: {
        const never: never = a;
        throw new Error(`unknown fault ${JSON.stringify(never)}`);
      }
    }
    w.record({ t: now, type: 'fault', fault: a.kind, id, ...clean(detail) });
    this.active.set(id, { spec: f, undo, network, started_us: now });
    w.backups?.faultEvent(a.kind, 'start', now);
    if (f.for_us !== undefined) this.kernel.at(now + f.for_us, { k: 'fault_end', index: id });
  }

  private end(id: number, now: number): void {
    const a = this.active.get(id);
    if (!a) return; // healed already
    this.active.delete(id);
    a.undo();
    this.world.record({ t: now, type: 'fault', fault: 'end', of: a.spec.action.kind, id });
    this.world.backups?.faultEvent(a.spec.action.kind, 'end', a.started_us);
  }

  /** Ends every network fault (cuts and slow links); node faults stay. */
  healAll(now: number): void {
    const ended = [...this.active.entries()].filter(([, a]) => a.network);
    const ids = ended.map(([id]) => id);
    for (const id of ids) this.active.delete(id);
    this.world.net.cuts.clear();
    this.world.net.clearSlow();
    this.world.record({ t: now, type: 'fault', fault: 'heal', ids });
    for (const [, a] of ended) this.world.backups?.faultEvent(a.spec.action.kind, 'end', a.started_us);
  }

  /** At settle: heal the network, and end node faults that had a `for` (their end was due). */
  settle(now: number): void {
    if ([...this.active.values()].some((a) => a.network)) this.healAll(now);
  }

  /** Seeded chaos: Poisson faults of the listed kinds, drawn from the faults stream. */
  private chaos(index: number, now: number): void {
    const f = this.spec(index);
    if (!f || f.action.kind !== 'chaos') return;
    const c = f.action;
    const rng = this.chaosRng(c.seed_stream);
    const end = f.for_us !== undefined ? f.at_us + f.for_us : this.s.duration_us;
    if (now >= end || c.rate_per_s <= 0 || c.kinds.length === 0) return;
    const kind = c.kinds[rng.int(c.kinds.length)] as string;
    const regions = this.layout.regions;
    const region = regions[rng.int(regions.length)] as string;
    const nodes = this.layout.nodes;
    const node = nodes[rng.int(nodes.length)]?.id ?? '';
    const dur = Math.round(1_000_000 + rng.next() * 9_000_000) as FaultSpec['at_us'];
    let action: FaultAction | undefined;
    switch (kind) {
      case 'partition': {
        const groups = this.drawSides(rng);
        if (groups) action = { kind: 'partition', groups };
        break;
      }
      case 'isolate':
        action = { kind: 'isolate', target: region };
        break;
      case 'crash':
        action = { kind: 'crash', target: node, lose_volatile: true };
        break;
      case 'clock':
        action = { kind: 'clock', node, offset_us: Math.round((rng.next() * 2 - 1) * 2_000_000) as FaultSpec['at_us'] };
        break;
      case 'one_way': {
        const other = regions[rng.int(regions.length)] as string;
        if (other !== region) action = { kind: 'one_way', from: region, to: other };
        break;
      }
      case 'slow': {
        const other = regions[rng.int(regions.length)] as string;
        if (other !== region) action = { kind: 'slow', between: [region, other], latency_us: 500_000 as FaultSpec['at_us'] };
        break;
      }
      default:
        break;
    }
    if (action) {
      const spec: FaultSpec = { at_us: now as FaultSpec['at_us'], for_us: dur, action };
      this.drawn.push(spec);
      this.start(this.s.faults.length + this.drawn.length - 1, spec, now);
    }
    const gap = Math.max(1, Math.round(rng.exp(1_000_000 / c.rate_per_s)));
    this.kernel.at(now + gap, { k: 'chaos', index });
  }

  /**
   * The stream a chaos entry draws from: `faults` (the default) is the fault injector's own
   * stream; any other name gets a stream of its own, `faults/NAME`, so that two chaos plans
   * differ by name alone and never share draws with the workload or network streams.
   */
  private chaosRng(name: string): Rng {
    let rng = this.chaosRngs.get(name);
    if (rng === undefined) {
      rng = name === 'faults' ? this.world.faultRng : stream(this.s.seed, `faults/${name}`);
      this.chaosRngs.set(name, rng);
    }
    return rng;
  }

  /**
   * A random split into two non-empty sides: of the regions (shuffled, cut at a random point),
   * or of the nodes when there is a single region; undefined when nothing can be split.
   */
  private drawSides(rng: Rng): string[][] | undefined {
    const regions = this.layout.regions;
    const items = regions.length >= 2 ? [...regions] : this.layout.nodes.map((n) => n.id as string);
    if (items.length < 2) return undefined;
    for (let i = items.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [items[i], items[j]] = [items[j] as string, items[i] as string];
    }
    const cut = 1 + rng.int(items.length - 1);
    return [items.slice(0, cut), items.slice(cut)];
  }

  private endpointCount(): number {
    return this.layout.nodes.length + this.layout.clients.length;
  }

  /** Endpoint indices of a target, clients of those nodes included. */
  private endpointsOf(target: string): number[] {
    const nodes = new Set(nodesOfTarget(this.layout, target));
    const out = [...nodes];
    for (const c of this.layout.clients) if (nodes.has(c.homeNode)) out.push(c.endpoint);
    return out;
  }

  /**
   * Group of every endpoint. Listed groups get 0..k-1; unlisted nodes form one group per
   * region (partition), or all unlisted form one group (`isolate`: target vs. the rest).
   */
  private groupsOf(groups: string[][], restTogether = false): Int32Array {
    const n = this.endpointCount();
    const g = new Int32Array(n).fill(-1);
    groups.forEach((grp, gi) => {
      for (const target of grp) for (const i of nodesOfTarget(this.layout, target)) g[i] = gi;
    });
    for (const node of this.layout.nodes) {
      if (g[node.index] === -1) g[node.index] = restTogether ? groups.length : groups.length + node.regionIndex;
    }
    for (const c of this.layout.clients) g[c.endpoint] = g[c.homeNode] as number;
    return g;
  }
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
