// Serves the built dashboard (packages/web/dist) and its /config.json: where the network's
// services are. The page calls them directly (they answer CORS requests).
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the dashboard. */
export const DASHBOARD_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

/** The services the page talks to. */
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
  /** The DataSharing contract (collections, rentals, subscriptions, sales). */
  dataSharing?: string;
  workerpool: string;
  /** Example apps by name. */
  apps: Record<string, string>;
  /** Devnet accounts the page may act as (well-known keys; a local network only). */
  demoAccounts: { role: string; address: string; privateKey: string }[];
  /** The services' URLs (storage: its Kubo RPC API). */
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
  const configBody = JSON.stringify(options.config);
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://dashboard');
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
