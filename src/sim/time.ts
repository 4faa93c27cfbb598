/**
 * Virtual time: an integer count of microseconds. Only the kernel advances it.
 * Branded so that a raw number (milliseconds? seconds?) cannot be passed by accident.
 */
export type Micros = number & { readonly __unit: 'us' };

export const US = 1;
export const MS = 1_000;
export const SEC = 1_000_000;
export const MINUTE = 60 * SEC;
export const HOUR = 60 * MINUTE;

/** Brands an integer microsecond count. Rounds, because fractional microseconds do not exist here. */
export function micros(n: number): Micros {
  return Math.round(n) as Micros;
}

const UNIT_US: Record<string, number> = { us: US, ms: MS, s: SEC, m: MINUTE, h: HOUR };
const DURATION_RE = /^(-)?((?:\d+(?:\.\d+)?(?:us|ms|s|m|h))+)$/;
const PART_RE = /(\d+(?:\.\d+)?)(us|ms|s|m|h)/g;

/**
 * Parses `250us`, `15ms`, `2s`, `5m`, `2h`, `1m30s`, `-5s`. A bare number is an error:
 * a unit-less duration is the classic source of off-by-1000 bugs.
 */
export function parseDuration(text: string): { ok: true; value: Micros } | { ok: false; error: string } {
  const s = text.trim();
  const m = DURATION_RE.exec(s);
  if (!m) {
    if (/^-?\d+(\.\d+)?$/.test(s)) {
      return { ok: false, error: `a duration needs a unit (us, ms, s, m, h), e.g. "${s}ms"; got "${s}"` };
    }
    return { ok: false, error: `expected a duration such as 250us, 15ms, 2s, 5m, 2h or 1m30s, got "${s}"` };
  }
  let total = 0;
  for (const part of (m[2] ?? '').matchAll(PART_RE)) {
    total += Number(part[1]) * (UNIT_US[part[2] ?? 's'] ?? SEC);
  }
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) {
    return { ok: false, error: `duration "${s}" is too large` };
  }
  return { ok: true, value: micros(m[1] ? -total : total) };
}

/** `2.5s`, `150ms`, `1h02m03s`: for reports, never parsed back. */
export function formatMicros(t: number): string {
  const sign = t < 0 ? '-' : '';
  const a = Math.abs(t);
  if (a < MS) return `${sign}${a}us`;
  if (a < SEC) return `${sign}${trim(a / MS)}ms`;
  if (a < MINUTE) return `${sign}${trim(a / SEC)}s`;
  const h = Math.floor(a / HOUR);
  const m = Math.floor((a % HOUR) / MINUTE);
  const s = (a % MINUTE) / SEC;
  return `${sign}${h ? `${h}h` : ''}${m || h ? `${String(m).padStart(h ? 2 : 1, '0')}m` : ''}${trim(s)}s`;
}

/** Seconds with millisecond precision, as used in witness sentences ("at 20.001 s"). */
export function secondsText(t: number): string {
  return `${(t / SEC).toFixed(3)} s`;
}

function trim(x: number): string {
  return Number(x.toFixed(3)).toString();
}

/** Microseconds to milliseconds, for metrics named `*_ms`. */
export function toMs(t: number): number {
  return t / MS;
}
