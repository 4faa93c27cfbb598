// Reductions: each candidate is smaller than its source, and removing a region takes with it
// everything that names it (faults, links, clocks, clients, per-region expectations), so the
// candidate still validates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { candidates } from '../../src/shrink/reductions.js';
import { validate } from '../../src/sweep/plan.js';

const root = join(import.meta.dirname, '..', '..');
const raw = parse(readFileSync(join(root, 'docs/examples/shrink-lww-skew.yaml'), 'utf8')) as Record<string, unknown>;

describe('candidates', () => {
  const all = candidates(raw);

  it('dropping a region drops what names it, and the result validates', () => {
    const c = all.find((x) => x.what === 'dropped region ap-south');
    expect(c).toBeDefined();
    if (!c) return;
    const text = JSON.stringify(c.raw);
    expect(text).not.toContain('ap-south');
    expect(validate(c.raw).ok).toBe(true);
    // the partition lost one side's region but kept the other
    const faults = c.raw.faults as Array<Record<string, unknown>>;
    expect(faults.find((f) => 'partition' in f)?.partition).toEqual([['us-east'], ['eu-west']]);
  });

  it('fewer nodes drop the faults on the nodes removed', () => {
    const c = all.find((x) => x.what === 'us-east: 3 → 1 nodes');
    expect(c).toBeDefined();
    if (!c) return;
    expect(JSON.stringify(c.raw.faults)).not.toContain('us-east/1');
    expect(validate(c.raw).ok).toBe(true);
  });

  it('every candidate differs from its source, biggest first, and most validate', () => {
    expect(all[0]?.what).toBe('dropped all 5 faults');
    for (const c of all) expect(JSON.stringify(c.raw), c.what).not.toBe(JSON.stringify(raw));
    const valid = all.filter((c) => validate(c.raw).ok).length;
    expect(valid / all.length).toBeGreaterThan(0.9);
    expect(new Set(all.map((c) => c.what)).size).toBe(all.length);
  });

  it('a minimal scenario has few candidates left', () => {
    const min = parse(readFileSync(join(root, 'docs/examples/shrink-lww-skew.min.yaml'), 'utf8')) as Record<string, unknown>;
    expect(candidates(min).length).toBeLessThan(candidates(raw).length / 4);
  });
});
