-- support-mcp schema, version 1.
-- Postgres 15 compatible and runnable on PGlite (no extensions).
-- Integrity lives here: every enum is a CHECK, every reference a foreign key, every
-- lookup key a unique index. Identifier columns use the "C" collation so ids sort by
-- code point, exactly as the in-memory backend compares strings (keyset pagination
-- breaks ties on id), and so comparisons on them are cheap.

create table customers (
  id             text collate "C" primary key,
  name           text not null,
  email          text not null,
  phone          text,
  -- digits-only match key computed by phoneKey() in the application; null = not matchable
  phone_key      text collate "C",
  username       text collate "C",
  account_number text collate "C",
  tier           text not null default 'standard',
  risk_level     text not null default 'low',
  kyc_status     text not null default 'pending',
  status         text not null default 'active',
  date_of_birth  date,
  postcode       text,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  constraint customers_id_check check (id <> ''),
  constraint customers_name_check check (name <> ''),
  constraint customers_email_check check (length(email) >= 3),
  constraint customers_phone_key_check check (phone_key is null or (phone is not null and phone_key ~ '^[0-9]{7,15}$')),
  constraint customers_tier_check check (tier in ('basic', 'standard', 'premium', 'enterprise')),
  constraint customers_risk_level_check check (risk_level in ('low', 'medium', 'high')),
  constraint customers_kyc_status_check check (kyc_status in ('pending', 'verified', 'rejected')),
  constraint customers_status_check check (status in ('active', 'suspended', 'blocked'))
);
-- Created in this order on purpose: when one update collides on both, email is reported first.
create unique index customers_email_lower_key on customers (lower(email));
create unique index customers_phone_key_key on customers (phone_key) where phone_key is not null;
create unique index customers_username_key on customers (username);
create unique index customers_account_number_key on customers (account_number);

create table orders (
  id                 text collate "C" primary key,
  customer_id        text collate "C" not null references customers (id),
  status             text not null,
  total              numeric(12, 2) not null,
  currency           text not null default 'USD',
  ordered_at         timestamptz not null,
  estimated_delivery date,
  updated_at         timestamptz not null default now(),
  cancelled_at       timestamptz,
  constraint orders_id_check check (id <> ''),
  constraint orders_status_check check (status in ('processing', 'pending', 'shipped', 'delivered', 'cancelled')),
  constraint orders_total_check check (total >= 0),
  constraint orders_currency_check check (currency ~ '^[A-Z]{3}$')
);
-- listOrders: newest first per customer, keyset on (ordered_at, id); also serves the FK.
create index orders_customer_ordered_idx on orders (customer_id, ordered_at desc, id desc);
-- listOrders with a status filter.
create index orders_customer_status_ordered_idx on orders (customer_id, status, ordered_at desc, id desc);

create table order_items (
  order_id   text collate "C" not null references orders (id) on delete cascade,
  line_no    integer not null,
  product    text not null,
  quantity   integer not null,
  unit_price numeric(12, 2) not null,
  primary key (order_id, line_no),
  constraint order_items_line_no_check check (line_no >= 1),
  constraint order_items_product_check check (product <> ''),
  constraint order_items_quantity_check check (quantity > 0),
  constraint order_items_unit_price_check check (unit_price >= 0)
);

create table subscriptions (
  id                text collate "C" primary key,
  customer_id       text collate "C" not null references customers (id),
  plan              text not null,
  status            text not null,
  amount            numeric(12, 2) not null,
  currency          text not null default 'USD',
  next_billing_date date,
  last_payment_date date,
  started_at        timestamptz not null,
  constraint subscriptions_id_check check (id <> ''),
  constraint subscriptions_plan_check check (plan <> ''),
  constraint subscriptions_status_check check (status in ('active', 'cancelled', 'past_due', 'trial')),
  constraint subscriptions_amount_check check (amount >= 0),
  constraint subscriptions_currency_check check (currency ~ '^[A-Z]{3}$')
);
create index subscriptions_customer_idx on subscriptions (customer_id, started_at desc, id desc);

create table billing_accounts (
  customer_id    text collate "C" primary key references customers (id),
  -- may be negative (a credit)
  balance        numeric(12, 2) not null,
  currency       text not null default 'USD',
  due_date       date,
  latest_charges text not null default '',
  -- always masked by the application ('Visa ending in 1234')
  payment_method text,
  autopay        boolean not null default false,
  updated_at     timestamptz not null default now(),
  constraint billing_accounts_currency_check check (currency ~ '^[A-Z]{3}$')
);

create table payments (
  id          text collate "C" primary key,
  customer_id text collate "C" not null references customers (id),
  paid_on     date not null,
  amount      numeric(12, 2) not null,
  currency    text not null default 'USD',
  method      text not null,
  constraint payments_id_check check (id <> ''),
  constraint payments_amount_check check (amount >= 0),
  constraint payments_currency_check check (currency ~ '^[A-Z]{3}$'),
  constraint payments_method_check check (method <> '')
);
create index payments_customer_paid_idx on payments (customer_id, paid_on desc, id desc);

