// --metrics-port: GET /metrics for a server that speaks stdio (no HTTP app of its own).
// Protected like the HTTP transport's endpoints: loopback unless tokens are configured (the
// CLI refuses a non-loopback address without --auth-token), and then a valid bearer token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { staticTokenVerifier } from '../transports/bearer-tokens.js';
import type { StaticToken } from '../transports/static-tokens.js';

export interface MetricsEndpoint {
  contentType: string;
  render(): Promise<string>;
}

export interface RunningMetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(
  metrics: MetricsEndpoint, opts: { host: string; port: number; tokens: readonly StaticToken[] },
): Promise<RunningMetricsServer> {
  const verifier = opts.tokens.length > 0 ? staticTokenVerifier(opts.tokens) : null;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
        return;
      }
      if (verifier) {
        const m = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
        const ok = m ? await verifier.verifyAccessToken(m[1]!).then(() => true, () => false) : false;
        if (!ok) {
          res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'text/plain' }).end('Unauthorized\n');
          return;
        }
      }
      try {
        const body = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType }).end(body);
      } catch {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  server.unref(); // never what keeps the process alive: stdio decides that
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
