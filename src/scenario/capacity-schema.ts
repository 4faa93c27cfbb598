/**
 * Schema pieces for node capacity (`capacity:` per region or for every node), client classes
 * and load shapes (`workload.classes`, `workload.load`). Each resolves to the types in
 * types.ts; nothing past the schema parses a service-time string.
 */
import { z } from 'zod';
import { parseDuration, type Micros } from '../sim/time.js';
import { strict, duration } from './fields.js';
import type { CapacitySpec, ClientClassSpec, LoadShapeSpec, ServiceTimeSpec, ShedThreshold } from './types.js';

export const SERVICE_DISTRIBUTIONS = ['constant', 'exponential', 'uniform'] as const;

const SERVICE_HELP = 'a service time such as "0.5ms", "2ms exponential" or "1ms uniform"';
/** JSON Schema pattern of a service time: a duration, then optionally its distribution. */
export const SERVICE_PATTERN = String.raw`^(\d+(\.\d+)?(us|ms|s|m|h))+( +(constant|exponential|uniform))?$`;

/** `"2ms exponential"` → { mean_us: 2000, distribution: 'exponential' }; the default shape is constant. */
export function parseServiceTime(text: string): { ok: true; value: ServiceTimeSpec } | { ok: false; error: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 1 || parts.length > 2 || parts[0] === '') return { ok: false, error: `expected ${SERVICE_HELP}, got ${JSON.stringify(text)}` };
  const d = parseDuration(parts[0] as string);
  if (!d.ok) return { ok: false, error: `expected ${SERVICE_HELP}: ${d.error}` };
  if (d.value < 0) return { ok: false, error: `a service time must not be negative, got ${JSON.stringify(text)}` };
  const shape = parts[1] ?? 'constant';
  if (!(SERVICE_DISTRIBUTIONS as readonly string[]).includes(shape)) {
    return { ok: false, error: `unknown distribution ${JSON.stringify(shape)}; expected ${SERVICE_DISTRIBUTIONS.join(' | ')}` };
  }
  return { ok: true, value: { mean_us: d.value, distribution: shape as ServiceTimeSpec['distribution'] } };
}

const serviceTime = z
  .string({ error: (iss) => (typeof iss.input === 'number' ? `a service time needs a unit, e.g. "${iss.input}ms"` : `expected ${SERVICE_HELP}`) })
  .regex(new RegExp(SERVICE_PATTERN), { error: (iss) => `expected ${SERVICE_HELP}, got ${JSON.stringify(iss.input)}` })
  .transform((text, ctx): ServiceTimeSpec => {
    const r = parseServiceTime(text);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.error, input: text });
      return z.NEVER;
    }
    return r.value;
  })
  .describe('mean service time and its distribution: "0.5ms" (constant), "2ms exponential", "1ms uniform" (on [0, 2×mean])');

/** A shed threshold: an integer queue length, or a duration the oldest waiting job has waited. */
const shedThreshold = z
  .union([z.int().min(0), z.string()], { error: () => 'expected a queue length (an integer) or a waiting time such as 20ms' })
  .transform((v, ctx): ShedThreshold => {
    if (typeof v === 'number') return { kind: 'queue', length: v };
    const d = parseDuration(v);
    if (!d.ok || d.value < 0) {
      ctx.addIssue({ code: 'custom', message: `expected a queue length (an integer) or a waiting time such as 20ms, got ${JSON.stringify(v)}`, input: v });
      return z.NEVER;
    }
    return { kind: 'delay', delay_us: d.value };
  })
  .describe('a queue length (integer) at which this priority is refused, or how long the oldest waiting job may have waited (e.g. 20ms)');

