// Types of scripts/gen-docs.mjs for the tests that import it.
export declare const SCHEMA_PATH: string;
export declare const REFERENCE_PATH: string;
/** The JSON Schema text of the scenario format (zod's `toJSONSchema`, input side). */
export declare function schemaText(z: typeof import('zod').z, scenarioSchema: import('zod').ZodType): string;
/** The Markdown field reference for a JSON Schema text produced by schemaText. */
export declare function referenceText(schemaJson: string): string;
