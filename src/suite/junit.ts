/**
 * JUnit XML for CI systems (GitHub Actions reporters, GitLab, Jenkins): one `<testcase>` per
 * scenario, a `<failure>` with every failed expectation and drift, an `<error>` for bad input.
 * Text is escaped for XML and characters XML 1.0 cannot carry are dropped.
 */
import type { ScenarioReport, SuiteReport } from './suite.js';

/** Escapes text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return (
    text
      // Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF).
      .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const attr = (name: string, value: string | number) => `${name}="${xmlEscape(String(value))}"`;

/** The JUnit document for a suite report; `total_ms` is the suite's wall time. */
export function toJUnitXml(report: SuiteReport, total_ms: number | null = null): string {
  const s = report.summary;
  const counts = [attr('tests', s.total), attr('failures', s.failed), attr('errors', s.errors)];
  const time = total_ms === null ? [] : [attr('time', (total_ms / 1000).toFixed(3))];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${[attr('name', 'replsim'), ...counts, ...time].join(' ')}>`,
    `  <testsuite ${[attr('name', 'replsim test'), ...counts, attr('skipped', 0), ...time].join(' ')}>`,
    ...report.scenarios.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function testcase(r: ScenarioReport): string[] {
  const slash = r.file.lastIndexOf('/');
  const classname = slash < 0 ? '.' : r.file.slice(0, slash).replace(/\//g, '.');
  const attrs = [attr('classname', classname), attr('name', r.name), attr('file', r.file)];
  if (r.time_ms !== null) attrs.push(attr('time', (r.time_ms / 1000).toFixed(3)));
  const body: string[] = [];
  if (r.status === 'fail') {
    const type = r.drift.length > 0 ? 'outcome-drift' : 'expectation';
    body.push(`      <failure ${attr('message', r.failures.join('; '))} ${attr('type', type)}>${xmlEscape(r.failures.join('\n'))}</failure>`);
  } else if (r.status === 'error') {
    body.push(`      <error ${attr('message', r.errors[0] ?? 'error')} ${attr('type', 'bad-input')}>${xmlEscape(r.errors.join('\n'))}</error>`);
  }
  if (r.notes.length > 0) body.push(`      <system-out>${xmlEscape(r.notes.join('\n'))}</system-out>`);
  if (body.length === 0) return [`    <testcase ${attrs.join(' ')}/>`];
  return [`    <testcase ${attrs.join(' ')}>`, ...body, '    </testcase>'];
}
