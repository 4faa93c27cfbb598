/** Placeholder replaced below. */
import type { SweepSummary } from './summary.js';
export function sweepPage(s: SweepSummary): string {
  return `<!doctype html><title>${s.scenario}</title>`;
}
