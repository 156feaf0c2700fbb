-- Rate-limit counters (issue 6): one row per (key, fixed window). Keys name the scope, e.g.
-- 'conversation:1m:<conversation id>', 'customer:1h:<customer id>', 'global:1h',
-- 'verification:1h:<customer id>'; window_start is the start of the minute or hour. Every
-- replica on this database increments the same rows, so the limits hold deployment-wide.
-- A check is one INSERT ... ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1
-- RETURNING count, atomic per row, so concurrent calls never lose an increment.
--
-- Not business data and not the audit trail: rows of windows that have ended are deleted
-- opportunistically (in bounded batches) by the checks themselves; the index below serves that.
create table rate_limit_counters (
  key          text collate "C" not null,
  window_start timestamptz not null,
  count        integer not null default 0,
  constraint rate_limit_counters_pkey primary key (key, window_start),
  constraint rate_limit_counters_key_check check (key <> '' and length(key) <= 512),
  constraint rate_limit_counters_count_check check (count >= 0)
);
create index rate_limit_counters_window_start_idx on rate_limit_counters (window_start);
