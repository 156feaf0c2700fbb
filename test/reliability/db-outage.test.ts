// Postgres goes away under load and comes back (issue 7, reliability): the built CLI over
// HTTP on a PRIVATE throw-away cluster (stopping the shared server on 5432 would break every
// other suite), with clients creating tickets and looking customers up while we stop the
// postmaster (`pg_ctl stop -m fast`, then `-m immediate`) and start it again.
//
// What must hold: while the database is down every call is answered promptly with an
// isError result coded DATABASE_ERROR (no hang, no 5xx, no crash); the same server process
// keeps serving (/healthz 200, /readyz 503 while down); once the database is back calls
// succeed within 5 s without restarting anything; and no acknowledged ticket is lost.
// A frozen postmaster (SIGSTOP: TCP still accepted, nothing answered) must not hang /readyz.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad, waitFor, type CallRecord, type LoadRun } from './load.js';
import {
  callTool, clusterPrerequisites, connectClient, isCI, probe, runCli, spawnServer, startPrivateCluster, withPg,
  type PrivateCluster, type ServerProcess,
} from './support.js';

const pre = await clusterPrerequisites();
// (A missing or stale dist/ fails at import: ./support.js imports ../server/cli.js.)
const missing = !pre.ok ? pre.reason : undefined;

/** A call started after the database was down must be answered well before the pool's 5 s connect timeout would fire. */
const FAIL_FAST_MS = 4_000;
/** The behavioural bound for recovery after the postmaster is back. */
const STATEMENT_TIMEOUT_MS = 2_000;
const RECOVERY_MS = 5_000;
const CUSTOMERS = ['1213210', '2837622', '3924156', 'CUST-20001', 'CUST-20003', 'CUST-12345'];

