/**
 * The terminal report's capacity section (only for runs where some node has a capacity):
 * per region, utilisation, queue length (max, time-weighted mean and p99), queueing delay
 * (mean, p99) and what admission refused. The numbers are the result's `metrics.capacity`.
 */
import type { NodeLoad } from '../node/load-metrics.js';

/** Lines to print, or none when the run has no capacity metrics; `regions` in display order. */
export function capacityLines(capacity: unknown, regions: readonly string[], bold: (s: string) => string): string[] {
  if (capacity === null || typeof capacity !== 'object') return [];
  const m = capacity as Record<string, NodeLoad>;
  const rows = [...regions.filter((r) => m[r] !== undefined), 'all'];
  const pad = Math.max(8, ...rows.map((r) => r.length)) + 2;
  const num = (x: number | null, d: number) => (x === null ? 'n/a' : x.toFixed(d));
  const out = ['', bold(`Capacity${' '.repeat(pad - 6)}util   queue max/mean/p99   wait ms mean/p99   refused/shed`)];
  for (const r of rows) {
    const l = m[r];
    if (!l) continue;
    const q = `${l.queue.max}/${num(l.queue.mean, 1)}/${l.queue.p99}`;
    const w = `${num(l.queue_delay_ms.mean, 1)}/${num(l.queue_delay_ms.p99, 1)}`;
    out.push(`  ${r.padEnd(pad)}${(l.utilisation * 100).toFixed(0).padStart(3)}%   ${q.padStart(18)}   ${w.padStart(16)}   ${`${l.overloaded}/${l.shed}`.padStart(12)}`);
  }
  return out;
}
