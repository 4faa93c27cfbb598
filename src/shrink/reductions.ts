/**
 * Candidate reductions of a scenario, as written (a plain YAML object): each one smaller or
 * simpler than the scenario it comes from, in the order shrinking tries them, biggest
 * first (whole faults and regions before halving rates). A reduction that removes a region or
 * node also removes what names it (faults, links, clocks, clients), so most candidates stay
 * valid; the scenario schema has the last word on each.
 */
import { parseDuration } from '../sim/time.js';

type Raw = Record<string, unknown>;

/** One candidate: a sentence for the header comment, and the reduced scenario. */
export interface Candidate {
  /** stable for the same change of the same content, so a rejected one is not retried in a pass */
  what: string;
  raw: Raw;
}

const MIN_DURATION_MS = 1000;
const MIN_FOR_MS = 100;

/** Every candidate reduction of `raw`, biggest first. */
export function candidates(raw: Raw): Candidate[] {
  return [
    ...dropFaults(raw),
    ...dropRegions(raw),
    ...dropClientGroups(raw),
    ...fewerClients(raw),
    ...shorterDuration(raw),
    ...fewerNodes(raw),
    ...fewerKeys(raw),
    ...lowerRates(raw),
    ...shorterFaults(raw),
    ...simplerNetwork(raw),
    ...dropScript(raw),
    ...shorterSettle(raw),
    ...dropDrift(raw),
  ];
}

function obj(v: unknown): Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

// ------------------------------------------------------------------ faults

function dropFaults(raw: Raw): Candidate[] {
  const faults = list(raw.faults);
  if (faults.length === 0) return [];
  const out: Candidate[] = [];
  if (faults.length > 1) out.push({ what: `dropped all ${faults.length} faults`, raw: { ...raw, faults: [] } });
  // Halves, then single faults (delta debugging's complements at growing granularity).
  if (faults.length > 3) {
    const half = Math.ceil(faults.length / 2);
    out.push({ what: `dropped faults ${brief(faults.slice(0, half))}`, raw: { ...raw, faults: faults.slice(half) } });
    out.push({ what: `dropped faults ${brief(faults.slice(half))}`, raw: { ...raw, faults: faults.slice(0, half) } });
  }
  for (let i = faults.length - 1; i >= 0; i--) {
    out.push({ what: `dropped fault ${brief(faults[i])}`, raw: { ...raw, faults: faults.filter((_, j) => j !== i) } });
  }
  return out;
}

function shorterFaults(raw: Raw): Candidate[] {
  const faults = list(raw.faults);
  const out: Candidate[] = [];
  faults.forEach((f, i) => {
    const ms = msOf(obj(f).for);
    if (ms === undefined || ms / 2 < MIN_FOR_MS) return;
    const next = faults.map((g, j) => (j === i ? { ...obj(g), for: `${Math.round(ms / 2)}ms` } : g));
    out.push({ what: `shortened fault ${brief(f)} to ${Math.round(ms / 2)}ms`, raw: { ...raw, faults: next } });
  });
  return out;
}

// ------------------------------------------------------------------ regions, nodes, clients

/** Whether a target (`R`, `R/i`, `R/*`) names region `r`. */
function inRegion(t: unknown, r: string): boolean {
  return typeof t === 'string' && (t === r || t.startsWith(`${r}/`));
}

/** A fault with region `r` taken out, or undefined when nothing of it remains. */
function faultWithout(f: unknown, gone: (t: unknown) => boolean): unknown {
  const o = obj(f);
  if (Array.isArray(o.partition)) {
    const groups = o.partition.map((g) => list(g).filter((t) => !gone(t))).filter((g) => g.length > 0);
    return groups.length === 0 ? undefined : { ...o, partition: groups };
  }
  for (const k of ['isolate', 'crash', 'restart', 'remove', 'rejoin']) if (k in o && gone(o[k])) return undefined;
  if ('one_way' in o && (gone(obj(o.one_way).from) || gone(obj(o.one_way).to))) return undefined;
  if ('clock' in o && gone(obj(o.clock).node)) return undefined;
  if ('slow' in o && list(obj(o.slow).between).some(gone)) return undefined;
  return f;
}

