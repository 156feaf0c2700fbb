-- The verification outbox: one row per message (a one-time code) that a sender must deliver.
-- The server only INSERTs here; delivering is another process's job (a real SMS/e-mail
-- sender, or `support-mcp outbox` printing codes for demos). A sender polls the pending rows
-- (sent_at is null, expires_at in the future), sends `body` with {code} replaced by `code` to
-- `destination` over `channel`, and marks the row sent, which also clears the code.
--
-- Restricted by design: this is the ONLY place a one-time code exists in plain text (the
-- verifications table keeps an HMAC of it), because the sender needs it. Grant SELECT/UPDATE
-- on this table to the sender's role only; the code is useless after expires_at (10 minutes
-- by default) and is wiped when the row is marked sent.
create table outbox (
  id              text collate "C" primary key,
  channel         text not null,
  -- the full address or number: what the sender needs (masked everywhere else)
  destination     text not null,
  -- message text; the sender replaces {code} with `code`
  body            text not null,
  code            text,
  verification_id text collate "C" references verifications (id) on delete cascade,
  customer_id     text collate "C",
  expires_at      timestamptz,
  created_at      timestamptz not null default now(),
  sent_at         timestamptz,
  constraint outbox_id_check check (id <> ''),
  constraint outbox_channel_check check (channel in ('email', 'sms')),
  constraint outbox_destination_check check (destination <> ''),
  constraint outbox_body_check check (body <> ''),
  constraint outbox_sent_code_check check (sent_at is null or code is null)
);
-- What a sender polls: unsent messages, oldest first.
create index outbox_pending_idx on outbox (created_at, id) where sent_at is null;
create index outbox_verification_idx on outbox (verification_id);

-- A KBA answer or a new one-time code looks for the newest challenge of a customer in a
-- conversation by method (the lock-out window after too many wrong answers).
create index verifications_customer_conversation_method_idx
  on verifications (customer_id, conversation_id, method, created_at desc, id desc);
