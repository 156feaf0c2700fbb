// Shared checks for exported tool schemas.
// Ajv is imported directly (it is installed as a dependency of @modelcontextprotocol/sdk):
// its draft-07 meta-schema check stands in for the draft-07 validators that consume these
// schemas (PromptKit's gojsonschema, model providers).
import { Ajv } from 'ajv';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** Meta-schema problems of a draft-07 schema ([] when it is a valid schema that compiles). */
export function draft07Problems(schema: unknown): string[] {
  if (!ajv.validateSchema(schema as object)) return (ajv.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  try {
    ajv.compile(schema as object);
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

/** Validates an instance against a schema. */
export function validates(schema: unknown, instance: unknown): boolean {
  return ajv.validate(schema as object, instance) as boolean;
}

/**
 * Regular expressions that Go's RE2 (gojsonschema) cannot compile: lookaround, backreferences,
 * atomic groups and possessive quantifiers.
 */
export function re2Problems(schema: unknown): string[] {
  const problems: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pattern' && typeof v === 'string' && /\(\?[=!<>]|\\[1-9]|[*+?}]\+/.test(v)) problems.push(v);
      walk(v);
    }
  };
  walk(schema);
  return problems;
}
