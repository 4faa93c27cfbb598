/**
 * Which spill bucket a key or an op id goes to. Pure and stable across runs and machines
 * (FNV-1a over the key's UTF-16 code units), so the same file is always partitioned the same way.
 */

/** The bucket (0..buckets-1) of a key: every record of one key lands in one bucket. */
export function keyBucket(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/** The bucket of an op id (any JSON number): every event of one id lands in one bucket. */
export function idBucket(id: number, buckets: number): number {
  // ids are integers as a rule; a fractional or huge id still maps to one bucket (0 and -0 alike)
  const x = Math.abs(id);
  const whole = Number.isSafeInteger(x) ? x : keyBucket(String(x), 0x7fffffff);
  return whole % buckets;
}
