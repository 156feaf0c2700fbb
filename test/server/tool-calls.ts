// One success and one expected failure for every support tool, on the shipped fixtures.
// Used by the stdio and HTTP end-to-end tests. Writes touch data no other case reads.
export const SUPPORT_TOOL_CALLS: [tool: string, args: Record<string, unknown>, isError: boolean][] = [
  ['find_customer', { email: 'john@gmail.com' }, false],
  ['find_customer', { email: 'nobody@example.com' }, true],
  ['get_order', { order_id: '24601' }, false],
  ['get_order', { order_id: '99999' }, true],
  ['list_orders', { customer_id: '1213210', limit: 2 }, false],
  ['list_orders', { customer_id: '1213210', cursor: 'bad' }, true],
  ['cancel_order', { order_id: '19283' }, false],
  ['cancel_order', { order_id: '24601' }, true],
  ['get_subscription', { customer_id: 'CUST-12345' }, false],
  ['get_subscription', { customer_id: 'CUST-001' }, true],
  ['get_billing', { customer_id: 'TEL-1001' }, false],
  ['get_billing', { customer_id: 'NOPE' }, true],
  ['update_contact', { customer_id: '3924156', phone: '555-999-0000' }, false],
  ['update_contact', { customer_id: '3924156', email: 'priya@candy.com' }, true],
  ['create_ticket', { customer_id: '3924156', category: 'technical', description: 'Tracker will not pair' }, false],
  ['create_ticket', { customer_id: '3924156', category: 'nope', description: 'x' }, true],
  ['get_ticket', { ticket_id: 'TICK-1001' }, false],
  ['get_ticket', { ticket_id: 'TICK-0000' }, true],
  ['verify_identity', { customer_id: '1057426', method: 'kba' }, false],
  ['verify_identity', { customer_id: '1057426', method: 'biometric' }, true],
];
