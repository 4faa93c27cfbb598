/**
 * Recovery methods side by side (`replsim compare FILE --restore snapshot,logs,pitr:1h04m`):
 * the scenario's every `restore` action (and its runbook's reconstruct step) rewritten to one
 * method, everything else identical (same seed, traffic, faults, backups), validated by the
 * same schema as any file. A setting that does not fit (a PITR point before the first backup)
 * is an error as data, its row says why.
 */
import { parseDuration } from '../sim/time.js';
import { readScenarioText, validateRaw, type Applied } from './apply.js';

export interface RestoreSetting {
  /** as written: `snapshot`, `logs`, `pitr:1h04m`, `pitr:1h04m:all` */
  label: string;
  method: 'snapshot' | 'logs' | 'pitr';
  /** pitr: the point, as written (a duration) */
  to?: string;
  reapply?: 'none' | 'all' | 'non-conflicting';
}

const REAPPLY = ['none', 'all', 'non-conflicting'] as const;

/** `--restore` values (comma-separated lists allowed) → settings, or the first bad one named. */
export function parseRestoreSettings(values: readonly string[]): { ok: true; settings: RestoreSetting[] } | { ok: false; error: string } {
  const out: RestoreSetting[] = [];
  for (const label of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')) {
    const [method, a, b] = label.split(':');
    if (method === 'snapshot' || method === 'logs') {
      const reapply = a;
      if (reapply !== undefined && !REAPPLY.includes(reapply as never)) return { ok: false, error: `--restore: unknown reapply "${reapply}" in "${label}"; expected ${REAPPLY.join(', ')}` };
      out.push({ label, method, ...(reapply ? { reapply: reapply as RestoreSetting['reapply'] & string } : {}) });
      continue;
    }
    if (method === 'pitr') {
      if (a === undefined || !parseDuration(a).ok) return { ok: false, error: `--restore: pitr needs a point, e.g. pitr:1h04m; got "${label}"` };
      if (b !== undefined && !REAPPLY.includes(b as never)) return { ok: false, error: `--restore: unknown reapply "${b}" in "${label}"; expected ${REAPPLY.join(', ')}` };
      out.push({ label, method, to: a, ...(b ? { reapply: b as RestoreSetting['reapply'] & string } : {}) });
      continue;
    }
    return { ok: false, error: `--restore: unknown method "${method ?? ''}" in "${label}"; expected snapshot, logs or pitr:TIME (each optionally :REAPPLY)` };
  }
  if (out.length === 0) return { ok: false, error: '--restore: name the methods to compare, e.g. --restore snapshot,logs,pitr:1h04m' };
  return { ok: true, settings: out };
}

/** The scenario `source` with every restore set to `setting`'s method; `seed` overrides. */
export function withRestoreSetting(source: string, setting: RestoreSetting, seed?: number): Applied {
  const read = readScenarioText(source);
  if (!read.ok) return read;
  const raw = read.raw;
  const rewrite = (r: Record<string, unknown>): Record<string, unknown> => {
    const next: Record<string, unknown> = { ...r, method: setting.method };
    delete next['to'];
    delete next['clock_of'];
    if (setting.to !== undefined) next['to'] = setting.to;
    if (setting.reapply !== undefined) next['reapply'] = setting.reapply;
    return next;
  };
  let found = false;
  const faults = Array.isArray(raw.faults)
    ? raw.faults.map((f: unknown) => {
        if (f === null || typeof f !== 'object' || !('restore' in f)) return f;
        found = true;
        return { ...f, restore: rewrite((f as { restore: Record<string, unknown> }).restore) };
      })
    : raw.faults;
  let runbook = raw.runbook as Record<string, unknown> | undefined;
  if (runbook && typeof runbook === 'object') {
    found = true;
    const rc: Record<string, unknown> = { ...((runbook['reconstruct'] as Record<string, unknown> | undefined) ?? {}), method: setting.method };
    if (setting.reapply !== undefined) rc['reapply'] = setting.reapply;
    runbook = { ...runbook, reconstruct: rc };
  }
  if (!found) return { ok: false, error: 'the scenario has no restore to compare (no `restore` fault and no runbook)' };
  // Expectations name one method's metrics (rpo_ms_by_method.pitr): not the other methods'.
  const expect = raw.expect && typeof raw.expect === 'object' ? Object.fromEntries(Object.entries(raw.expect).filter(([k]) => !k.includes('_by_method.'))) : raw.expect;
  return validateRaw({ ...raw, faults, ...(runbook ? { runbook } : {}), ...(expect === undefined ? {} : { expect }) }, seed);
}
