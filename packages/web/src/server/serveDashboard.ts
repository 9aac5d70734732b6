// Serves the built dashboard (packages/web/dist), its /config.json, and the network's services
// under /api/<service>/… on the dashboard's own origin, so that the page reaches them without
// cross-origin requests (and a browser wallet's page stays on one origin).
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the dashboard. */
export const DASHBOARD_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

/** The services the page talks to, by the name of their /api/<name> prefix. */
export type DashboardServices = {
  rpc: string;
  storage: string;
  gateway: string;
  sms: string;
  market: string;
  indexer: string;
  scheduler: string;
};

/** What the page reads from /config.json. */
export type DashboardConfig = {
  chainId: number;
  hub: string;
  dataProtector: string;
  workerpool: string;
  /** Example apps by name. */
  apps: Record<string, string>;
  /** Devnet accounts the page may act as (well-known keys; a local network only). */
  demoAccounts: { role: string; address: string; privateKey: string }[];
  /** The services' own URLs, shown on the page; the page calls them through /api/<name>. */
  services: DashboardServices;
};

/** Options of {@link serveDashboard}. */
export type ServeDashboardOptions = {
  config: DashboardConfig;
  /** 0 for a free one. */
  port: number;
  /** The built dashboard; {@link DASHBOARD_DIST} by default. */
  distDir?: string;
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A missing build, said in a way the user can act on. */
export class DashboardNotBuiltError extends Error {
  override name = 'DashboardNotBuiltError';
  readonly code = 'CONFIDE_WEB_NOT_BUILT';
}

/**
 * Serves the dashboard on 127.0.0.1.
 * @throws DashboardNotBuiltError when `distDir` has no index.html (run `npm run compile`)
 * @example const dashboard = await serveDashboard({ config, port: 8554 }); … await dashboard.close();
 */
export async function serveDashboard(
  options: ServeDashboardOptions,
): Promise<{ url: string; close: () => Promise<void> }> {
  const dist = path.resolve(options.distDir ?? DASHBOARD_DIST);
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new DashboardNotBuiltError(`no dashboard build in ${dist}: run 'npm run compile' (it runs vite build)`);
  }
  const services = options.config.services as Record<string, string>;
  const configBody = JSON.stringify(options.config);
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const api = /^\/api\/([a-z]+)(\/.*)?$/.exec(url.pathname);
    if (api) {
      const target = services[api[1] ?? ''];
      if (!target) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'CONFIDE_WEB_NO_SERVICE', message: `no service ${api[1]}` } }));
        return;
      }
      proxy(req, res, new URL(`${api[2] ?? '/'}${url.search}`, target));
      return;
    }
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(configBody);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    // Files of the build; any other path is a page of the app (index.html).
    const file = path.join(dist, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    const inside = file.startsWith(dist + path.sep);
    const found = inside && (await stat(file).catch(() => undefined))?.isFile();
    const served = found ? file : path.join(dist, 'index.html');
    const body = await readFile(served);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(served)] ?? 'application/octet-stream',
      'cache-control': served.includes(`${path.sep}assets${path.sep}`) ? 'max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the dashboard server has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Streams a request to `target` and its answer back (server-sent events included). */
function proxy(req: IncomingMessage, res: ServerResponse, target: URL) {
  const headers = { ...req.headers, host: target.host };
  delete headers.origin;
  delete headers.referer;
  const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error: { code: 'CONFIDE_WEB_SERVICE_DOWN', message: `${target.origin} did not answer` } }),
    );
  });
  req.pipe(upstream);
  res.on('close', () => upstream.destroy());
}