export const capacitySchema = strict({
  concurrency: z.int().min(1).max(100_000).describe('workers: jobs (requests and engine messages) served at once'),
  queue: z.int().min(0).max(10_000_000).default(1000).describe('jobs that may wait for a worker; a request that finds the queue full fails `overloaded`'),
  service: z
    .record(z.string().min(1), serviceTime)
    .prefault({})
    .describe('op name (read, write, cas, add, reserve, restock) or `message` (engine replication messages) or `default` → service time'),
  shed: strict({
    low: shedThreshold.optional(),
    normal: shedThreshold.optional(),
  })
    .prefault({})
    .describe('admission control: requests of priority low (then normal) fail `shed` above this queue length or waiting time; high is refused only by a full queue'),
})
  .superRefine((c, ctx) => {
    const low = c.shed.low;
    const normal = c.shed.normal;
    if (low && normal && low.kind === normal.kind) {
      const a = low.kind === 'queue' ? low.length : low.delay_us;
      const b = normal.kind === 'queue' ? normal.length : (normal as { delay_us: Micros }).delay_us;
      if (a > b) ctx.addIssue({ code: 'custom', path: ['shed', 'low'], message: 'low priority must be shed no later than normal (low ≤ normal)' });
    }
  })
  .transform((c): CapacitySpec => {
    const service: Record<string, ServiceTimeSpec> = {};
    for (const k of Object.keys(c.service).sort()) if (k !== 'default') service[k] = c.service[k] as ServiceTimeSpec;
    const shed: CapacitySpec['shed'] = {};
    if (c.shed.low) shed.low = c.shed.low;
    if (c.shed.normal) shed.normal = c.shed.normal;
    return {
      concurrency: c.concurrency,
      queue: c.queue,
      service,
      default_service: c.service['default'] ?? { mean_us: 0 as Micros, distribution: 'constant' },
      shed,
    };
  })
  .describe('node capacity: workers, a bounded queue, service times per op kind; absent = infinite capacity');

/** Keys a `service` map may hold besides the model's ops. */
export const SERVICE_EXTRA_KEYS: readonly string[] = ['message', 'default'];

export const classesSchema = z
  .record(
    z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'a class name uses lowercase letters, digits, "-" and "_"' }),
    strict({
      share: z.number().gt(0).max(1).describe("fraction of every client's generated operations in this class"),
      priority: z.enum(['low', 'normal', 'high']).default('normal').describe('what admission control sheds first: low, then normal; high last'),
    }),
  )
  .refine((r) => Object.keys(r).length >= 1, { error: 'at least one class' })
  .refine((r) => Math.abs(Object.values(r).reduce((a, c) => a + c.share, 0) - 1) < 1e-9, { error: 'the shares must add up to 1' })
  .transform((r): Record<string, ClientClassSpec> => {
    const out: Record<string, ClientClassSpec> = {};
    for (const k of Object.keys(r)) out[k] = { share: (r[k] as { share: number }).share, priority: (r[k] as { priority: ClientClassSpec['priority'] }).priority };
    return out;
  })
  .describe('client classes: name → { share, priority }; each generated op draws its class, recorded in its invoke');

export const loadShapeSchema = strict({
  steps: z
    .array(
      strict({
        at: duration().describe('when the level changes'),
        x: z.number().min(0).max(1000).describe('the new rate factor (1 = the configured rates)'),
        ramp: duration().prefault('0s').describe('reach x linearly over this long from `at` (0s: a step)'),
      }),
    )
    .prefault([])
    .describe('level changes in time order: from `at` the rates are x times the configured ones'),
  diurnal: strict({
    period: duration({ positive: true }).describe('length of one cycle, e.g. 24h (or 60s to compress a day)'),
    min: z.number().min(0).max(1).describe('the factor at the trough; 1 at the peak'),
    peak: duration().prefault('0s').describe('time of the first peak'),
  })
    .optional()
    .describe('a daily cycle: the factor follows a cosine between min (trough) and 1 (peak)'),
  bursts: z
    .array(
      strict({
        at: duration().describe('when the burst starts'),
        for: duration({ positive: true }).describe('how long it lasts'),
        x: z.number().min(0).max(1000).describe('rate factor during the burst'),
      }),
    )
    .prefault([])
    .describe('short bursts: the rates times x for `for`'),
})
  .superRefine((l, ctx) => {
    l.steps.forEach((s, i) => {
      const prev = l.steps[i - 1];
      if (prev && s.at < prev.at + prev.ramp) ctx.addIssue({ code: 'custom', path: ['steps', i, 'at'], message: 'steps must be in time order, each after the previous ramp ends' });
    });
  })
  .transform(
    (l): LoadShapeSpec => ({
      steps: l.steps.map((s) => ({ at_us: s.at, x: s.x, ramp_us: s.ramp })),
      ...(l.diurnal ? { diurnal: { period_us: l.diurnal.period, min: l.diurnal.min, peak_us: l.diurnal.peak } } : {}),
      bursts: l.bursts.map((b) => ({ at_us: b.at, for_us: b.for, x: b.x })),
    }),
  )
  .describe("rate over time: every client's rate times level steps/ramps × a diurnal cycle × bursts");