function withoutTargets(raw: Raw, gone: (t: unknown) => boolean): Raw {
  const net = obj(raw.network);
  const workload = obj(raw.workload);
  const out: Raw = { ...raw };
  if (raw.faults !== undefined) out.faults = list(raw.faults).map((f) => faultWithout(f, gone)).filter((f) => f !== undefined);
  if (raw.clocks !== undefined) out.clocks = Object.fromEntries(Object.entries(obj(raw.clocks)).filter(([k]) => !gone(k)));
  if (raw.network !== undefined && net.links !== undefined) {
    out.network = { ...net, links: list(net.links).filter((l) => !list(obj(l).between).some(gone)) };
  }
  if (raw.workload !== undefined && workload.script !== undefined) {
    out.workload = { ...obj(out.workload ?? workload), script: list(workload.script).filter((s) => !gone(obj(s).client)) };
  }
  return out;
}

function dropRegions(raw: Raw): Candidate[] {
  const regions = Object.keys(obj(raw.regions));
  if (regions.length < 2) return [];
  return regions
    .slice()
    .reverse()
    .map((r) => {
      const gone = (t: unknown) => inRegion(t, r);
      const out = withoutTargets(raw, gone);
      out.regions = Object.fromEntries(Object.entries(obj(raw.regions)).filter(([k]) => k !== r));
      const w = obj(out.workload);
      if (out.workload !== undefined && w.clients !== undefined) {
        out.workload = { ...w, clients: Object.fromEntries(Object.entries(obj(w.clients)).filter(([k]) => k !== r)) };
      }
      const e = obj(raw.engine);
      const engine: Raw = { ...e };
      if (engine.homes !== undefined) engine.homes = Object.fromEntries(Object.entries(obj(e.homes)).filter(([, v]) => v !== r));
      const pl = obj(e.placement);
      if (pl.home === r || pl.leaders === r) delete engine.placement;
      if (raw.engine !== undefined) out.engine = engine;
      if (raw.expect !== undefined) out.expect = Object.fromEntries(Object.entries(obj(raw.expect)).filter(([k]) => !k.endsWith(`_by_region.${r}`)));
      return { what: `dropped region ${r}`, raw: out };
    });
}

function fewerNodes(raw: Raw): Candidate[] {
  const out: Candidate[] = [];
  for (const [r, spec] of Object.entries(obj(raw.regions))) {
    const n = obj(spec).nodes;
    if (typeof n !== 'number' || n <= 1) continue;
    for (const m of smaller(n, 1)) {
      const gone = (t: unknown) => typeof t === 'string' && t.startsWith(`${r}/`) && /^\d+$/.test(t.slice(r.length + 1)) && Number(t.slice(r.length + 1)) >= m;
      const next = withoutTargets(raw, gone);
      next.regions = { ...obj(raw.regions), [r]: { ...obj(spec), nodes: m } };
      out.push({ what: `${r}: ${n} → ${m} nodes`, raw: next });
    }
  }
  return out;
}

function dropClientGroups(raw: Raw): Candidate[] {
  const w = obj(raw.workload);
  const clients = obj(w.clients);
  const names = Object.keys(clients);
  if (names.length < 2) return [];
  return names
    .slice()
    .reverse()
    .map((r) => ({
      what: `dropped the clients of ${r}`,
      raw: { ...raw, workload: { ...w, clients: Object.fromEntries(Object.entries(clients).filter(([k]) => k !== r)) } },
    }));
}

function fewerClients(raw: Raw): Candidate[] {
  const w = obj(raw.workload);
  const out: Candidate[] = [];
  for (const [r, g] of Object.entries(obj(w.clients))) {
    const n = obj(g).count;
    if (typeof n !== 'number' || n <= 1) continue;
    for (const m of smaller(n, 1)) {
      out.push({ what: `${r}: ${n} → ${m} clients`, raw: { ...raw, workload: { ...w, clients: { ...obj(w.clients), [r]: { ...obj(g), count: m } } } } });
    }
  }
  return out;
}

function lowerRates(raw: Raw): Candidate[] {
  const w = obj(raw.workload);
  const out: Candidate[] = [];
  for (const [r, g] of Object.entries(obj(w.clients))) {
    const per_s = perSecond(obj(g).rate);
    if (per_s === undefined || per_s / 2 < 1) continue;
    const next = `${Number((per_s / 2).toFixed(3))}/s`;
    out.push({ what: `${r}: rate ${String(obj(g).rate)} → ${next}`, raw: { ...raw, workload: { ...w, clients: { ...obj(w.clients), [r]: { ...obj(g), rate: next } } } } });
  }
  return out;
}

