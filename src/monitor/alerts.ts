/**
 * Scenario-defined alert rules (`alerts:`), evaluated every `every` on what the run has
 * recorded so far, as Prometheus evaluates a rule with a `for:` clause: the condition (metric
 * over the last `window` above or below a threshold) must hold at every evaluation for `for`
 * before the alert fires; it resolves at the first evaluation where it no longer holds. Each
 * change is an `alert` record in the history. New metrics plug in as one more `case` in
 * `measure`.
 */
import type { HistoryRecord } from '../history/types.js';
import type { AlertSpec, FaultSpec } from '../scenario/types.js';
import { LagMonitor } from './lag.js';

/** Completions in time order, for availability over a window. */
interface Done {
  t: number;
  ok: boolean;
  region: string;
}

interface RuleState {
  spec: AlertSpec;
  /** lag samples (ms) with their times, for percentiles over the window */
  samples: Array<{ t: number; v: number }>;
  pendingSince: number | undefined;
  firing: boolean;
  firedAt: number[];
  resolvedAt: number[];
}

export interface AlertResult {
  /** how many times it fired */
  fired: number;
  /** seconds from the start of the first fault to the first firing (null: never fired, or no fault) */
  fired_after_s: number | null;
  /** seconds from the end of that fault to the first resolve after it (null: never, or the fault never ended) */
  resolved_after_s: number | null;
  /** total seconds firing (until the end of the run if still firing) */
  firing_s: number;
}

export class Alerts {
  private readonly rules: RuleState[];
  private readonly lag: LagMonitor | undefined;
  private readonly done: Done[] = [];
  private doneHead = 0;
  /** open ops → the client's region */
  private readonly regionOfOp = new Map<number, string>();

  constructor(
    specs: readonly AlertSpec[],
    private readonly nodeIndex: ReadonlyMap<string, number>,
    private readonly nodesOfRegion: (region: string | undefined) => readonly number[],
    replicasOf: (key: string) => readonly number[],
    private readonly record: (r: HistoryRecord) => void,
    /** jobs waiting at a node now (node capacity); 0 where a node has none */
    private readonly queueLength: (node: number) => number = () => 0,
  ) {
    this.rules = specs.map((spec) => ({ spec, samples: [], pendingSince: undefined, firing: false, firedAt: [], resolvedAt: [] }));
    this.lag = specs.some((s) => s.metric.startsWith('replication_lag')) ? new LagMonitor(nodeIndex, replicasOf) : undefined;
  }

  /** The evaluation interval: the shortest rule's (every rule is evaluated at each step). */
  static every_us(specs: readonly AlertSpec[]): number {
    return Math.min(...specs.map((s) => s.every_us));
  }

  observe(r: HistoryRecord): void {
    this.lag?.observe(r);
    if (r.type === 'invoke') this.regionOfOp.set(r.op, clientRegion(r.client));
    else if (r.type === 'ok' || r.type === 'fail' || r.type === 'info') {
      const region = this.regionOfOp.get(r.op);
      if (region === undefined) return;
      this.regionOfOp.delete(r.op);
      this.done.push({ t: r.t, ok: r.type === 'ok', region });
    }
  }

  evaluate(now: number): void {
    const longest = Math.max(...this.rules.map((x) => x.spec.window_us));
    while (this.doneHead < this.done.length && (this.done[this.doneHead] as Done).t < now - longest) this.doneHead++;
    if (this.doneHead > 4096 && this.doneHead * 2 > this.done.length) {
      this.done.splice(0, this.doneHead);
      this.doneHead = 0;
    }
    for (const st of this.rules) {
      const v = this.measure(st, now);
      const s = st.spec;
      const holds = v !== null && (s.op === 'above' ? v > s.threshold : v < s.threshold);
      if (!holds) {
        st.pendingSince = undefined;
        if (st.firing) {
          st.firing = false;
          st.resolvedAt.push(now);
          this.record(v === null ? { t: now, type: 'alert', alert: s.name, state: 'resolved' } : { t: now, type: 'alert', alert: s.name, state: 'resolved', value: round(v) });
        }
        continue;
      }
      if (st.firing) continue;
      if (st.pendingSince === undefined) st.pendingSince = now;
      if (now - st.pendingSince >= s.for_us) {
        st.firing = true;
        st.firedAt.push(now);
        this.record({ t: now, type: 'alert', alert: s.name, state: 'firing', value: round(v) });
      }
    }
  }

  /** The rule's metric over its window now, or null when there is nothing to measure. */
  private measure(st: RuleState, now: number): number | null {
    const s = st.spec;
    switch (s.metric) {
      case 'replication_lag_ms.p99':
      case 'replication_lag_ms.max': {
        const lag_ms = (this.lag as LagMonitor).maxLag_us(now, this.nodesOfRegion(s.region)) / 1000;
        st.samples.push({ t: now, v: lag_ms });
        while (st.samples.length > 0 && (st.samples[0] as { t: number }).t <= now - s.window_us) st.samples.shift();
        const vs = st.samples.map((x) => x.v).sort((a, b) => a - b);
        if (vs.length === 0) return null;
        return s.metric === 'replication_lag_ms.max' ? (vs.at(-1) as number) : (vs[Math.min(vs.length - 1, Math.ceil(0.99 * vs.length) - 1)] as number);
      }
      case 'queue_length.max': {
        let q = 0;
        for (const i of this.nodesOfRegion(s.region)) q = Math.max(q, this.queueLength(i));
        st.samples.push({ t: now, v: q });
        while (st.samples.length > 0 && (st.samples[0] as { t: number }).t <= now - s.window_us) st.samples.shift();
        return st.samples.reduce((m, x) => Math.max(m, x.v), 0);
      }
      case 'availability':
      case 'error_rate': {
        let ok = 0;
        let all = 0;
        for (let i = this.doneHead; i < this.done.length; i++) {
          const d = this.done[i] as Done;
          if (d.t <= now - s.window_us) continue;
          if (s.region !== undefined && d.region !== s.region) continue;
          all++;
          if (d.ok) ok++;
        }
        if (all === 0) return null;
        return s.metric === 'availability' ? ok / all : 1 - ok / all;
      }
      default: {
        const never: never = s.metric;
        throw new Error(`unknown alert metric ${String(never)}`);
      }
    }
  }

  /** Each rule's result, relative to the first scripted fault. */
  results(faults: readonly FaultSpec[], end_us: number): Record<string, AlertResult> {
    const f = faults.find((x) => x.action.kind !== 'chaos');
    const out: Record<string, AlertResult> = {};
    for (const st of this.rules) {
      const firstFire = f ? st.firedAt.find((t) => t >= f.at_us) : undefined;
      const faultEnd = f?.for_us === undefined ? undefined : f.at_us + f.for_us;
      const resolve = faultEnd === undefined ? undefined : st.resolvedAt.find((t) => t >= faultEnd);
      let firing_us = 0;
      st.firedAt.forEach((t, i) => (firing_us += (st.resolvedAt[i] ?? end_us) - t));
      out[st.spec.name] = {
        fired: st.firedAt.length,
        fired_after_s: f && firstFire !== undefined ? (firstFire - f.at_us) / 1e6 : null,
        resolved_after_s: faultEnd !== undefined && resolve !== undefined ? (resolve - faultEnd) / 1e6 : null,
        firing_s: firing_us / 1e6,
      };
    }
    return out;
  }
}

function clientRegion(client: string): string {
  const i = client.lastIndexOf('/');
  return i < 0 ? client : client.slice(0, i);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
