// An independent checker for OpenAI strict-mode function schemas, written from OpenAI's
// "Structured Outputs → Supported schemas" guide (the rules strict function calling uses):
// - root must be an object and must not be anyOf;
// - every object: additionalProperties false, and every property listed in required;
// - types: string, number, boolean, integer, object, array, null (for optional values),
//   plus enum, const, anyOf (each branch valid by the same rules), $ref/$defs;
// - constraints: strings pattern + format (date-time, time, date, duration, email, hostname,
//   ipv4, ipv6, uuid); numbers multipleOf, maximum, exclusiveMaximum, minimum,
//   exclusiveMinimum; arrays minItems, maxItems; nothing else (allOf, not, if/then/else,
//   dependent*, and anything not listed is rejected);
// - at most 5000 object properties, 10 levels of nesting, 1000 enum values in total, and
//   120,000 characters of property names, definition names, enum and const values.
// Deliberately NOT imported from src/: the converter must satisfy rules stated separately.

type Json = Record<string, unknown>;

const KEYWORDS = new Set([
  'type', 'description', 'enum', 'const', 'anyOf', 'properties', 'required', 'additionalProperties', 'items', '$ref', '$defs',
  'pattern', 'format', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'minItems', 'maxItems',
]);
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
const TYPES = new Set(['string', 'number', 'boolean', 'integer', 'object', 'array', 'null']);
const NUMBER_KEYWORDS = ['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum'];

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

export function strictViolations(parameters: unknown): string[] {
  const errors: string[] = [];
  let properties = 0;
  let enumValues = 0;
  let stringSize = 0;

  const node = (schema: unknown, path: string, depth: number): void => {
    const at = path || '/';
    if (!isObject(schema)) {
      errors.push(`${at}: not a schema object`);
      return;
    }
    for (const key of Object.keys(schema)) if (!KEYWORDS.has(key)) errors.push(`${at}: keyword '${key}' is not supported`);
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    for (const t of types) if (!TYPES.has(t as string)) errors.push(`${at}: type '${String(t)}' is not supported`);
    if (schema.type === undefined && schema.anyOf === undefined && schema.enum === undefined && schema.const === undefined && schema.$ref === undefined) {
      errors.push(`${at}: no type, enum, const, anyOf or $ref`);
    }
    if (schema.format !== undefined && !FORMATS.has(schema.format as string)) errors.push(`${at}: format '${String(schema.format)}' is not supported`);
    if (schema.pattern !== undefined && typeof schema.pattern !== 'string') errors.push(`${at}: pattern must be a string`);
    for (const k of NUMBER_KEYWORDS) if (schema[k] !== undefined && typeof schema[k] !== 'number') errors.push(`${at}: ${k} must be a number`);
    if (schema.description !== undefined && typeof schema.description !== 'string') errors.push(`${at}: description must be a string`);
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum) || schema.enum.length === 0) errors.push(`${at}: enum must be a non-empty array`);
      else {
        enumValues += schema.enum.length;
        for (const v of schema.enum) {
          if (v !== null && typeof v === 'object') errors.push(`${at}: enum values must be primitives`);
          if (typeof v === 'string') stringSize += v.length;
        }
      }
    }
    if (typeof schema.const === 'string') stringSize += schema.const.length;
    if (schema.anyOf !== undefined) {
      if (!Array.isArray(schema.anyOf) || schema.anyOf.length === 0) errors.push(`${at}: anyOf must be a non-empty array`);
      else schema.anyOf.forEach((b, i) => node(b, `${path}/anyOf/${i}`, depth));
    }
    if (isObject(schema.$defs)) {
      for (const [name, def] of Object.entries(schema.$defs)) {
        stringSize += name.length;
        node(def, `${path}/$defs/${name}`, depth);
      }
    }
    const isObj = types.includes('object') || schema.properties !== undefined;
    if (isObj) {
      if (depth > 10) errors.push(`${at}: more than 10 levels of nesting`);
      if (!isObject(schema.properties)) errors.push(`${at}: object without properties`);
      if (schema.additionalProperties !== false) errors.push(`${at}: additionalProperties must be false`);
      const names = Object.keys(isObject(schema.properties) ? schema.properties : {});
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const missing = names.filter((n) => !required.includes(n));
      const extra = required.filter((n) => !names.includes(n));
      if (missing.length) errors.push(`${at}: not required: ${missing.join(', ')}`);
      if (extra.length) errors.push(`${at}: required names no property: ${extra.join(', ')}`);
      if (new Set(required).size !== required.length) errors.push(`${at}: duplicate names in required`);
      properties += names.length;
      for (const name of names) {
        stringSize += name.length;
        node((schema.properties as Json)[name], `${path}/properties/${name}`, depth + 1);
      }
    } else if (schema.additionalProperties !== undefined || schema.required !== undefined) {
      errors.push(`${at}: additionalProperties/required on a non-object`);
    }
    if (types.includes('array')) {
      if (!isObject(schema.items)) errors.push(`${at}: array without an items schema`);
      else node(schema.items, `${path}/items`, depth);
    } else if (schema.items !== undefined) {
      errors.push(`${at}: items on a non-array`);
    }
  };

  if (!isObject(parameters)) return ['parameters is not an object'];
  if (parameters.type !== 'object') errors.push('/: the root must be of type object');
  if (parameters.anyOf !== undefined) errors.push('/: the root must not be anyOf');
  node(parameters, '', 1);
  if (properties > 5000) errors.push(`more than 5000 object properties (${properties})`);
  if (enumValues > 1000) errors.push(`more than 1000 enum values (${enumValues})`);
  if (stringSize > 120_000) errors.push(`more than 120,000 characters of names and values (${stringSize})`);
  return errors;
}
