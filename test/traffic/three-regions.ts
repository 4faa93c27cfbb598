/** The tests' three regions (two nodes each) with the quickstart's distances: us-east is 35 ms from eu-west and 75 ms from ap-northeast. */
export const THREE_REGIONS = `
regions:
  us-east: { nodes: 2 }
  eu-west: { nodes: 2 }
  ap-northeast: { nodes: 2 }
network:
  intra_region: { latency: 500us, jitter: 100us }
  inter_region: { latency: 50ms, jitter: 5ms }
  links:
    - { between: [us-east, eu-west], latency: 35ms, jitter: 3ms }
    - { between: [us-east, ap-northeast], latency: 75ms, jitter: 5ms }
    - { between: [eu-west, ap-northeast], latency: 100ms, jitter: 8ms }
engine: { type: async, conflict: lww }
`;
