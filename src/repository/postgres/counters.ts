// Rate-limit counters over Postgres (a control table): every hit is ONE statement, committed
// asynchronously.
import { sql } from 'kysely';
import { checkCounterGroups, checkCounterHits, PRUNE_BATCH } from '../counters.js';
import type { CounterRepository } from '../types.js';
import type { PgContext } from './context.js';

export function postgresCounters({ controlWrite }: PgContext): CounterRepository {
  return {
    async hitCounters(hits, opts = {}) {
      const checked = checkCounterHits(hits, opts);
      if (checked.hits.length === 0 && checked.pruneBefore === undefined) return {};
      // ONE statement (one round trip): a chain of upserts, each one fed by the previous one's
      // RETURNING row only while that counter is within its limit (the gate), plus an optional
      // bounded delete of ended windows. ON CONFLICT DO UPDATE increments under the row lock,
      // so concurrent hits never lose a count.
      const ctes = checked.hits.map((h, i) => {
        const name = sql.id(`h${i}`);
        const prev = checked.hits[i - 1];
        const source = prev === undefined
          ? sql`values (${h.key}::text, ${h.windowStart}::timestamptz, ${h.by}::int)`
          : sql`select ${h.key}::text, ${h.windowStart}::timestamptz, ${h.by}::int from ${sql.id(`h${i - 1}`)} p
                where ${prev.limit === undefined ? sql`true` : sql`p.count <= ${prev.limit}::float8`}`;
        return sql`${name} as (
          insert into rate_limit_counters as c (key, window_start, count) ${source}
          on conflict (key, window_start) do update set count = c.count + excluded.count
          returning c.key, c.count)`;
      });
      if (checked.pruneBefore !== undefined) {
        ctes.push(sql`pruned as (
          delete from rate_limit_counters where (key, window_start) in (
            select key, window_start from rate_limit_counters
            where window_start < ${checked.pruneBefore}::timestamptz limit ${PRUNE_BATCH}))`);
      }
      // Asynchronous commit for this statement's own (implicit) transaction only: the commit
      // does not wait for the WAL flush. Every call hits the same global counter row, so with a
      // synchronous commit each hit held that row's lock through an fdatasync and calls queued
      // behind one another (0.3–3.5 ms per hit on the bench machine, bench/README.md). A counter
      // is throttling data: a database crash may forget its last fraction of a second of hits,
      // never a customer's data (those statements keep synchronous commits). The cfg CTE is
      // joined so that it is evaluated; set_config(…, true) ends with the transaction.
      ctes.push(sql`cfg as materialized (select set_config('synchronous_commit', 'off', true) as v)`);
      const selects = checked.hits.map((_, i) => sql`select key, count from ${sql.id(`h${i}`)}`);
      const body = selects.length > 0
        ? sql`select hits.key, hits.count from (${sql.join(selects, sql` union all `)}) hits, cfg`
        : sql`select null::text as key, 0 as count from cfg where false`;
      return controlWrite({}, async (db) => {
        const { rows } = await sql<{ key: string; count: number | string }>`with ${sql.join(ctes, sql`, `)} ${body}`.execute(db);
        const out: Record<string, number> = {};
        for (const r of rows) out[r.key] = Number(r.count);
        return out;
      });
    },

    async hitCounterGroups(groups, then, opts = {}) {
      const checked = checkCounterGroups(groups, then, opts);
      if (checked.groups.length === 0 && checked.pruneBefore === undefined) return {};
      // ONE statement whatever the number of groups (arrays, so one prepared statement): the
      // groups' upsert in key order (every statement locks counters in the same order: no
      // deadlock), the checks each group lets through (passingChecks in SQL), then the shared
      // counter by their sum. Committed asynchronously, like hitCounters.
      const g = [...checked.groups].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const next = checked.then;
      const prune = checked.pruneBefore === undefined ? sql`` : sql`, pruned as (
          delete from rate_limit_counters where (key, window_start) in (
            select key, window_start from rate_limit_counters
            where window_start < ${checked.pruneBefore}::timestamptz limit ${PRUNE_BATCH}))`;
      const query = sql<{ key: string; count: number | string }>`with
        input as (
          select * from unnest(${g.map((x) => x.key)}::text[], ${g.map((x) => x.windowStart)}::timestamptz[], ${g.map((x) => x.by)}::int[],
                               ${g.map((x) => x.limit ?? null)}::float8[], ${g.map((x) => x.then)}::bool[], ${g.map((_, i) => i)}::int[])
            as i(key, window_start, by, lim, feeds, ord)),
        groups as (
          insert into rate_limit_counters as c (key, window_start, count)
          select key, window_start, by from input order by ord
          on conflict (key, window_start) do update set count = c.count + excluded.count
          returning c.key, c.count),
        passed as (
          select coalesce(sum(case when i.lim is null then i.by
                                   else greatest(0, least(i.by::bigint, floor(i.lim)::bigint - (g.count - i.by))) end), 0)::int as n
          from groups g join input i on i.key = g.key where i.feeds),
        shared as (
          insert into rate_limit_counters as c (key, window_start, count)
          select ${next?.key ?? null}::text, ${next?.windowStart ?? null}::timestamptz, n from passed where n > 0 and ${next !== undefined}
          on conflict (key, window_start) do update set count = c.count + excluded.count
          returning c.key, c.count),
        cfg as materialized (select set_config('synchronous_commit', 'off', true) as v)${prune}
        select r.key, r.count from (select key, count from groups union all select key, count from shared) r, cfg`;
      return controlWrite({}, async (db) => {
        const { rows } = await query.execute(db);
        const out: Record<string, number> = {};
        for (const r of rows) out[r.key] = Number(r.count);
        return out;
      });
    },
  };
}
