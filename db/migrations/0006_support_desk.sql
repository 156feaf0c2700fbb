-- The support desk (issue 13): payment cards and account transactions (customer data), and
-- the handoff queue (a control table, like the outbox).

-- Cards: one row per card, on one of the customer's bank accounts. Blocking is a
-- compare-and-set on status (active -> blocked), so concurrent block calls change it once.
create table cards (
  id              text collate "C" primary key,
  customer_id     text collate "C" not null references customers (id),
  bank_account_id text collate "C" not null references bank_accounts (id),
  brand           text not null,
  last4           text collate "C" not null,
  status          text not null default 'active',
  block_reason    text,
  blocked_at      timestamptz,
  updated_at      timestamptz not null default now(),
  constraint cards_id_check check (id <> ''),
  constraint cards_brand_check check (brand in ('visa', 'mastercard', 'amex', 'discover')),
  constraint cards_last4_check check (last4 ~ '^[0-9]{4}$'),
  constraint cards_status_check check (status in ('active', 'blocked', 'replaced')),
  constraint cards_block_reason_check check (block_reason is null or block_reason in ('lost', 'stolen', 'suspected_fraud', 'temporary')),
  -- a blocked card always says why and since when; an active one carries neither
  constraint cards_blocked_check check (
    (status = 'active' and block_reason is null and blocked_at is null)
    or (status = 'blocked' and block_reason is not null and blocked_at is not null)
    or status = 'replaced')
);
-- listCards (by customer, ordered by id) and finding a card by its last four digits
create index cards_customer_idx on cards (customer_id, last4, id);

-- Transactions: per bank account, newest first. Millions of rows on the large data set.
create table transactions (
  id              text collate "C" primary key,
  bank_account_id text collate "C" not null references bank_accounts (id),
  posted_at       timestamptz not null,
  -- signed: negative leaves the account
  amount          numeric(12, 2) not null,
  currency        text not null default 'USD',
  description     text not null,
  merchant        text,
  status          text not null,
  balance_after   numeric(12, 2),
  constraint transactions_id_check check (id <> ''),
  constraint transactions_currency_check check (currency ~ '^[A-Z]{3}$'),
  constraint transactions_description_check check (description <> ''),
  constraint transactions_status_check check (status in ('pending', 'posted'))
);
-- listTransactions: one account, a posted_at range, newest first, keyset on (posted_at, id).
-- The amount and text filters are applied to the rows this index walks, in order.
create index transactions_account_posted_idx on transactions (bank_account_id, posted_at desc, id desc);

-- Handoffs: a conversation that goes to a person. A control table like the outbox: written
-- for callers who have not verified (a customer who cannot verify must still reach someone),
-- through the control connection, so it stays writable in --read-only deployments. A help-desk
-- integration drains it: it polls the open rows of its queues oldest first
-- (handoffs_queue_idx), sets status accepted when a person takes one and closed when done.
create table handoffs (
  id                text collate "C" primary key,
  conversation_id   text collate "C" not null,
  principal         text collate "C" not null,
  -- the customer id as the caller gave it (not a foreign key: it may be unverified or wrong)
  customer_id       text collate "C",
  customer_verified boolean not null default false,
  reason            text not null,
  summary           text not null,
  priority          text not null,
  queue             text not null,
  status            text not null default 'open',
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  constraint handoffs_id_check check (id <> ''),
  constraint handoffs_conversation_check check (conversation_id <> ''),
  constraint handoffs_reason_check check (reason in ('customer_request', 'cannot_verify', 'complaint', 'fraud_or_security', 'complex_issue', 'tool_failure', 'other')),
  constraint handoffs_summary_check check (summary <> '' and char_length(summary) <= 1000),
  constraint handoffs_priority_check check (priority in ('low', 'medium', 'high', 'urgent')),
  constraint handoffs_queue_check check (queue in ('general', 'fraud', 'cards', 'billing', 'technical')),
  constraint handoffs_status_check check (status in ('open', 'accepted', 'closed'))
);
-- One handoff in progress per conversation (of one principal): a retry finds it.
create unique index handoffs_active_conversation_key on handoffs (principal, conversation_id) where status <> 'closed';
-- What a help desk polls, and a handoff's position in its queue.
create index handoffs_queue_idx on handoffs (queue, created_at, id) where status = 'open';

-- Customer preferences: one row per customer once anything is set (no row = the defaults:
-- email, en, no marketing, UTC). Updated as one upsert of the given fields.
create table customer_preferences (
  customer_id      text collate "C" primary key references customers (id),
  contact_channel  text not null default 'email',
  language         text not null default 'en',
  marketing_opt_in boolean not null default false,
  timezone         text not null default 'UTC',
  updated_at       timestamptz not null default now(),
  constraint customer_preferences_channel_check check (contact_channel in ('email', 'sms', 'phone')),
  constraint customer_preferences_language_check check (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  constraint customer_preferences_timezone_check check (timezone <> '' and char_length(timezone) <= 64)
);

-- Callbacks: a call back to the phone number on file, in a window inside business hours.
-- Scheduling locks the customer's row, so the "at most N open per customer" count and the
-- insert are one step; an identical request (request_key) while it is scheduled finds it.
create table callbacks (
  id              text collate "C" primary key,
  customer_id     text collate "C" not null references customers (id),
  destination     text not null,
  window_start    timestamptz not null,
  window_end      timestamptz not null,
  topic           text not null,
  status          text not null default 'scheduled',
  conversation_id text,
  request_key     text collate "C" not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint callbacks_id_check check (id <> ''),
  constraint callbacks_destination_check check (destination <> ''),
  constraint callbacks_window_check check (window_end > window_start),
  constraint callbacks_topic_check check (topic <> '' and char_length(topic) <= 200),
  constraint callbacks_status_check check (status in ('scheduled', 'cancelled', 'completed'))
);
create unique index callbacks_customer_request_key on callbacks (customer_id, request_key) where status = 'scheduled';
create index callbacks_customer_idx on callbacks (customer_id, window_start, id);
