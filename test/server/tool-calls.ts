// One success and one expected failure for every support tool, on the shipped fixtures.
// Used by the stdio and HTTP end-to-end tests. Writes touch data no other case reads, and
// repeating them (several transports share a server) still succeeds: they are idempotent.

/** A weekday (Mon-Fri) 3 to 9 days ahead: inside the default callback hours and 14 days. */
const CALLBACK_DAY = (() => {
  for (let d = 3; ; d++) {
    const day = new Date(Date.now() + d * 86_400_000);
    if (day.getUTCDay() >= 1 && day.getUTCDay() <= 5) return day.toISOString().slice(0, 10);
  }
})();

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
  ['set_autopay', { customer_id: 'TEL-1003', enabled: true }, false],
  ['set_autopay', { customer_id: 'TEL-1005', enabled: true }, true],
  ['get_statement', { customer_id: 'TEL-1007' }, false],
  ['get_statement', { customer_id: 'TEL-1007', month: '2999-01' }, true],
  ['request_return', { order_id: 'ORD-R-6001', items: [{ product: 'Mobile Router', quantity: 1 }], reason: 'damaged' }, false],
  ['request_return', { order_id: 'ORD-R-5002', items: [{ product: 'Smart Plug 4-pack', quantity: 1 }], reason: 'other' }, true],
  // a return's id is random (no shipped fixture has one): the refusal only
  ['get_return', { return_id: 'RMA-0000000000' }, true],
  ['list_cards', { customer_id: 'CUST-005' }, false],
  ['list_cards', { customer_id: 'NOPE' }, true],
  ['block_card', { card_id: 'CARD-005-1', reason: 'temporary' }, false],
  ['block_card', { card_id: 'CARD-004-2', reason: 'lost' }, true],
  ['unblock_card', { card_id: 'CARD-001-2' }, false],
  ['unblock_card', { card_id: 'CARD-003-2' }, true],
  // transactions are account data: a verification in the conversation is needed under every
  // access policy (like banking balances), so without one both calls are refused
  ['list_transactions', { customer_id: 'CUST-001' }, true],
  ['list_transactions', { customer_id: 'CUST-001', from_date: '2024-13-01' }, true],
  ['update_preferences', { customer_id: 'CUST-008', language: 'es' }, false],
  ['update_preferences', { customer_id: 'CUST-008', timezone: 'Mars/Olympus' }, true],
  ['schedule_callback', { customer_id: 'CUST-007', date: CALLBACK_DAY, from_time: '10:00', to_time: '11:00', topic: 'Card delivery' }, false],
  ['schedule_callback', { customer_id: 'CUST-007', date: '2024-12-02', from_time: '10:00', to_time: '11:00', topic: 'Card delivery' }, true],
  ['cancel_callback', { callback_id: 'CB-0002' }, false],
  ['cancel_callback', { callback_id: 'CB-0001' }, true],
  ['transfer_to_agent', { reason: 'customer_request', summary: 'The customer asks for a person.' }, false],
  ['transfer_to_agent', { reason: 'customer_request', summary: '   ' }, true],
];
