// The domain model: zod schemas are the single source of every type below.
export * from './common.js';
export * from './money.js';
export * from './customer.js';
export * from './order.js';
export * from './subscription.js';
export * from './billing.js';
export * from './banking.js';
export * from './desk.js';
export * from './ticket.js';
export * from './verification.js';
export * from './audit.js';
export * from './principal.js';
export * from './masking.js';
