// Where a Postgres-backed call's server CPU goes, by layer: support-mcp runs under
// `node --cpu-prof` and answers the `postgres` scenario's look-ups (get_order, then
// find_customer, BENCH_CONCURRENCY clients, 32 by default) over stdio, stateless HTTP and
// stateful HTTP; the profile's self time is charged to layers (bench/profile-layers.mjs) and
// printed as microseconds per call. The profiler samples the main thread's wall time: a
// syscall that wakes Postgres or the client (writev) also counts time the process spent
// descheduled on a small machine, so the CPU-per-call figures of `postgres` are the ones to
// judge by; this table says where, relatively. The profiles are kept in <results>/profiles/ (open them in Chrome
// DevTools or speedscope). BENCH_PROFILE_POLICY=default profiles the default policy
// (--access verified, limits on, a conversation verified once) instead of --access open
// --limits off. Needs DATABASE_URL of a seeded database.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  CLI, DB_POOL_SIZE, ensureSeeded, envInt, envList, httpCall, httpClient, initHttpSession, initialize, pick, printGrid, resultsDir,
  runLoad, saveResult, skip, spawnStdio, startHttp, stdioCall, stop,
} from './lib.mjs';
import { LAYERS, layersOf, topFrames } from './profile-layers.mjs';
import { lookupSet, policyArgs } from './policy.mjs';

const URL_ = process.env.DATABASE_URL;
if (!URL_) skip('profile', 'DATABASE_URL is not set (see bench/README.md)');
const N = envInt('BENCH_N', 4000, 40);
const WARMUP = envInt('BENCH_WARMUP', 300, 10);
const C = envList('BENCH_CONCURRENCY', '32')[0] ?? 32;
const POLICY = process.env.BENCH_PROFILE_POLICY === 'default' ? 'default' : 'off';

await ensureSeeded(URL_);
const dir = path.join(resultsDir(), 'profiles');
mkdirSync(dir, { recursive: true });
const env = { DATABASE_URL: URL_ };
const serverArgs = ['--log-level', 'info', ...policyArgs(POLICY), '--db-pool-size', String(DB_POOL_SIZE)];

const profileArgs = (tag) => {
  const out = path.join(dir, tag);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return { out, args: ['--cpu-prof', '--cpu-prof-dir', out, '--cpu-prof-interval', '250'] };
};
const onlyProfile = (out) => {
  const files = readdirSync(out).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one profile in ${out}, found ${files.length}`);
  return path.join(out, files[0]);
};

async function workload(call, set) {
  const calls = [];
  for (const [tool, ids, argName] of [['get_order', set.orderIds, 'order_id'], ['find_customer', set.customerIds, 'customer_id']]) {
    const one = (i) => call(tool, { [argName]: pick(ids, i), ...set.extra });
    await runLoad(C, WARMUP, one);
    await runLoad(C, N, one);
    calls.push(WARMUP + N);
  }
  return calls.reduce((a, b) => a + b, 0);
}

const results = {};
const tables = {};
for (const transport of ['stdio', 'http stateless', 'http stateful']) {
  const tag = `${transport.replace(' ', '-')}-${POLICY}`;
  const { out, args } = profileArgs(tag);
  let calls;
  if (transport === 'stdio') {
    const conn = spawnStdio([...args, CLI, ...serverArgs], env);
    await initialize(conn);
    const call = (tool, a) => stdioCall(conn, tool, a);
    const set = await lookupSet(POLICY, URL_, call);
    calls = await workload(call, set) + set.calls;
    await conn.close();
  } else {
    const stateful = transport === 'http stateful';
    const srv = await startHttp([...args, CLI, '--transport', 'http', '--port', '0', '--rate-limit', '1000000', ...serverArgs, ...(stateful ? ['--stateful'] : [])], env);
    const client = httpClient(srv.url);
    const session = stateful ? { 'mcp-session-id': await initHttpSession(client) } : {};
    const call = (tool, a) => httpCall(client, tool, a, session);
    const set = await lookupSet(POLICY, URL_, call);
    calls = await workload(call, set) + set.calls;
    client.close();
    await stop(srv.child);
  }
  const file = onlyProfile(out);
  const profile = JSON.parse(readFileSync(file, 'utf8')); // read once, for both summaries
  const { ms, total } = layersOf(profile);
  tables[transport] = { calls, total_ms: +total.toFixed(1), us_per_call: Object.fromEntries(LAYERS.map((l) => [l, +((ms[l] / calls) * 1000).toFixed(1)])) };
  results[transport] = { ...tables[transport], profile: path.relative(resultsDir(), file), top: topFrames(profile, 30).map(([k, v]) => [k, +v.toFixed(1)]) };
}

console.log(`\nprofile: server self time by layer, µs per call (get_order + find_customer, ${C} clients, policy ${POLICY})`);
const cols = ['layer', ...Object.keys(tables)];
const row = (label, values) => Object.fromEntries([['layer', label], ...values.map((v, i) => [cols[i + 1], v])]);
const rows = LAYERS.map((l) => row(l, Object.values(tables).map((t) => t.us_per_call[l])));
rows.push(row('total (profiled, sampling on)', Object.values(tables).map((t) => +((t.total_ms / t.calls) * 1000).toFixed(1))));
printGrid(cols, rows);
for (const [t, r] of Object.entries(results)) {
  console.log(`\n${t}: heaviest frames (self ms over ${r.calls} calls)`);
  for (const [k, v] of r.top.slice(0, 15)) console.log(`  ${String(v).padStart(8)}  ${k}`);
}
saveResult(`profile-${POLICY}`, { n: N, warmup: WARMUP, concurrency: C, policy: POLICY, ...results });
