// Module engines (src/engines/module.ts, src/run/prepare.ts): a user's engine loaded from a
// file, its settings checked with positions, its mistakes reported as one line (exit 2) or as
// an invariant (exit 1), never as a stack trace.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { SCENARIO, engineSource, folderWith } from './module/fixtures.js';

const ENGINE = '  type: module\n  path: ./engine.mjs\n';

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

function oneLineNoStack(err: string): void {
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
}

describe('engine: { type: module }', () => {
  it('runs a module engine, its path relative to the scenario file', async () => {
    const dir = folderWith({ 'engine.mjs': engineSource(), 'run.yaml': SCENARIO(ENGINE, '  invariant: 0\n  divergence: 0\n') });
    const r = await cli(['run', join(dir, 'run.yaml'), '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.engine).toBe('test/flood');
    expect(result.ops.ok).toBeGreaterThan(50);
    expect(result.stop.complete).toBe(true);
  });

  it('a missing module file is exit 2, one line naming the scenario position and the module', async () => {
    const dir = folderWith({ 'run.yaml': SCENARIO('  type: module\n  path: ./nope.mjs\n') });
    const r = await cli(['run', join(dir, 'run.yaml')]);
    expect(r.code).toBe(2);
    oneLineNoStack(r.err);
    expect(r.err).toContain(`${join(dir, 'run.yaml')}:10:9 engine.path: engine module ./nope.mjs: no such file`);
  });

  it('a module that throws while loading is exit 2, one line', async () => {
    const dir = folderWith({ 'engine.mjs': engineSource({ top: "throw new Error('boom at load');" }), 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['run', join(dir, 'run.yaml')]);
    expect(r.code).toBe(2);
    oneLineNoStack(r.err);
    expect(r.err).toContain('engine module ./engine.mjs threw while loading: boom at load');
  });

  it('a module without a default export is exit 2', async () => {
    const dir = folderWith({ 'engine.mjs': 'export const x = 1;\n', 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['validate', join(dir, 'run.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected a default export (config) => Engine, but it has no default export');
  });

  it('an engine missing onMessage is exit 2, naming the file and the method', async () => {
    const dir = folderWith({ 'engine.mjs': engineSource({ omit: 'onMessage' }), 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['run', join(dir, 'run.yaml')]);
    expect(r.code).toBe(2);
    oneLineNoStack(r.err);
    expect(r.err).toContain('engine module ./engine.mjs: the engine has no onMessage method');
    expect(r.err).toContain(join(dir, 'run.yaml'));
    const v = await cli(['validate', join(dir, 'run.yaml')]);
    expect(v.code).toBe(2);
    expect(v.err).toContain(`${join(dir, 'run.yaml')}:10:9 engine.path: engine module ./engine.mjs: the engine has no onMessage method`);
  });

  it('a factory that throws is exit 2, one line', async () => {
    const src = engineSource().replace('export default function make(config) {', "export default function make(config) {\n  if (config.topology.nodes.length < 3) throw new Error('needs 3 nodes');");
    const dir = folderWith({ 'engine.mjs': src, 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['run', join(dir, 'run.yaml')]);
    expect(r.code).toBe(2);
    oneLineNoStack(r.err);
    expect(r.err).toContain('engine module ./engine.mjs: the factory threw: needs 3 nodes');
  });

  it('an engine that has every method is not refused (the check is not vacuous)', async () => {
    const dir = folderWith({ 'engine.mjs': engineSource({ omit: 'none' }), 'run.yaml': SCENARIO(ENGINE) });
    expect((await cli(['run', join(dir, 'run.yaml'), '--quiet'])).code).toBe(0);
  });

  it('a step that throws stops the run as an invariant naming node, input and virtual time (exit 1)', async () => {
    const step = "if (msg.op === 7) throw new TypeError('cannot read the ballot');";
    const dir = folderWith({ 'engine.mjs': engineSource({ step }), 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['run', join(dir, 'run.yaml'), '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const result = JSON.parse(r.out);
    expect(result.stop.complete).toBe(false);
    expect(result.anomalies.invariant.count).toBe(1);
    const why = result.stop.reason as string;
    expect(why).toMatch(/engine threw at [ab]\/0 in onMessage \(from [ab]\/0: \{"key":"k\d","value":7,"op":7\}\) at t=\d+(\.\d+)?s: TypeError: cannot read the ballot/);
    expect(JSON.stringify(result.anomalies.invariant.witnesses)).toContain('cannot read the ballot');
  });

  it('a step that throws fails the run even with no expect block', async () => {
    const step = "if (msg.op === 7) throw new Error('x');";
    const dir = folderWith({ 'engine.mjs': engineSource({ step }), 'run.yaml': SCENARIO(ENGINE, '  {}\n') });
    expect((await cli(['run', join(dir, 'run.yaml'), '--quiet'])).code).toBe(1);
  });
});

describe('module engine settings', () => {
  const withSchema = engineSource({
    top: "import { z } from 'zod';",
    settings: 'export const settings = z.object({ fanout: z.number().int().min(1).default(2), mode: z.enum(["a", "b"]).default("a") }).strict();',
  });

  it('are validated by the module schema with file:line:col and the field path', async () => {
    const engine = `${ENGINE}  settings:\n    fanout: 0\n    colour: red\n`;
    const dir = folderWith({ 'engine.mjs': withSchema, 'run.yaml': SCENARIO(engine) });
    const r = await cli(['validate', join(dir, 'run.yaml')]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, 'run.yaml')}:12:13 engine\\.settings\\.fanout: .*1`)),
      `${join(dir, 'run.yaml')}:13:5 engine.settings.colour: unknown field "colour"`,
    ]);
  });

  it('reach the factory with the schema defaults filled in', async () => {
    const src = withSchema.replace("name: 'test/flood'", 'name: `flood/${config.settings.mode}/${config.settings.fanout}`');
    const dir = folderWith({ 'engine.mjs': src, 'run.yaml': SCENARIO(`${ENGINE}  settings: { mode: b }\n`) });
    const r = await cli(['run', join(dir, 'run.yaml'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).engine).toBe('flood/b/2');
  });

  it('a settings export that is not a schema is exit 2', async () => {
    const dir = folderWith({ 'engine.mjs': engineSource({ settings: 'export const settings = { fanout: 2 };' }), 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['run', join(dir, 'run.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('its `settings` export is an object, not a schema');
  });
});

describe('replsim test: determinism guard for module engines', () => {
  it('fails a module that draws Math.random in a step, with the usual causes', async () => {
    const step = 'if (Math.random() < 0.5) return;';
    const dir = folderWith({ 'engine.mjs': engineSource({ step }), 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['test', dir, '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('nondeterministic engine: two runs with the same seed gave different histories (record');
    expect(r.out).toContain('Math.random() (use ctx.rng)');
  });

  it('fails a module whose state outlives a run in module scope', async () => {
    const top = 'let calls = 0;';
    const step = 'if (++calls % 97 === 0) return;';
    const dir = folderWith({ 'engine.mjs': engineSource({ top, step }), 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['test', dir, '--workers', '1']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('nondeterministic engine');
  });

  it('passes a deterministic module (on a worker thread too)', async () => {
    const dir = folderWith({ 'engine.mjs': engineSource(), 'run.yaml': SCENARIO(ENGINE) });
    const r = await cli(['test', dir, '--workers', '1']);
    expect(r.out).not.toContain('nondeterministic');
    expect(r.code).toBe(0);
  });
});
