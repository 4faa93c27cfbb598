import { describe, expect, it } from 'vitest';
import { OpTable } from '../../src/checker/table.js';
import type { HistoryRecord } from '../../src/history/types.js';

/** `n` writes, each on a key of its own, each read back once; one client, one node. */
function distinctKeys(n: number): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    const key = `k${i}`;
    out.push({ t: t++, type: 'invoke', op: 2 * i + 1, client: 'c/0', node: 'n/0', f: 'write', key, value: i });
    out.push({ t: t++, type: 'ok', op: 2 * i + 1 });
    out.push({ t: t++, type: 'apply', op: 2 * i + 1, node: `n/${i}`, key, value: i });
    out.push({ t: t++, type: 'invoke', op: 2 * i + 2, client: 'c/0', node: 'n/0', f: 'read', key });
    out.push({ t: t++, type: 'ok', op: 2 * i + 2, value: i });
  }
  return out;
}

describe('op table past 65,536 names (columns widen to 32 bits)', () => {
  // The name that crosses 16 bits used to be written into the column being replaced, so the
  // op that introduced it got name 0 instead (a write "on" the client's name): its key's read
  // then looked like a phantom to the linearizability search.
  it('keeps every op and apply on its own key and node, across the widening', () => {
    const n = 66_000;
    const T = new OpTable();
    for (const r of distinctKeys(n)) T.push(r);
    const bad: number[] = [];
    for (let row = 0; row < T.n; row++) {
      if (T.names.list[T.key[row] as number] !== `k${Math.floor(row / 2)}`) bad.push(row);
    }
    for (let i = 0; i < T.na; i++) {
      if (T.names.list[T.aNode[i] as number] !== `n/${i}`) bad.push(-i);
      if (T.names.list[T.aKey[i] as number] !== `k${i}`) bad.push(-i);
    }
    expect(T.names.list.length).toBeGreaterThan(0x10000);
    expect(T.key).toBeInstanceOf(Uint32Array);
    expect(bad).toEqual([]);
  });
});
