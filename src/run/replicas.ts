/**
 * Which nodes should hold each key, from the scenario alone (regions and engine settings),
 * never from an engine's state: the runner writes it as `replicas` records (CHECKING.md) so
 * the checker can tell a live replica that holds nothing from a node that never should have.
 *
 * - async: every node holds every key (multi-master; `ownership: home` only routes writes to
 *   one owner, every node still receives them);
 * - sync: every copy, that is every node outside the witness region (`on_failure: witness`:
 *   the named region, or the last declared one when none is named, as docs/sync.md says);
 * - raft: the replicas of the key's range (FNV-1a of the key modulo `ranges`, placed by the
 *   scenario's `placement`). With one range `*` is its replicas; with several, `*` is every
 *   node and each key whose range is placed on fewer nodes gets a record of its own. The range placement is the pure function the
 *   engine's configuration also uses (src/engines/raft/placement.ts): a function of the
 *   scenario, not of any node's state.
 * - quorum: the key's replicas on the token ring (src/engines/quorum/ring.ts), per region's
 *   replication factor; `*` is every node, and each key placed on fewer gets its own record.
 * - module: every node (a user's engine declares no placement).
 */
import type { Topology } from '../engines/engine.js';
import { placeRange, rangeOf } from '../engines/raft/placement.js';
import { buildRing } from '../engines/quorum/ring.js';
import type { Scenario } from '../scenario/types.js';

export interface ReplicaPlacement {
  /** the `*` record's nodes, sorted */
  all: readonly string[];
  /**
   * The nodes of a key whose placement differs from `all` (sorted), else undefined; absent
   * when every key is placed on `all` (async, sync), so the runner skips the per-op lookup.
   */
  of?: (key: string) => readonly string[] | undefined;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function replicaPlacement(s: Scenario, topology: Topology): ReplicaPlacement {
  const nodes: string[] = [...topology.nodes].sort(byName);
  const e = s.engine;
  switch (e.type) {
    case 'async':
      return { all: nodes };
    case 'sync': {
      const regions: string[] = [...topology.regions];
      const witness =
        e.on_failure !== 'witness' ? null : e.witness !== undefined && regions.includes(e.witness) ? e.witness : (regions.at(-1) ?? null);
      const copies = nodes.filter((n) => topology.regionOf(n as never) !== witness);
      return { all: copies };
    }
    case 'raft': {
      const place = (range: number): string[] =>
        placeRange(range, e.replication_factor, e.placement, topology).replicas.map(String).sort(byName);
      if (e.ranges <= 1) return { all: place(0) };
      const byRange = new Map<number, readonly string[] | undefined>();
      const rangeNodes = (range: number): readonly string[] | undefined => {
        if (byRange.has(range)) return byRange.get(range);
        const placed = place(range);
        const own = placed.length === nodes.length ? undefined : placed;
        byRange.set(range, own);
        return own;
      };
      return { all: nodes, of: (key) => rangeNodes(rangeOf(key, e.ranges)) };
    }
    case 'quorum': {
      // Each key's replicas on the token ring (the engine's own pure placement function).
      const ring = buildRing(topology, e.replication, e.vnodes);
      return {
        all: nodes,
        of: (key) => {
          const placed = ring.replicasOf(key).nodes;
          return placed.length === nodes.length ? undefined : [...placed].map(String).sort(byName);
        },
      };
    }
    case 'module':
      // A user's engine says nothing about placement: every node is expected to hold every key.
      return { all: nodes };
    default: {
      const never: never = e;
      throw new Error(`unknown engine ${JSON.stringify(never)}`);
    }
  }
}
