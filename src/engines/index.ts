/**
 * Engine registry: a resolved engine spec → an engine, or an error (as data) for types that are
 * not built yet. Each engine registers one case here.
 */
import type { Engine, EngineConfig } from './engine.js';
import { createAsyncEngine } from './async/engine.js';
import { createRaftEngine } from './raft/engine.js';
import { createSyncEngine } from './sync/engine.js';
import { createQuorumEngine } from './quorum/engine.js';

export type EngineLookup = { ok: true; engine: Engine<any, any, any> } | { ok: false; error: string };

export function createEngine(cfg: EngineConfig): EngineLookup {
  const spec = cfg.spec;
  switch (spec.type) {
    case 'async':
      return { ok: true, engine: createAsyncEngine(cfg) };
    case 'raft':
      return { ok: true, engine: createRaftEngine(cfg) };
    case 'sync':
      return { ok: true, engine: createSyncEngine(cfg) };
    case 'quorum':
      return { ok: true, engine: createQuorumEngine(cfg) };
    default: {
      const never: never = spec;
      return { ok: false, error: `unknown engine ${String(never)}` };
    }
  }
}
