/**
 * A bounded log-bucketed histogram (HdrHistogram's idea at 1% resolution): percentiles of
 * millions of samples in a few thousand counters, whatever the run's length. Values are
 * non-negative integers (microseconds); bucket b holds [ceil(1.01^b) - 1, ...), so a reported
 * percentile is within 1% of the true one.
 */
const GROWTH = Math.log(1.01);
/** 1.01^2100 > 1e9 us (16 minutes): longer waits land in the last bucket. */
const BUCKETS = 2100;

export class LogHistogram {
  readonly counts = new Float64Array(BUCKETS);
  n = 0;
  sum = 0;
  max = 0;

  add(v: number, weight = 1): void {
    const b = v <= 0 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log1p(v) / GROWTH));
    this.counts[b] = (this.counts[b] as number) + weight;
    this.n += weight;
    this.sum += v * weight;
    if (v > this.max) this.max = v;
  }

  merge(o: LogHistogram): void {
    for (let b = 0; b < BUCKETS; b++) this.counts[b] = (this.counts[b] as number) + (o.counts[b] as number);
    this.n += o.n;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
  }

  mean(): number | null {
    return this.n > 0 ? this.sum / this.n : null;
  }

  /** The q-quantile (0..1), as the lower edge of its bucket (never above the max seen); null when empty. */
  quantile(q: number): number | null {
    if (this.n <= 0) return null;
    const want = q * this.n;
    let acc = 0;
    for (let b = 0; b < BUCKETS; b++) {
      acc += this.counts[b] as number;
      if (acc >= want && (this.counts[b] as number) > 0) return Math.min(this.max, b === 0 ? 0 : Math.expm1(b * GROWTH));
    }
    return this.max;
  }
}
