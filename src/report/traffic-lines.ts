/**
 * The report's routing and alert lines (issue 15): when traffic left each failed region, and
 * when each alert fired and resolved relative to the first fault. Empty when the run has
 * neither (older scenarios print as before).
 */
interface RoutingPart {
  moves: number;
  left_after_s: Record<string, number | null>;
}
interface AlertPart {
  fired: number;
  fired_after_s: number | null;
  resolved_after_s: number | null;
  firing_s: number;
}

export function trafficLines(metrics: unknown): string[] {
  const m = metrics as { routing?: RoutingPart; alert?: Record<string, AlertPart> };
  const out: string[] = [];
  if (m.routing) {
    const left = Object.entries(m.routing.left_after_s).map(([r, s]) =>
      s === null ? `traffic never left ${r} while it was down` : `traffic left ${r} ${s.toFixed(1)} s after it failed`,
    );
    out.push(`  routing: ${m.routing.moves} client moves${left.length ? ` · ${left.join(' · ')}` : ''}`);
  }
  for (const [name, a] of Object.entries(m.alert ?? {})) {
    if (a.fired === 0) {
      out.push(`  alert ${name}: never fired`);
      continue;
    }
    const fired = a.fired_after_s === null ? `fired ${a.fired}×` : `fired ${a.fired_after_s} s after the fault began`;
    const resolved = a.resolved_after_s === null ? '' : `, resolved ${a.resolved_after_s} s after it ended`;
    out.push(`  alert ${name}: ${fired}${resolved} (${a.firing_s} s firing)`);
  }
  return out;
}
