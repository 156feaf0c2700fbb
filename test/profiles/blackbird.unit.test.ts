// Pieces of the blackbird profile that the fixtures cannot reach through the protocol:
// status and order mapping edge cases, error bodies for every code, schema patching, and
// the start-up refusal to combine it with the support profile.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/domain/index.js';
import { selectTools } from '../../src/server/selection.js';
import { portableInputSchema } from '../../src/server/tool-list.js';
import { ServiceError } from '../../src/services/errors.js';
import { blackbirdProfile } from '../../src/tools/blackbird/index.js';
import { blackbirdPresenter, errorBody } from '../../src/tools/blackbird/presenter.js';
import { oldestFirst, toBlackbirdOrder } from '../../src/tools/blackbird/schemas.js';
import { supportProfile } from '../../src/tools/support/index.js';
import { BLACKBIRD_CONTRACT } from './blackbird.contract.js';

const order = (over: Partial<Order>): Order => ({
  id: '11111', customer_id: '1213210', status: 'processing', total: 10, currency: 'USD',
  items: [{ product: 'Thing', quantity: 1, unit_price: 10 }],
  ordered_at: '2024-01-01T00:00:00.000Z', estimated_delivery: null, updated_at: '2024-01-01T00:00:00.000Z', cancelled_at: null,
  ...over,
});

describe('blackbird order mapping', () => {
  it('maps every domain status onto the contract\'s four (pending → Processing)', () => {
    const st = (status: Order['status']) => toBlackbirdOrder(order({ status })).status;
    expect([st('processing'), st('pending'), st('shipped'), st('delivered'), st('cancelled')])
      .toEqual(['Processing', 'Processing', 'Shipped', 'Delivered', 'Cancelled']);
  });
  it('a one-item order is the item with its unit price', () => {
    expect(toBlackbirdOrder(order({ total: 39.98, items: [{ product: 'Case', quantity: 2, unit_price: 19.99 }] })))
      .toEqual({ id: '11111', customer_id: '1213210', product: 'Case', quantity: 2, price: 19.99, status: 'Processing' });
  });
  it('a multi-item order is one line: every item, quantity 1, price = total', () => {
    const o = toBlackbirdOrder(order({
      total: 99.99,
      items: [{ product: 'A', quantity: 1, unit_price: 59.99 }, { product: 'B', quantity: 2, unit_price: 20 }],
    }));
    expect(o).toMatchObject({ product: 'A, 2 x B', quantity: 1, price: 99.99 });
  });
  it('an order without items still has the contract shape', () => {
    expect(toBlackbirdOrder(order({ total: 0, items: [] }))).toMatchObject({ product: '(no items)', quantity: 0, price: 0 });
  });
  it('lists oldest first, ties by id', () => {
    const a = order({ id: '2', ordered_at: '2024-02-01T00:00:00.000Z' });
    const b = order({ id: '1', ordered_at: '2024-02-01T00:00:00.000Z' });
    const c = order({ id: '3', ordered_at: '2023-12-01T00:00:00.000Z' });
    expect(oldestFirst([a, b, c]).map((o) => o.id)).toEqual(['3', '1', '2']);
  });
});

describe('blackbird error bodies', () => {
  const f = (code: ServiceError['code'], details: ServiceError['details'] = {}, message = 'msg') =>
    errorBody({ code, message, nextStep: 'n/a', error: new ServiceError(code, message, details) });

  it('validation without issues still gives a details array', () => {
    expect(f('VALIDATION_FAILED', {}, 'email must be at least 3 characters'))
      .toEqual({ error: 'Validation failed', details: [{ field: '(arguments)', message: 'email must be at least 3 characters' }] });
    expect(f('VALIDATION_FAILED', { issues: [{ field: 'phone', message: 'bad' }] }))
      .toEqual({ error: 'Validation failed', details: [{ field: 'phone', message: 'bad' }] });
  });
  it('unexpected failures carry the reference in details; other codes the message', () => {
    expect(errorBody({ code: 'INTERNAL_ERROR', message: 'Something went wrong on our side (reference abc).', nextStep: 'x', correlationId: 'abc' }))
      .toEqual({ error: 'Something went wrong on our side (reference abc).', details: { correlation_id: 'abc' } });
    expect(f('DATABASE_ERROR', {}, 'The support database could not complete the request right now.'))
      .toEqual({ error: 'The support database could not complete the request right now.' });
    expect(f('CONFLICT', { reason: 'username_taken' }, 'Username already in use')).toEqual({ error: 'Username already in use' });
    expect(f('NOT_FOUND', { entity: 'ticket', key: 'id', value: 'T' }, 'No ticket')).toEqual({ error: 'No ticket' });
  });
  it('failures are isError with one text block and no structuredContent', () => {
    const meta = { correlationId: 'c', elapsedMs: () => 0 };
    const r = blackbirdPresenter.failure(blackbirdProfile.tools[0]!, { code: 'NOT_FOUND', message: 'm', nextStep: 'n', error: new ServiceError('NOT_FOUND', 'm', { entity: 'order' }) }, meta);
    expect(r).toEqual({ isError: true, content: [{ type: 'text', text: '{"error":"Order not found"}' }] });
    expect(blackbirdPresenter.success(blackbirdProfile.tools[0]!, [1], meta)).toEqual({ content: [{ type: 'text', text: '[1]' }] });
  });
});

describe('blackbird profile', () => {
  it('every input schema equals the contract\'s input_schema', () => {
    expect(blackbirdProfile.tools.map((t) => ({ name: t.name, description: t.description, input_schema: portableInputSchema(t) })))
      .toEqual(BLACKBIRD_CONTRACT);
  });
  it('cannot be combined with the support profile (both define cancel_order)', () => {
    expect(() => selectTools([supportProfile, blackbirdProfile])).toThrow(/profiles 'support' and 'blackbird' both define the tool 'cancel_order'/);
  });
  it('--read-only keeps the four lookups', () => {
    expect(selectTools([blackbirdProfile], { readOnly: true }).map((s) => s.tool.name))
      .toEqual(['get_user', 'get_order_by_id', 'get_customer_orders', 'get_user_info']);
  });
});
