// The OpenAI strict-mode converter on hand-made schemas, and the independent rule checker
// on schemas known to be invalid (so a passing check on real tools means something).
import { describe, expect, it } from 'vitest';
import { ExportError } from '../../src/commands/export/errors.js';
import { toStrictSchema } from '../../src/commands/export/openai.js';
import { strictViolations } from './openai-strict-rules.js';

const convert = (schema: Record<string, unknown>) => toStrictSchema(schema, 'test_tool');

describe('OpenAI strict-mode conversion', () => {
  it('requires every property, makes optional ones nullable and closes every object', () => {
    const { schema, removed } = convert({
      type: 'object',
      properties: {
        email: { type: 'string', description: 'Customer email address', maxLength: 254, minLength: 3 },
        limit: { type: 'integer', description: 'Number of recent orders to retrieve', default: 5, minimum: 1, maximum: 100 },
        priority: { type: 'string', enum: ['low', 'medium', 'high'], default: 'medium', description: 'Priority level' },
        address: {
          type: 'object',
          description: 'Postal address',
          properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^\\d{5}$' } },
          required: ['city'],
        },
        tags: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, maxItems: 5 },
        when: { type: 'string', format: 'date' },
        site: { type: 'string', format: 'uri' },
      },
      required: ['email'],
    });
    expect(schema).toEqual({
      type: 'object',
      properties: {
        email: { type: 'string', description: 'Customer email address' },
        limit: { type: ['integer', 'null'], description: 'Number of recent orders to retrieve (default: 5)', minimum: 1, maximum: 100 },
        priority: {
          description: 'Priority level (default: "medium")',
          anyOf: [{ type: 'string', enum: ['low', 'medium', 'high'] }, { type: 'null' }],
        },
        address: {
          description: 'Postal address',
          anyOf: [
            {
              type: 'object',
              properties: { city: { type: 'string' }, zip: { type: ['string', 'null'], pattern: '^\\d{5}$' } },
              required: ['city', 'zip'],
              additionalProperties: false,
            },
            { type: 'null' },
          ],
        },
        tags: { anyOf: [{ type: 'array', items: { type: 'string' }, maxItems: 5 }, { type: 'null' }] },
        when: { type: ['string', 'null'], format: 'date' },
        site: { type: ['string', 'null'] },
      },
      required: ['email', 'limit', 'priority', 'address', 'tags', 'when', 'site'],
      additionalProperties: false,
    });
    expect(strictViolations(schema)).toEqual([]);
    expect(removed.map((r) => `${r.path} ${r.keyword}`).sort()).toEqual([
      '/properties/email maxLength', '/properties/email minLength', '/properties/limit default', '/properties/priority default',
      '/properties/site format uri', '/properties/tags uniqueItems', '/properties/tags/items minLength',
    ].sort());
  });

  it('keeps a description that already states the default, and does not add null twice', () => {
    const { schema } = convert({
      type: 'object',
      properties: {
        limit: { type: 'integer', description: 'Page size (default 20).', default: 20 },
        note: { type: ['string', 'null'] },
        either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
    });
    expect(schema.properties).toEqual({
      limit: { type: ['integer', 'null'], description: 'Page size (default 20).' },
      note: { type: ['string', 'null'] },
      either: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] },
      maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    });
  });

  it('turns oneOf into anyOf, drops narrowing keywords, and handles a tool without arguments', () => {
    const { schema, removed } = convert({
      type: 'object',
      properties: { id: { oneOf: [{ type: 'string' }, { type: 'integer' }], not: { const: '' } } },
      required: ['id'],
      minProperties: 1,
      title: 'Args',
    });
    expect(schema).toEqual({
      type: 'object',
      properties: { id: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
      required: ['id'],
      additionalProperties: false,
    });
    expect(removed.map((r) => r.keyword).sort()).toEqual(['minProperties', 'not', 'oneOf (as anyOf)', 'title']);
    expect(convert({ type: 'object', properties: {} }).schema).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
  });

  it('refuses what strict mode cannot express', () => {
    expect(() => convert({ type: 'string' })).toThrow(ExportError);
    expect(() => convert({ type: 'object', properties: { a: { allOf: [{ type: 'string' }] } } })).toThrow(/allOf/);
    expect(() => convert({ type: 'object', properties: { m: { type: 'object', propertyNames: { type: 'string' } } } })).toThrow(/free-form map/);
    expect(() => convert({ type: 'object', properties: { t: { type: 'array', items: [{ type: 'string' }] } } })).toThrow(/tuple/);
  });
});

describe('the strict-mode rule checker', () => {
  const ok = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
  it('accepts a valid schema', () => expect(strictViolations(ok)).toEqual([]));
  it.each([
    ['missing additionalProperties', { ...ok, additionalProperties: undefined }],
    ['a property not required', { ...ok, required: [] }],
    ['a required name without property', { ...ok, required: ['a', 'b'] }],
    ['minLength', { ...ok, properties: { a: { type: 'string', minLength: 1 } } }],
    ['default', { ...ok, properties: { a: { type: 'string', default: 'x' } } }],
    ['an unsupported format', { ...ok, properties: { a: { type: 'string', format: 'uri' } } }],
    ['allOf', { ...ok, properties: { a: { allOf: [{ type: 'string' }] } } }],
    ['oneOf', { ...ok, properties: { a: { oneOf: [{ type: 'string' }] } } }],
    ['a root anyOf', { anyOf: [ok] }],
    ['a non-object root', { type: 'string' }],
    ['a nested open object', { ...ok, properties: { a: { type: 'object', properties: {}, required: [] } } }],
    ['an object without properties', { ...ok, properties: { a: { type: 'object', additionalProperties: false } } }],
    ['an array without items', { ...ok, properties: { a: { type: 'array' } } }],
    ['an unknown type', { ...ok, properties: { a: { type: 'date' } } }],
  ])('rejects %s', (_label, schema) => {
    expect(strictViolations(JSON.parse(JSON.stringify(schema)))).not.toEqual([]);
  });
  it('rejects more than 10 levels of nesting', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 11; i++) schema = { type: 'object', properties: { x: schema }, required: ['x'], additionalProperties: false };
    expect(strictViolations(schema).join()).toMatch(/10 levels/);
  });
});
