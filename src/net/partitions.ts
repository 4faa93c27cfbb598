/**
 * Network cuts: symmetric partitions between groups, isolation, one-way cuts. Each active cut
 * has the id of the fault that made it; `blocked` is a dense matrix over endpoint indices,
 * rebuilt when cuts change (rare) so that the per-message check is one array read.
 */
export type Cut =
  | { id: number; kind: 'groups'; groupOf: Int32Array } // endpoint index → group; -1 = own group
  | { id: number; kind: 'one_way'; from: Uint8Array; to: Uint8Array };

export class CutSet {
  private cuts: Cut[] = [];
  private matrix: Uint8Array;

  constructor(private readonly n: number) {
    this.matrix = new Uint8Array(n * n);
  }

  get active(): readonly Cut[] {
    return this.cuts;
  }

  add(cut: Cut): void {
    this.cuts.push(cut);
    this.rebuild();
  }

  remove(id: number): boolean {
    const before = this.cuts.length;
    this.cuts = this.cuts.filter((c) => c.id !== id);
    if (this.cuts.length !== before) this.rebuild();
    return this.cuts.length !== before;
  }

  clear(): void {
    this.cuts = [];
    this.rebuild();
  }

  /** true when a message from endpoint `a` to endpoint `b` is cut */
  blocked(a: number, b: number): boolean {
    return this.matrix[a * this.n + b] === 1;
  }

  private rebuild(): void {
    const n = this.n;
    const m = new Uint8Array(n * n);
    for (const c of this.cuts) {
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          if (a === b) continue;
          if (c.kind === 'groups') {
            const ga = c.groupOf[a] as number;
            const gb = c.groupOf[b] as number;
            if (ga !== gb) m[a * n + b] = 1;
          } else if (c.from[a] && c.to[b]) {
            m[a * n + b] = 1;
          }
        }
      }
    }
    this.matrix = m;
  }
}
