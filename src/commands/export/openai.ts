// OpenAI function tools in strict mode (`strict: true`, Structured Outputs), derived from
// the tools/list input schemas.
//
// Rules followed (OpenAI "Structured Outputs → Supported schemas", the guide that strict
// function calling refers to):
// - The root is an object, not anyOf. Every object sets `additionalProperties: false` and
//   lists ALL its properties in `required`; an optional parameter is emulated with a union
//   with null. We spell that `type: [T, "null"]` for a plain scalar and
//   `anyOf: [<schema>, {type: "null"}]` for anything else (enum, const, object, array,
//   anyOf), so `null` is valid JSON Schema-wise too. support-mcp treats a null (or "")
//   optional argument as not given (src/server/call-tool.ts normalizeArgs).
// - Supported types: string, number, boolean, integer, object, array, enum, anyOf (plus
//   $ref/$defs). Supported constraints: strings `pattern`, `format` (date-time, time, date,
//   duration, email, hostname, ipv4, ipv6, uuid); numbers `multipleOf`, `maximum`,
//   `exclusiveMaximum`, `minimum`, `exclusiveMinimum`; arrays `minItems`, `maxItems`.
//   Not supported: allOf, not, dependentRequired, dependentSchemas, if/then/else.
// - Limits: at most 5000 object properties, 10 levels of nesting, 1000 enum values, and
//   120,000 characters of property names, enum and const values.
//
// So this converter keeps only: type, description, enum, const, anyOf, properties,
// required, additionalProperties, items, $ref, $defs and the constraints listed above.
// It REMOVES everything else, notably `default` (rejected with "'default' is not permitted"
// by strict mode on some deployments; its value is appended to the description instead),
// `minLength`/`maxLength`, `minProperties`/`maxProperties`, `uniqueItems`, `title`,
// `examples` and `format` values outside the list. `oneOf` becomes `anyOf` (it only ever
// widens what the model may send). The server still validates every argument with the
// tool's own schema, so nothing removed here goes unchecked. allOf, and objects without
// `properties` (free-form maps), cannot be expressed and are refused.
import { ExportError } from './errors.js';

type Json = Record<string, unknown>;

export const OPENAI_SUPPORTED_FORMATS: ReadonlySet<string> = new Set([
  'date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid',
]);

/** Keywords a strict-mode schema may carry (see the header). */
export const OPENAI_STRICT_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'description', 'enum', 'const', 'anyOf', 'properties', 'required', 'additionalProperties', 'items',
  '$ref', '$defs',
  'pattern', 'format',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'minItems', 'maxItems',
]);

export interface Removal {
  /** JSON-pointer-like path inside the parameters schema, e.g. `/properties/email`. */
  path: string;
  keyword: string;
}

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

const acceptsNull = (node: Json): boolean =>
  node.type === 'null' ||
  (Array.isArray(node.type) && node.type.includes('null')) ||
  (Array.isArray(node.anyOf) && node.anyOf.some((b) => isObject(b) && acceptsNull(b)));

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

/** A union with null, keeping the description on the outside. */
const nullable = (node: Json): Json => {
  if (acceptsNull(node)) return node;
  const plainScalar = typeof node.type === 'string' && SCALARS.has(node.type) && node.enum === undefined && node.const === undefined;
  if (plainScalar) return { ...node, type: [node.type, 'null'] };
  if (Array.isArray(node.type) && node.enum === undefined && node.const === undefined && node.type.every((t) => SCALARS.has(t as string))) {
    return { ...node, type: [...node.type, 'null'] };
  }
  if (Array.isArray(node.anyOf) && Object.keys(node).every((k) => k === 'anyOf' || k === 'description')) {
    return { ...node, anyOf: [...node.anyOf, { type: 'null' }] };
  }
  const { description, ...inner } = node;
  return { ...(description !== undefined ? { description } : {}), anyOf: [inner, { type: 'null' }] };
};

const withDefaultNote = (description: unknown, value: unknown): string | undefined => {
  const text = typeof description === 'string' ? description : '';
  if (/default/i.test(text)) return text || undefined;
  const note = `(default: ${JSON.stringify(value)})`;
  return text ? `${text} ${note}` : note;
};

/**
 * The strict-mode version of one input schema, and what was removed from it.
 * `tool` only names the tool in errors.
 */
export function toStrictSchema(schema: Json, tool: string): { schema: Json; removed: Removal[] } {
  const removed: Removal[] = [];

  const convert = (node: unknown, path: string): Json => {
    if (!isObject(node)) throw new ExportError(`tool ${tool}: schema at ${path || '/'} is not an object`);
    if (node.allOf !== undefined) {
      throw new ExportError(`tool ${tool}: allOf at ${path || '/'} cannot be expressed in OpenAI strict mode`);
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'oneOf') {
        removed.push({ path, keyword: 'oneOf (as anyOf)' });
        out.anyOf = (value as unknown[]).map((b, i) => convert(b, `${path}/oneOf/${i}`));
      } else if (key === 'anyOf') {
        out.anyOf = (value as unknown[]).map((b, i) => convert(b, `${path}/anyOf/${i}`));
      } else if (key === 'items') {
        if (!isObject(value)) throw new ExportError(`tool ${tool}: tuple items at ${path} are not supported in strict mode`);
        out.items = convert(value, `${path}/items`);
      } else if (key === '$defs') {
        out.$defs = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v, `${path}/$defs/${k}`)]));
      } else if (key === 'properties' || key === 'required' || key === 'additionalProperties') {
        // handled below, for objects
      } else if (key === 'format') {
        if (OPENAI_SUPPORTED_FORMATS.has(String(value))) out.format = value;
        else removed.push({ path, keyword: `format ${String(value)}` });
      } else if (key === 'default') {
        removed.push({ path, keyword: 'default' });
      } else if (OPENAI_STRICT_KEYWORDS.has(key)) {
        out[key] = value;
      } else {
        // Anything else only narrows what is valid (not, if/then/else, dependent*, lengths…)
        // or is an annotation (title, examples): dropping it is safe.
        removed.push({ path, keyword: key });
      }
    }
    if (node.default !== undefined) {
      const description = withDefaultNote(out.description, node.default);
      if (description !== undefined) out.description = description;
    }
    const isObjectType = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
    if (isObjectType || node.properties !== undefined) {
      if (!isObject(node.properties)) {
        throw new ExportError(
          `tool ${tool}: the object at ${path || '/'} has no fixed properties (a free-form map), which OpenAI strict mode cannot express`,
        );
      }
      const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
      const properties: Json = {};
      for (const [name, prop] of Object.entries(node.properties)) {
        const converted = convert(prop, `${path}/properties/${name}`);
        properties[name] = required.has(name) ? converted : nullable(converted);
      }
      out.properties = properties;
      out.required = Object.keys(properties);
      out.additionalProperties = false;
    }
    return out;
  };

  if (schema.type !== 'object') throw new ExportError(`tool ${tool}: the parameters schema must be an object`);
  return { schema: convert(schema, ''), removed };
}
