// Argument and result schemas shared by the support profile's tools. Input schemas stay
// plain (string/integer/enum/description) so every model provider accepts them.
import { z } from 'zod';
import {
  BillingAccount, Customer, Order, OrderReturn, OrderStatus, Payment, Subscription, Ticket, BankAccount, Card,
  Transaction,
} from '../../domain/index.js';

export const customerIdArg = z.string().min(1).max(64).describe('Customer id, as returned by find_customer (e.g. CUST-12345).');
export const orderIdArg = z.string().min(1).max(64).describe('Order id (e.g. ORD-2024-1234 or 24601).');

/** What a model may see of a customer: no date of birth or postcode (they are verification secrets). */
export const CustomerView = Customer.omit({ date_of_birth: true, postcode: true });
export const OrderView = Order;
export const TicketView = Ticket.omit({ idempotency_key: true });

export const CustomerResult = z.object({ customer: CustomerView });
/**
 * find_customer's result: the full customer once this conversation may see them; before
 * verification (verified access) only the id and masked contacts. One object shape (no
 * union) so every client can read the advertised output schema.
 */
export const CustomerLookupView = CustomerView.partial().extend({
  id: z.string().min(1),
  email_masked: z.string().optional().describe('Masked e-mail (before verification only), e.g. j***@example.com.'),
  phone_masked: z.string().nullable().optional().describe('Masked phone (before verification only), e.g. ***-***-7890.'),
});
export const FindCustomerResult = z.object({
  customer: CustomerLookupView,
  verification_required: z.boolean().describe('true: only the id and masked contacts are shown; verify the customer with verify_identity to see or change their data.'),
});
export const ReturnView = OrderReturn;
/** get_order: the order, and its returns when it has any (absent otherwise). */
export const OrderResult = z.object({
  order: OrderView,
  returns: z.array(ReturnView).optional().describe('Returns (RMAs) of this order, oldest first; absent when there are none.'),
});
export const ReturnResult = z.object({ return: ReturnView });
export const OrderListResult = z.object({
  orders: z.array(OrderView),
  next_cursor: z.string().nullable().describe('Pass as cursor to get the next page; null when there are no more orders.'),
});
export const SubscriptionResult = z.object({ subscription: Subscription });
/** The account as shown: autopay_day only while autopay collects on a chosen day (absent otherwise). */
export const BillingResult = BillingAccount.omit({ autopay_day: true }).extend({
  autopay_day: z.number().int().min(1).max(28).optional().describe('Day of the month (1-28) autopay collects the balance; absent: on the due date.'),
  recent_payments: z.array(Payment),
});

/** An account in BillingResult's shape (no autopay_day key unless one is set: earlier answers stay byte-identical). */
export const billingView = (account: BillingAccount): Omit<BillingAccount, 'autopay_day'> & { autopay_day?: number } => {
  const { autopay_day, ...rest } = account;
  return autopay_day === null ? rest : { ...account, autopay_day };
};
export const TicketResult = z.object({ ticket: TicketView });
export const OrderStatusArg = OrderStatus;

// ---- the support desk (issue 13)

export const cardIdArg = z.string().min(1).max(64).describe('Card id, as returned by list_cards (e.g. CARD-001-1).');
export const CardView = Card;
export const CardResult = z.object({
  card: CardView,
  message: z.string().describe('What happened, to tell the customer.'),
});
export const TransactionView = Transaction;
export const TransactionListResult = z.object({
  account: BankAccount.pick({ id: true, account_type: true, currency: true }),
  transactions: z.array(TransactionView),
  next_cursor: z.string().nullable().describe('Pass as cursor (with the same filters) to get the next page; null when there are no more transactions.'),
});
