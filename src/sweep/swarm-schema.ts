/**
 * The scenario's `swarm:` section (read by `replsim sweep --swarm`, ignored by a plain run):
 * which fault kinds each seed may draw, how many, how long, and which settings it draws from
 * ranges. Swarm testing (Groce et al., ISSTA 2012): each run enables a random subset of the
 * fault kinds, so faults that mask each other when always on get runs of their own.
 */
import { z } from 'zod';
import { duration, strict } from '../scenario/fields.js';
import { parseVary } from './values.js';

/** Fault kinds a swarm may draw. */
export const SWARM_FAULT_KINDS = ['partition', 'isolate', 'one_way', 'crash', 'clock', 'slow'] as const;
export type SwarmFaultKind = (typeof SWARM_FAULT_KINDS)[number];

/** Most faults one swarm run may draw. */
export const MAX_SWARM_FAULTS = 50;

const varyValues = z
  .union([z.string(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)])
  .describe('a range A..B or A..B/STEP (`10ms..200ms/10ms`) or a list of values; each run draws one')
  .superRefine((v, ctx) => {
    const text = typeof v === 'string' ? v : v.map(String).join(',');
    const r = parseVary(`x=${text}`);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error.replace(/^--vary x=[^:]*: /, ''), input: v });
  });

export const swarmSchema = strict({
  faults: strict({
    kinds: z
      .array(z.enum(SWARM_FAULT_KINDS))
      .min(1)
      .default([...SWARM_FAULT_KINDS])
      .describe(`fault kinds to draw from (${SWARM_FAULT_KINDS.join(', ')}); default all; each run uses a random non-empty subset`),
    min: z.int().min(0).max(MAX_SWARM_FAULTS).default(0).describe('fewest faults per run'),
    max: z.int().min(0).max(MAX_SWARM_FAULTS).default(3).describe(`most faults per run (at most ${MAX_SWARM_FAULTS})`),
    max_for: duration({ positive: true }).prefault('30s').describe('longest fault; each lasts 1 s to this'),
    max_clock_offset: duration({ positive: true }).prefault('2s').describe('largest clock offset a clock fault sets, either way'),
    max_slow_latency: duration({ positive: true }).prefault('1s').describe('largest one-way latency a slow fault sets'),
  })
    .refine((f) => f.min <= f.max, { error: 'faults.min must not exceed faults.max', path: ['min'] })
    .prefault({})
    .describe('the random fault plan drawn for each seed, added to the scenario\'s own faults'),
  vary: z
    .record(z.string().min(1).describe('a field path as for --vary, e.g. network.inter_region.latency or engine'), varyValues)
    .prefault({})
    .describe('settings drawn for each seed: field path → range or list'),
});

export type SwarmSpec = z.output<typeof swarmSchema>;