create table bank_accounts (
  id           text collate "C" primary key,
  customer_id  text collate "C" not null references customers (id),
  account_type text collate "C" not null,
  -- for credit accounts the amount owed; checking may be overdrawn, so no sign rule
  balance      numeric(12, 2) not null,
  currency     text not null default 'USD',
  last_updated timestamptz not null default now(),
  constraint bank_accounts_id_check check (id <> ''),
  constraint bank_accounts_account_type_check check (account_type in ('checking', 'savings', 'credit')),
  constraint bank_accounts_currency_check check (currency ~ '^[A-Z]{3}$'),
  -- one account per type per customer; also serves listBankAccounts (ordered by type)
  constraint bank_accounts_customer_type_key unique (customer_id, account_type)
);

create table tickets (
  id              text collate "C" primary key,
  number          text collate "C" not null,
  customer_id     text collate "C" not null references customers (id),
  category        text not null,
  priority        text not null,
  status          text not null default 'open',
  description     text not null,
  amount          numeric(12, 2),
  currency        text,
  conversation_id text,
  idempotency_key text,
  -- ticketRequestHash() of the request; tells a retry apart from a reused idempotency key
  request_hash    text not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint tickets_id_check check (id <> ''),
  constraint tickets_number_check check (number <> ''),
  constraint tickets_category_check check (category in (
    'billing', 'shipping', 'technical', 'account', 'order', 'delivery',
    'fraud', 'dispute', 'chargeback', 'account_issue', 'transaction_inquiry', 'other')),
  constraint tickets_priority_check check (priority in ('low', 'medium', 'high', 'urgent')),
  constraint tickets_status_check check (status in ('open', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed')),
  constraint tickets_description_check check (description <> ''),
  constraint tickets_amount_check check (amount >= 0),
  constraint tickets_currency_check check (currency ~ '^[A-Z]{3}$'),
  constraint tickets_idempotency_key_check check (length(idempotency_key) between 1 and 200),
  constraint tickets_request_hash_check check (request_hash ~ '^[0-9a-f]{64}$')
);
create unique index tickets_number_key on tickets (number);
-- Idempotent creation: INSERT ... ON CONFLICT (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL
create unique index tickets_customer_idempotency_key on tickets (customer_id, idempotency_key)
  where idempotency_key is not null;
create index tickets_customer_created_idx on tickets (customer_id, created_at desc, id desc);

create table verifications (
  id              text collate "C" primary key,
  customer_id     text collate "C" not null references customers (id),
  conversation_id text collate "C" not null,
  method          text not null,
  status          text not null default 'pending',
  -- keyed hash of the one-time code; the code itself is never stored
  code_hash       text,
  delivered_to    text,
  attempts        integer not null default 0,
  max_attempts    integer not null,
  expires_at      timestamptz not null,
  verified_at     timestamptz,
  created_at      timestamptz not null default now(),
  constraint verifications_id_check check (id <> ''),
  constraint verifications_conversation_id_check check (conversation_id <> ''),
  constraint verifications_method_check check (method in ('otp', 'kba', 'biometric')),
  constraint verifications_status_check check (status in ('pending', 'verified', 'failed', 'expired')),
  constraint verifications_attempts_check check (attempts >= 0 and attempts <= max_attempts),
  constraint verifications_max_attempts_check check (max_attempts > 0),
  constraint verifications_verified_at_check check (status <> 'verified' or verified_at is not null)
);
create index verifications_customer_conversation_idx on verifications (customer_id, conversation_id, created_at desc);
-- findActiveVerification: verified, unexpired, newest verified_at first
create index verifications_active_idx on verifications (customer_id, conversation_id, verified_at desc)
  where status = 'verified';

create table audit_log (
  id              bigserial primary key,
  at              timestamptz not null default now(),
  conversation_id text,
  tool            text not null,
  customer_id     text collate "C",
  outcome         text not null,
  error_code      text,
  duration_ms     integer not null default 0,
  -- tool arguments, PII already redacted by the caller
  args            jsonb not null default '{}'::jsonb,
  constraint audit_log_tool_check check (tool <> ''),
  constraint audit_log_outcome_check check (outcome in ('ok', 'error')),
  constraint audit_log_duration_ms_check check (duration_ms >= 0),
  constraint audit_log_args_check check (jsonb_typeof(args) = 'object')
);
-- no foreign key on customer_id: the trail outlives (and may name) customers that do not exist
create index audit_log_customer_idx on audit_log (customer_id, id) where customer_id is not null;
create index audit_log_at_idx on audit_log (at);
