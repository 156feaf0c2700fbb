-- Issue 14: billing and commerce (money in every currency, autopay, statements, returns).

-- Money in every currency: amounts are exact counts of the currency's minor units (ISO 4217:
-- JPY 0 decimals, USD/EUR/GBP 2, KWD/BHD 3). numeric(13,3) holds every one of them exactly and
-- keeps the 10 digits before the point numeric(12,2) had; 13 significant digits also come
-- back exactly from a double (see src/domain/money.ts). Existing values are unchanged.
alter table orders alter column total type numeric(13, 3);
alter table order_items alter column unit_price type numeric(13, 3);
alter table subscriptions alter column amount type numeric(13, 3);
alter table billing_accounts alter column balance type numeric(13, 3);
alter table payments alter column amount type numeric(13, 3);
alter table bank_accounts alter column balance type numeric(13, 3);
alter table tickets alter column amount type numeric(13, 3);

-- Autopay: the day of the month the balance is collected (null: the due date).
alter table billing_accounts add column autopay_day integer;
alter table billing_accounts add constraint billing_accounts_autopay_day_check
  check (autopay_day is null or (autopay_day between 1 and 28));

-- Charges posted to a billing account (fees, usage, purchases): with payments they make up a
-- monthly statement. The account's balance is the running result; statements are anchored on it.
create table billing_charges (
  id          text collate "C" primary key,
  customer_id text collate "C" not null references customers (id),
  charged_on  date not null,
  description text not null,
  amount      numeric(13, 3) not null,
  currency    text not null,
  constraint billing_charges_id_check check (id <> ''),
  constraint billing_charges_description_check check (description <> ''),
  constraint billing_charges_currency_check check (currency ~ '^[A-Z]{3}$')
);
create index billing_charges_customer_charged_idx on billing_charges (customer_id, charged_on, id);

-- Returns (RMAs) of delivered orders. A delivered order's estimated_delivery is the day it was
-- delivered: the return window counts from it.

create table order_returns (
  id              text collate "C" primary key,
  order_id        text collate "C" not null references orders (id),
  customer_id     text collate "C" not null references customers (id),
  status          text not null default 'requested',
  reason          text not null,
  refund_estimate numeric(13, 3) not null,
  currency        text not null,
  -- what was asked (items and reason, canonical): an identical retry finds the same return
  request_hash    text not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint order_returns_id_check check (id <> ''),
  constraint order_returns_status_check check (status in ('requested', 'received', 'refunded', 'rejected')),
  constraint order_returns_refund_check check (refund_estimate >= 0),
  constraint order_returns_currency_check check (currency ~ '^[A-Z]{3}$'),
  constraint order_returns_request_key unique (order_id, request_hash)
);
create index order_returns_order_idx on order_returns (order_id, created_at, id);

create table order_return_items (
  return_id text collate "C" not null references order_returns (id) on delete cascade,
  -- the order item's line_no
  line_no   integer not null,
  product   text not null,
  quantity  integer not null,
  primary key (return_id, line_no),
  constraint order_return_items_quantity_check check (quantity > 0)
);
