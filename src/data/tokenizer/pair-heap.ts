/**
 * A binary max-heap of (count, pair key) for BPE training, ordered by count descending and then
 * by key ascending, a total order that makes the choice of merge deterministic. Entries are not
 * updated in place: the trainer re-checks the top against the live count and re-pushes it when it
 * is stale ("lazy deletion"), which is sound because a pair's count only falls once it exists.
 */

/** Max-heap of pair counts with deterministic tie-breaking. */
export class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  /** Number of entries, stale ones included. */
  get size(): number {
    return this.keys.length;
  }

  /** Count of the top entry; only valid when size > 0. */
  get topCount(): number {
    return this.counts[0];
  }

  /** Key of the top entry; only valid when size > 0. */
  get topKey(): number {
    return this.keys[0];
  }

  /** Adds an entry. */
  push(count: number, key: number): void {
    let i = this.keys.length;
    this.counts.push(count);
    this.keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the top entry. */
  pop(): void {
    const last = this.keys.length - 1;
    this.swap(0, last);
    this.counts.pop();
    this.keys.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < last && this.before(l, best)) best = l;
      if (r < last && this.before(r, best)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i];
    const cj = this.counts[j];
    return ci > cj || (ci === cj && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i];
    this.counts[i] = this.counts[j];
    this.counts[j] = c;
    const k = this.keys[i];
    this.keys[i] = this.keys[j];
    this.keys[j] = k;
  }
}