function fewerKeys(raw: Raw): Candidate[] {
  const w = obj(raw.workload);
  const k = w.keys;
  if (typeof k !== 'number' || k <= 1) return [];
  return smaller(k, 1).map((m) => ({ what: `keys ${k} → ${m}`, raw: { ...raw, workload: { ...w, keys: m } } }));
}

function dropScript(raw: Raw): Candidate[] {
  const w = obj(raw.workload);
  const script = list(w.script);
  return script.length === 0 ? [] : [{ what: `dropped the ${script.length} scripted operations`, raw: { ...raw, workload: { ...w, script: [] } } }];
}

// ------------------------------------------------------------------ time

function shorterDuration(raw: Raw): Candidate[] {
  const ms = msOf(raw.duration);
  if (ms === undefined || ms / 2 < MIN_DURATION_MS) return [];
  const half = Math.round(ms / 2);
  const w = obj(raw.workload);
  // Faults and scripted operations past the new end are dropped with it.
  const faults = list(raw.faults).filter((f) => (msOf(obj(f).at) ?? 0) < half);
  const next: Raw = { ...raw, duration: `${half}ms`, ...(raw.faults === undefined ? {} : { faults }) };
  if (w.script !== undefined) next.workload = { ...w, script: list(w.script).filter((s) => (msOf(obj(s).at) ?? 0) < half) };
  return [{ what: `duration ${String(raw.duration)} → ${half}ms`, raw: next }];
}

function shorterSettle(raw: Raw): Candidate[] {
  const ms = msOf(raw.settle ?? '10s');
  if (ms === undefined || ms / 2 < MIN_DURATION_MS) return [];
  return [{ what: `settle ${String(raw.settle ?? '10s')} → ${Math.round(ms / 2)}ms`, raw: { ...raw, settle: `${Math.round(ms / 2)}ms` } }];
}

// ------------------------------------------------------------------ network and clocks

function simpler(link: unknown): Raw | undefined {
  const l = obj(link);
  const out: Raw = { ...l };
  for (const k of ['jitter', 'loss', 'duplicate', 'reorder']) delete out[k];
  if (out.distribution !== undefined) out.distribution = 'constant';
  else if (l.jitter !== undefined) out.distribution = 'constant';
  return JSON.stringify(out) === JSON.stringify(l) ? undefined : out;
}

function simplerNetwork(raw: Raw): Candidate[] {
  const net = obj(raw.network);
  const out: Candidate[] = [];
  const links = list(net.links);
  if (links.length > 0) out.push({ what: `dropped the ${links.length} link overrides`, raw: { ...raw, network: { ...net, links: [] } } });
  for (const k of ['inter_region', 'intra_region']) {
    const s = simpler(net[k]);
    if (s) out.push({ what: `${k}: constant latency, no jitter or loss`, raw: { ...raw, network: { ...net, [k]: s } } });
  }
  links.forEach((l, i) => {
    const s = simpler(l);
    if (s) out.push({ what: `link ${brief(obj(l).between)}: constant latency, no jitter or loss`, raw: { ...raw, network: { ...net, links: links.map((x, j) => (j === i ? s : x)) } } });
  });
  return out;
}

function dropDrift(raw: Raw): Candidate[] {
  const out: Candidate[] = [];
  for (const [r, spec] of Object.entries(obj(raw.regions))) {
    const clock = obj(obj(spec).clock);
    if (clock.drift_ppm === undefined) continue;
    const { drift_ppm: _d, ...rest } = clock;
    out.push({ what: `${r}: no clock drift`, raw: { ...raw, regions: { ...obj(raw.regions), [r]: { ...obj(spec), clock: rest } } } });
  }
  return out;
}

// ------------------------------------------------------------------ numbers

/** Smaller values to try for a count `n` (at least `min`): the minimum, half, one less. */
function smaller(n: number, min: number): number[] {
  return [...new Set([min, Math.floor(n / 2), n - 1])].filter((m) => m >= min && m < n);
}

function msOf(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const d = parseDuration(v);
  return d.ok ? d.value / 1000 : undefined;
}

function perSecond(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)\/(s|m|h)$/.exec(v) : null;
  if (!m) return undefined;
  return Number(m[1]) / ({ s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h']);
}
