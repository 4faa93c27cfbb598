// Every built-in scenario: valid, meets its own `expect` block, and gives the same history hash
// when run twice. Heavy scenarios (listed in HEAVY) are covered by heavy.test.ts.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEAVY_SCENARIOS } from '../suite/heavy.js';
import { expectMetAndDeterministic, SCENARIO_DIR } from './met-and-deterministic.js';

const HEAVY = new Set(HEAVY_SCENARIOS);
const files = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.yaml') && !HEAVY.has(f))
  .sort();

describe('built-in scenarios', () => {
  it('there are built-in scenarios, quickstart among them', () => {
    expect(files).toContain('quickstart.yaml');
  });

  it.each(files)('%s meets its expect block and is deterministic', expectMetAndDeterministic);
});
