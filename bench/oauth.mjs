// OAuth cost (issue 17): Streamable HTTP stateless `find_customer` on fixtures with a static
// bearer token vs a JWT access token validated against an issuer's JWKS (RS256, the default
// of Keycloak, Auth0, Entra ID and Okta), two servers, same run, interleaved blocks. The
// issuer is a minimal discovery + JWKS endpoint in this process (the keys are fetched once
// and cached, as in production); one token per server, reused for every call, as a client
// does until it expires (the server remembers a verified token for up to a minute), and a
// third row where every call brings a token the server has never seen (full signature and
// claims check each time: the worst case). Server CPU per call from /proc/<pid>/stat.
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { CLI, Meter, envInt, envList, httpCall, httpClient, printTable, runLoad, saveResult, startHttp, stop } from './lib.mjs';

const N = envInt('BENCH_N', 4000, 100);
const WARMUP = envInt('BENCH_WARMUP', 500, 20);
const BLOCK = Math.max(1, Math.min(N, envInt('BENCH_BLOCK', 500, 50)));
const LEVELS = envList('BENCH_CONCURRENCY', '1,16');
const STATIC = 'bench-static-token-0123456789abcdef';
const SUPPORT = [CLI, '--transport', 'http', '--port', '0', '--fixtures', '--rate-limit', '1000000', '--access', 'open', '--limits', 'off'];
const FIND = ['find_customer', { customer_id: '1213210' }];

// The issuer: discovery document and JWKS on a loopback port.
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
const issuerServer = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
  else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
  else res.writeHead(404).end('{}');
});
await new Promise((r) => issuerServer.listen(0, '127.0.0.1', r));
const issuer = `http://127.0.0.1:${issuerServer.address().port}`;

const [staticServer, jwtServer] = await Promise.all([
  startHttp([...SUPPORT, '--auth-token', STATIC]),
  startHttp([...SUPPORT, '--oauth-issuer', issuer]),
]);
const mint = (jti) => new SignJWT({ scope: 'support:read support:write support:verify', client_id: 'bench-client', jti })
  .setProtectedHeader({ alg: 'RS256', kid: 'bench-1', typ: 'at+jwt' })
  .setIssuer(issuer).setAudience(jwtServer.url).setSubject('bench-user').setIssuedAt().setExpirationTime('2h')
  .sign(privateKey);
const jwt = await mint('shared');

const variants = [
  { name: 'static token', server: staticServer, token: STATIC },
  { name: 'JWT (RS256, JWKS cached)', server: jwtServer, token: jwt },
  { name: 'JWT, a new token every call', server: jwtServer, fresh: true },
];
// Tokens for the fresh row, minted before each level's measurement (signing is the bench's CPU, not the server's).
let freshTokens = [];
const mintFresh = async (level, n) => {
  freshTokens = [];
  for (let i = 0; i < n; i++) freshTokens.push(await mint(`c${level}-${i}`));
};
const results = {};
try {
  for (const v of variants) {
    v.client = httpClient(v.server.url);
    v.one = v.fresh
      ? (i) => httpCall(v.client, ...FIND, { authorization: `Bearer ${freshTokens[i]}` })
      : () => httpCall(v.client, ...FIND, { authorization: `Bearer ${v.token}` });
    if (!v.fresh) await runLoad(1, WARMUP, v.one);
  }
  for (const c of LEVELS) {
    await mintFresh(c, N);
    const meters = variants.map((v) => new Meter(v.name, v.server.child.pid));
    for (let done = 0; done < N; done += BLOCK) {
      const n = Math.min(BLOCK, N - done);
      for (const [i, v] of variants.entries()) await meters[i].block(c, n, v.one);
    }
    const table = printTable(`oauth: HTTP stateless find_customer, ${c} client(s), ${N} calls per row (blocks of ${BLOCK}, interleaved)`, meters.map((m) => m.row()), 'static token');
    for (const j of table.slice(1)) {
      console.log(`  ${j.name} vs static: server CPU/call ${j.ratio_cpu ?? '?'}x (${j.cpu_ms_per_call} vs ${table[0].cpu_ms_per_call} ms), throughput ${j.ratio_per_s}x, p50 ${j.ratio_p50}x`);
    }
    results[`c${c}`] = table;
  }
} finally {
  for (const v of variants) v.client?.close();
  await Promise.all(variants.map((v) => stop(v.server.child)));
  issuerServer.close();
}
saveResult('oauth', { n: N, warmup: WARMUP, block: BLOCK, ...results });
