// A small closed-loop load generator for the reliability suites: N SDK clients (stateless
// Streamable HTTP) each calling tools back to back, every call recorded with its start/end
// time and outcome, every acknowledged write remembered.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, connectClient, type Outcome } from './support.js';

export interface CallRecord {
  worker: number;
  tool: string;
  args: Record<string, unknown>;
  /** performance.now() at start and end */
  t0: number;
  t1: number;
  outcome: Outcome;
}

export interface LoadRun {
  records: CallRecord[];
  /** Calls sent and not answered yet (key: worker). */
  inFlight: Map<number, { tool: string; args: Record<string, unknown>; t0: number }>;
  /** Ticket id → the idempotency key and customer of every create_ticket that answered ok. */
  ackedTickets: Map<string, { key: string; customer: string }>;
  /** Order ids whose cancel_order answered ok (changed or already cancelled). */
  ackedCancels: Set<string>;
  /** Stops issuing calls; resolves when every worker's last call has returned. */
  stop(): Promise<void>;
}

/** Decides a worker's next call (n counts its calls). */
export type NextCall = (worker: number, n: number) => { tool: string; args: Record<string, unknown> } | null;

export async function startLoad(url: string, workers: number, next: NextCall, opts: { stopOnTransportError?: boolean } = {}): Promise<LoadRun> {
  const clients: Client[] = await Promise.all(Array.from({ length: workers }, () => connectClient(url)));
  const run: LoadRun = {
    records: [], inFlight: new Map(), ackedTickets: new Map(), ackedCancels: new Set(), stop: async () => {},
  };
  let stopping = false;
  const loops = clients.map(async (client, worker) => {
    for (let n = 0; !stopping; n++) {
      const call = next(worker, n);
      if (!call) break;
      const t0 = performance.now();
      run.inFlight.set(worker, { ...call, t0 });
      const outcome = await callTool(client, call.tool, call.args);
      run.inFlight.delete(worker);
      run.records.push({ worker, tool: call.tool, args: call.args, t0, t1: performance.now(), outcome });
      if (outcome.kind === 'ok') {
        if (call.tool === 'create_ticket') {
          const ticket = outcome.data.ticket as { id: string };
          run.ackedTickets.set(ticket.id, { key: String(call.args.idempotency_key), customer: String(call.args.customer_id) });
        } else if (call.tool === 'cancel_order') {
          run.ackedCancels.add(String(call.args.order_id));
        }
      } else {
        if (outcome.kind === 'transport_error' && opts.stopOnTransportError) break; // the server is gone (crash test)
        await new Promise((r) => setTimeout(r, 20)); // do not spin on a failing server
      }
    }
  });
  run.stop = async () => {
    stopping = true;
    await Promise.all(loops);
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  };
  return run;
}

/** Resolves once `pred` holds (polled), or rejects after `timeoutMs`. */
export async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
