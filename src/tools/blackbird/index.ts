// The `blackbird` legacy-contract profile: the six Claude tools of the Blackbird / TechNova
// support bot (seed 003 = aie-onramp/fastapi-demo specs/001-blackbird-refactor/contracts/
// ai-tools.md; background in shared/reference/blackbird.md). Where seed and reference differ,
// the seed wins. Choices made where the contract is silent or ambiguous:
//
// - Schemas: names, descriptions, enums, required and patterns are the seed's verbatim
//   (not the course notebook's nor backend/ai_tools.py's: `user_id`, not `customer_id`;
//   get_user_info keys are email|phone|username). `format: email` and `minProperties: 2`
//   are added by patchInputJsonSchema; zod enforces the same rules (email refine; a refine
//   requiring email or phone, so `{user_id, <unknown key>}` is refused although it would
//   satisfy minProperties). Unknown keys are ignored. "" / null email or phone count as absent.
// - Lookups: email matches case-insensitively and phone on its digits (the shared service
//   rules); the course matched exactly. Any customer in the store can be found, not only
//   TechNova's 7-digit ones.
// - Orders are `{id, customer_id, product, quantity, price, status}` with the contract's four
//   statuses. Our `pending` (not in the contract) is shown as `Processing`: not shipped,
//   still cancellable. A one-item order is that item (price = unit price, as in the course
//   data); a multi-item order is one line listing every item ("2 x Cable, Stand") with
//   quantity 1 and price = order total, so quantity × price is always what was charged.
// - Order lists (get_customer_orders, get_user_info) are complete and oldest first, as in
//   the contract's example (24601 before 13579); bounded to the newest 1000 orders.
//   get_customer_orders for an unknown customer returns `[]`, as the course and fastapi-demo
//   do (the contract lists no error for it).
// - Data differs from the contract's examples: the fixtures keep the course's john@gmail.com
//   (contract: john@example.com) and 13579 as Processing (contract shows it Cancelled).
// - cancel_order: success `{"status":"Cancelled","message":"Order N has been successfully
//   cancelled"}`. Any other non-cancellable status (Shipped, Delivered) gives the contract's
//   `{"error":"Order has already shipped. Can't cancel it.","status":"<Status>"}` (one space,
//   as the seed writes it, not the course's two). An already-cancelled order is refused too,
//   since the seed says it "only works if the order status is currently 'Processing'":
//   `{"error":"Order has already been cancelled","status":"Cancelled"}` (same shape, nothing
//   changes, so the tool stays idempotent in effect).
// - Errors are the contract's objects, flagged isError:true (they are failures; MCP clients
//   and the fastapi-demo bot both mark results with an "error" key as errors). Unknown
//   customer: "Couldn't find a user with <key> of <value>" (update_user_contact says
//   `user_id of N`). Unknown order: "Order not found". Email conflict: "Email already in use
//   by another customer"; phone conflict, not in the contract, by analogy "Phone already in
//   use by another customer". Invalid arguments (zod) and service validation failures:
//   `{"error":"Validation failed","details":[{field, message}, ...]}`. Unexpected failures:
//   `{"error":"Something went wrong ... (reference X).","details":{"correlation_id":X}}`
//   (the contract's generic `{error, details}` form); other codes `{"error": message}`.
// - Results are one text block with the contract's JSON and no structuredContent, and
//   tools/list advertises no outputSchema (structured=false): the contract is text read by a
//   Claude tool-use bot, get_customer_orders returns a top-level array (structuredContent
//   must be an object), and an outputSchema is not part of the contract's tool list.
import type { Profile } from '../profile.js';
import cancelOrder from './cancel-order.js';
import getCustomerOrders from './get-customer-orders.js';
import getOrderById from './get-order-by-id.js';
import getUser from './get-user.js';
import getUserInfo from './get-user-info.js';
import { blackbirdPresenter } from './presenter.js';
import updateUserContact from './update-user-contact.js';

export const blackbirdProfile: Profile = {
  defaultAccess: 'open',
  defaultRateLimits: false,
  name: 'blackbird',
  description: 'Blackbird / TechNova legacy contract (fastapi-demo ai-tools.md): six Claude tools, results as plain JSON text.',
  presenter: blackbirdPresenter,
  instructions: 'TechNova customer-support tools. Find the customer with get_user (by email, phone or username) or get_user_info, which also lists their orders; the user\'s id is the customer_id of get_customer_orders and the user_id of update_user_contact. get_order_by_id looks up one order; cancel_order cancels an order only while it is Processing. Never guess identifiers.',
  tools: [getUser, getOrderById, getCustomerOrders, cancelOrder, updateUserContact, getUserInfo],
};
