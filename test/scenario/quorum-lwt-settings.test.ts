// The LWT and repair settings of the quorum engine at the boundary: LOCAL_SERIAL refused
// where a client region holds no replica (its coordinators would have no Paxos participants),
// with exit 2 and one line naming the position and the field; the defaults otherwise.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { parseScenario } from '../../src/scenario/load.js';

const yaml = (engine: string) => `name: q
duration: 1s
regions:
  us: { nodes: 3 }
  eu: { nodes: 2 }
engine:
  type: quorum
  replication: { us: 3 }
${engine}
workload:
  clients: { us: { count: 1, rate: 1/s }, eu: { count: 1, rate: 1/s } }
`;

describe('quorum LWT and repair settings', () => {
  it('defaults: SERIAL, no scheduled repair; repair.every resolved to microseconds', () => {
    const p = parseScenario(yaml('  repair: { every: 1h }'), 'q.yaml');
    expect(p.ok).toBe(true);
    if (!p.ok || p.scenario.engine.type !== 'quorum') return;
    expect(p.scenario.engine.serial_consistency).toBe('SERIAL');
    expect(p.scenario.engine.repair_every_us).toBe(3600e6);
    const d = parseScenario(yaml(''), 'q.yaml');
    expect(d.ok && d.scenario.engine.type === 'quorum' ? d.scenario.engine.repair_every_us : 'bad').toBeNull();
  });

  it('LOCAL_SERIAL with a client region holding no replica: exit 2, one line, the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsim-lwt-'));
    const file = join(dir, 'q.yaml');
    writeFileSync(file, yaml('  serial_consistency: LOCAL_SERIAL'));
    const io = memoryIo();
    const code = await main(['validate', file], io);
    expect(code).toBe(2);
    const lines = io.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/q\.yaml:\d+:\d+.*engine\.serial_consistency.*LOCAL_SERIAL needs replicas in every region with clients; eu has none/);
    expect(lines[0]).not.toMatch(/\bat\b.*\.ts:/); // no stack trace
    // with replicas there, it is accepted
    writeFileSync(file, yaml('  serial_consistency: LOCAL_SERIAL').replace('replication: { us: 3 }', 'replication: { us: 3, eu: 2 }'));
    const ok = memoryIo();
    expect(await main(['validate', file], ok)).toBe(0);
  });

  it('an unknown serial level is refused with the choices', () => {
    const p = parseScenario(yaml('  serial_consistency: QUORUM'), 'q.yaml');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.errors[0]?.message).toMatch(/SERIAL/);
  });
});
