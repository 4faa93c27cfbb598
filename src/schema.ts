/**
 * `replsim/schema`: the scenario format as data. `scenarioSchema` is the zod schema replsim
 * validates with (YAML-shaped input → resolved `Scenario`); the same format as JSON Schema
 * (generated from it by `npm run docs`) is published at `replsim/scenario.schema.json`, and
 * `scenarioJsonSchemaUrl` locates that file in the installed package.
 *
 * For editors, the first line of a scenario file:
 * `# yaml-language-server: $schema=./node_modules/replsim/schema/scenario.schema.json`
 */
export { scenarioSchema, SCENARIO_PARSE_OPTIONS } from './scenario/schema.js';
export type { ScenarioInput } from './scenario/schema.js';
export type { Scenario, EngineSpec, ModuleEngineSpec } from './scenario/types.js';

/** Where the JSON Schema of the scenario format is, in this package (a `file:` URL). */
export const scenarioJsonSchemaUrl: URL = new URL('../schema/scenario.schema.json', import.meta.url);
