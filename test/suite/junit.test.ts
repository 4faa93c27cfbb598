import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { toJUnitXml, xmlEscape } from '../../src/suite/junit.js';
import { runSuite, type ScenarioReport, type SuiteReport } from '../../src/suite/suite.js';
import { scenarioDir, tinyScenario } from './fixtures.js';

function scenario(over: Partial<ScenarioReport>): ScenarioReport {
  return { file: 'scenarios/x.yaml', name: 'x', status: 'pass', time_ms: 1234, failures: [], errors: [], expect: [], golden: 'match', drift: [], notes: [], ...over };
}

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'testcase' }).parse(xml);

describe('JUnit XML', () => {
  it('escapes markup and drops characters XML cannot hold', () => {
    expect(xmlEscape(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(xmlEscape('x\u0000\u0007y\tz\n')).toBe('xy\tz\n');
    expect(xmlEscape('lone \uD800 surrogate')).toBe('lone  surrogate');
  });

  it('is well-formed, with one testcase per scenario and failure messages', () => {
    const report: SuiteReport = {
      scenarios: [
        scenario({}),
        scenario({
          file: 'scenarios/sub/y.yaml',
          name: 'y',
          status: 'fail',
          failures: ['lost_update: want >= 1, got 0', 'outcome changed from y.outcome.json: lost_update 14 → 9, history <&>'],
          drift: ['lost_update 14 → 9'],
        }),
        scenario({ file: 'z.yaml', name: 'z', status: 'error', time_ms: null, errors: ['z.yaml:3:7 engine.type: expected one of async | sync | raft, got "asink"'] }),
        scenario({ file: 'scenarios/w.yaml', name: 'w', notes: ['no golden outcome; run --update'] }),
      ],
      excluded: [],
      workers: 2,
      summary: { total: 4, passed: 2, failed: 1, errors: 1 },
    };
    const xml = toJUnitXml(report, 5000);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parse(xml);
    const suites = doc.testsuites;
    expect(suites['@tests']).toBe('4');
    expect(suites['@failures']).toBe('1');
    expect(suites['@errors']).toBe('1');
    expect(suites['@time']).toBe('5.000');
    const cases = suites.testsuite.testcase as Array<Record<string, unknown>>;
    expect(cases.map((c) => [c['@classname'], c['@name']])).toEqual([
      ['scenarios', 'x'],
      ['scenarios.sub', 'y'],
      ['.', 'z'],
      ['scenarios', 'w'],
    ]);
    expect(cases[0]?.['@time']).toBe('1.234');
    const failure = cases[1]?.failure as Record<string, string>;
    expect(failure['@type']).toBe('outcome-drift');
    // The parser decodes entities: what comes back is exactly the text that went in.
    expect(failure['@message']).toBe(report.scenarios[1]?.failures.join('; '));
    expect(failure['#text']).toBe(report.scenarios[1]?.failures.join('\n'));
    expect(xml).toContain('history &lt;&amp;&gt;');
    const error = cases[2]?.error as Record<string, string>;
    expect(error['@type']).toBe('bad-input');
    expect(error['@message']).toContain('engine.type');
    expect(cases[3]?.['system-out']).toBe('no golden outcome; run --update');
    expect(cases[0]?.failure).toBeUndefined();
  });

  it('decodes back to the exact failure text', async () => {
    const dir = scenarioDir({ 'a.yaml': tinyScenario('a', { lost_update: '< 0' }) });
    const r = await runSuite({ cwd: dir, paths: ['.'], workers: 0 });
    if (!r.ok) throw new Error(r.error);
    const xml = toJUnitXml(r.report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true, htmlEntities: true }).parse(xml);
    const tc = doc.testsuites.testsuite.testcase;
    expect(tc['@name']).toBe('a');
    expect(tc.failure['@message']).toBe(r.report.scenarios[0]?.failures.join('; '));
    expect(tc.failure['@message']).toMatch(/^lost_update: want < 0, got \d+$/);
  });
});
