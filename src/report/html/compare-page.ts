/**
 * The compare page for `replsim compare FILE --engine ... --html FILE`: runs the scenario
 * under each setting in this thread, keeping each history only until it is reduced to the
 * page's data. Runs are deterministic, so they match the comparison's worker-pool runs.
 */
import { withEngineSetting } from '../../compare/apply.js';
import type { EngineSetting } from '../../compare/settings.js';
import { runScenario } from '../../run/run.js';
import { loadScenario, formatError } from '../../scenario/load.js';
import { buildRunData } from './extract.js';
import { renderCompareHtml } from './page.js';
import type { RunData } from './types.js';

export type ComparePage = { ok: true; html: string; skipped: string[] } | { ok: false; error: string };

export function comparePage(file: string, settings: readonly EngineSetting[], opts: { seed?: number } = {}): ComparePage {
  const loaded = loadScenario(file, opts.seed === undefined ? {} : { seed: opts.seed });
  if (!loaded.ok) return { ok: false, error: loaded.errors.map(formatError).join('; ') };
  const runs: Array<{ label: string; run: RunData }> = [];
  const skipped: string[] = [];
  for (const s of settings) {
    const applied = withEngineSetting(loaded.source, s, opts.seed);
    if (!applied.ok) {
      skipped.push(`${s.label}: ${applied.error}`);
      continue;
    }
    const o = runScenario(applied.scenario, { keepHistory: true });
    if (!o.ok) {
      skipped.push(`${s.label}: ${o.error}`);
      continue;
    }
    const source = `${loaded.source.trimEnd()}\n\n# compared with the engine setting ${s.label}: engine ${JSON.stringify(applied.scenario.engine)}\n`;
    runs.push({ label: s.label, run: buildRunData({ scenario: applied.scenario, source, result: o.result, history: o.history ?? [] }) });
  }
  if (runs.length === 0) return { ok: false, error: `no setting could run: ${skipped.join('; ')}` };
  return { ok: true, html: renderCompareHtml({ title: `replsim compare · ${loaded.scenario.name}`, runs }), skipped };
}
