// The heavy built-in scenarios (test/suite/heavy.ts): each one meets its expect block and gives
// the same history hash twice, like every other built-in scenario, in a file of its own so the
// long run proceeds in parallel with the rest of the suite.
import { describe, it } from 'vitest';
import { HEAVY_SCENARIOS } from '../suite/heavy.js';
import { expectMetAndDeterministic } from './met-and-deterministic.js';

describe('heavy built-in scenarios', () => {
  it.each([...HEAVY_SCENARIOS])('%s meets its expect block and is deterministic', expectMetAndDeterministic, 900_000);
});