if (missing !== undefined) {
  if (isCI()) {
    // CI must run this suite: a missing prerequisite is a broken CI machine, not a skip.
    describe('database outage under load', () => {
      it('has its prerequisites', () => {
        throw new Error(`cannot run the database outage suite: ${missing}`);
      });
    });
  } else {
    describe.skip(`database outage under load — skipped: ${missing}`, () => {});
  }
} else {
  describe('database outage under load (private cluster, built CLI over HTTP)', () => {
    let cluster: PrivateCluster | undefined;
    let server: ServerProcess | undefined;
    let load: LoadRun | undefined;
    let url = '';

    beforeAll(async () => {
      cluster = await startPrivateCluster(pre as { bin: string; asPostgres: boolean });
      await withPg(cluster.url(), (c) => c.query('create database support'));
      url = cluster.url('support');
      for (const cmd of [['db', 'migrate'], ['db', 'seed']]) {
        const r = await runCli([...cmd, '--database-url', url]);
        expect(r.code, r.stderr).toBe(0);
      }
      // open access and no tool limits: this measures the database path, not the policy;
      // the HTTP rate limit is raised so the load itself is never refused.
      // A short statement timeout: the client-side query timeout (statement timeout + 2 s) is what
      // answers calls on a database that stops answering (the frozen case below).
      server = await spawnServer(['--database-url', url, '--access', 'open', '--limits', 'off', '--rate-limit', '1000000', '--db-statement-timeout-ms', String(STATEMENT_TIMEOUT_MS)]);
      load = await startLoad(server.url, 8, (worker, n) => n % 2 === 0
        ? {
            tool: 'create_ticket',
            args: {
              customer_id: CUSTOMERS[worker % CUSTOMERS.length], category: 'technical',
              description: `outage load ${worker}-${n}`, idempotency_key: `outage-${worker}-${n}`,
            },
          }
        : { tool: 'find_customer', args: { customer_id: CUSTOMERS[(worker + n) % CUSTOMERS.length] } });
    });

    afterAll(async () => {
      await load?.stop();
      if (server?.alive()) {
        const { code } = await server.kill('SIGTERM');
        expect(code).toBe(0);
      }
      await cluster?.destroy();
    });

    const since = (t: number): CallRecord[] => load!.records.filter((r) => r.t0 >= t);

    async function outageRound(mode: 'fast' | 'immediate'): Promise<void> {
      const s = server!;
      const roundStart = performance.now();
      await waitFor(() => since(roundStart).filter((r) => r.outcome.kind === 'ok').length >= 10, 10_000, 'successful calls before the outage');

      const stopAt = performance.now();
      await cluster!.stop(mode);
      const downAt = performance.now();
      // Keep the load running against the stopped database for a while.
      await waitFor(() => performance.now() - downAt > 1_500
        && since(downAt).filter((r) => r.tool === 'create_ticket').length >= 8
        && since(downAt).filter((r) => r.tool === 'find_customer').length >= 8, 10_000, 'calls during the outage');

      expect(s.alive(), `the server process must survive the outage; its last log lines:\n${s.logs.slice(-30).join('\n')}`).toBe(true);
      expect(await probe(`${s.url}/healthz`)).toBe(200);
      expect(await probe(`${s.url}/readyz`)).toBe(503);

      // Every call started once the postmaster was gone: answered, quickly, with DATABASE_ERROR.
      const down = since(downAt).filter((r) => r.t1 <= performance.now());
      for (const r of down) {
        expect(r.outcome, `${r.tool} during the outage (${mode})`).toMatchObject({ kind: 'tool_error', code: 'DATABASE_ERROR', hasStructured: false });
        expect(r.outcome.ms, `${r.tool} took ${Math.round(r.outcome.ms)} ms while the database was down`).toBeLessThan(FAIL_FAST_MS);
      }
      // Calls caught by the stop itself were answered too (ok or DATABASE_ERROR, never a transport failure).
      for (const r of load!.records.filter((x) => x.t0 < downAt && x.t1 >= stopAt)) {
        expect(r.outcome.kind === 'ok' || (r.outcome.kind === 'tool_error' && r.outcome.code === 'DATABASE_ERROR'),
          `${r.tool} in flight during the stop: ${JSON.stringify(r.outcome)}`).toBe(true);
      }
      // Nothing is stuck: no call has been waiting longer than the fail-fast bound.
      for (const [worker, f] of load!.inFlight) {
        expect(performance.now() - f.t0, `worker ${worker} ${f.tool} still waiting`).toBeLessThan(FAIL_FAST_MS + 1_000);
      }

      await cluster!.start();
      const upAt = performance.now();
      // The same server recovers on its own: a fresh client's call succeeds within the bound.
      const probeClient = await connectClient(s.url);
      try {
        let last;
        while (performance.now() - upAt < RECOVERY_MS) {
          last = await callTool(probeClient, 'find_customer', { customer_id: '1213210' });
          if (last.kind === 'ok') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(last?.kind, `no successful call within ${RECOVERY_MS} ms of the database coming back: ${JSON.stringify(last)}`).toBe('ok');
      } finally {
        await probeClient.close();
      }
      const recoveredAt = performance.now();
      await waitFor(() => since(recoveredAt).filter((r) => r.tool === 'create_ticket' && r.outcome.kind === 'ok').length >= 4,
        RECOVERY_MS, 'tickets created after recovery');
      expect(await probe(`${s.url}/readyz`)).toBe(200);
      // Once recovered, it stays recovered: no stale pooled connection fails a later call.
      const after = since(recoveredAt).filter((r) => r.t1 <= performance.now());
      expect(after.filter((r) => r.outcome.kind !== 'ok').map((r) => r.outcome)).toEqual([]);
      expect(s.alive()).toBe(true);
    }

    it('stop -m fast: calls fail fast with DATABASE_ERROR, the process stays up, and it recovers', async () => {
      await outageRound('fast');
    });

    it('stop -m immediate (postmaster crash): same behaviour', async () => {
      await outageRound('immediate');
    });

    it('a frozen database (SIGSTOP: connections accepted, never answered): /readyz answers 503 promptly, and it recovers after SIGCONT', async () => {
      const s = server!;
      const roundStart = performance.now();
      await waitFor(() => since(roundStart).filter((r) => r.outcome.kind === 'ok').length >= 10, 10_000, 'successful calls before the freeze');
      cluster!.freeze(true);
      try {
        await new Promise((r) => setTimeout(r, 300)); // let the load's calls get stuck on it
        const t0 = performance.now();
        const status = await probe(`${s.url}/readyz`);
        const ms = performance.now() - t0;
        // ping() is bounded (3 s) so the probe does not hang on a pooled connection that waits forever
        expect({ status, answeredWithinBound: ms < 4_500 }).toEqual({ status: 503, answeredWithinBound: true });
        expect(await probe(`${s.url}/healthz`)).toBe(200);
        expect(s.alive()).toBe(true);
        // Calls stuck on pooled connections when the database froze are answered once the
        // client-side query timeout (statement timeout + 2 s; twice for a write, whose ROLLBACK
        // waits too) passes, instead of waiting until the database comes back.
        const frozenAt = performance.now() - 300;
        await waitFor(() => [...load!.inFlight.values()].every((f) => f.t0 > frozenAt), 2 * (STATEMENT_TIMEOUT_MS + 2_000) + 4_000,
          'calls caught by the freeze to be answered while the database is still frozen');
        const stuckAnswers = load!.records.filter((r) => r.t0 < frozenAt && r.t0 + r.outcome.ms > frozenAt);
        expect(stuckAnswers.length).toBeGreaterThan(0);
        for (const r of stuckAnswers) expect(r.outcome).toMatchObject({ kind: 'tool_error', code: 'DATABASE_ERROR' });
        // A new call is answered DATABASE_ERROR too (query or connect timeout), not left waiting.
        const frozenClient = await connectClient(s.url);
        try {
          const stuck = await callTool(frozenClient, 'find_customer', { customer_id: '1213210' }, 20_000);
          expect(stuck).toMatchObject({ kind: 'tool_error', code: 'DATABASE_ERROR', hasStructured: false });
          expect(stuck.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 2_000 + 3_000);
        } finally {
          await frozenClient.close();
        }
      } finally {
        cluster!.freeze(false);
      }
      const upAt = performance.now();
      const probeClient = await connectClient(s.url);
      try {
        let last;
        while (performance.now() - upAt < RECOVERY_MS) {
          last = await callTool(probeClient, 'find_customer', { customer_id: '1213210' }, RECOVERY_MS);
          if (last.kind === 'ok') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(last?.kind, `no successful call within ${RECOVERY_MS} ms of the database thawing: ${JSON.stringify(last)}`).toBe('ok');
      } finally {
        await probeClient.close();
      }
      expect(await probe(`${s.url}/readyz`)).toBe(200);
      // Calls caught by the freeze were answered once it thawed: nothing is left waiting.
      await waitFor(() => load!.inFlight.size === 0 || [...load!.inFlight.values()].every((f) => f.t0 > upAt), 5_000, 'calls caught by the freeze to finish');
    });

    it('every acknowledged ticket is in the database, and the same process served throughout', async () => {
      await load!.stop();
      const acked = [...load!.ackedTickets];
      expect(acked.length).toBeGreaterThan(20);
      const { rows } = await withPg(url, (c) => c.query<{ id: string; idempotency_key: string; customer_id: string }>(
        'select id, idempotency_key, customer_id from tickets where id = any($1)', [acked.map(([id]) => id)]));
      const found = new Map(rows.map((r) => [r.id, r]));
      const lost = acked.filter(([id, t]) => found.get(id)?.idempotency_key !== t.key || found.get(id)?.customer_id !== t.customer);
      expect(lost, 'acknowledged tickets missing after the outages').toEqual([]);
      // one pid from start to end: nothing restarted it
      expect(server!.alive()).toBe(true);
      expect(server!.logs.some((l) => /uncaught|unhandled/i.test(l))).toBe(false);
    });
  });
}
