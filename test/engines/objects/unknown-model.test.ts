// A model name no switch takes (unreachable by the types) says what the value really was and
// where it was met: a String object or an array prints like a plain string in a template.
import { describe, expect, it } from 'vitest';
import { initialState, stepObject } from '../../../src/engines/model.js';
import type { WorkloadModel } from '../../../src/scenario/types.js';
import { crashText } from '../../../src/suite/job.js';

describe('unknownModel', () => {
  it('names the value with its JSON and its type', () => {
    expect(() => initialState('queue' as WorkloadModel)).toThrow('unknown model "queue" (string)');
    expect(() => initialState(new String('register') as unknown as WorkloadModel)).toThrow('unknown model "register" ([object String])');
    expect(() => stepObject(['register'] as unknown as WorkloadModel, null, 'read', undefined)).toThrow('unknown model ["register"] ([object Array])');
  });

  it('a run crash reads as the message and the switch that missed, paths from src/ on', () => {
    let caught: unknown;
    try {
      initialState('queue' as WorkloadModel);
    } catch (e) {
      caught = e;
    }
    const text = crashText(caught);
    expect(text).toMatch(/^unknown model "queue" \(string\) \(at initialState \(src\/engines\/objects\/index\.ts:\d+:\d+\) < /);
    expect(text).not.toContain('unknownModel');
    expect(text).not.toContain('file://');
    expect(text.split('<')).toHaveLength(3);
    expect(crashText('plain')).toBe('plain');
  });
});
