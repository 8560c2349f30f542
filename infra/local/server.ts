import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  errorResponse,
  HttpError,
  type HttpRequest,
  type HttpResponse,
  json,
  MAX_BODY_BYTES,
} from '../../shared/http/http.js';
import type { Logger } from '../../shared/runtime/logger.js';

export type Dispatcher = (req: HttpRequest) => Promise<HttpResponse | null>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface LocalServerOptions {
  host: string;
  port: number;
  dispatchers: Dispatcher[];
  upgrades?: UpgradeHandler[];
  logger: Logger;
  /** Bodies above this are cut off with a 413 while streaming, before they are buffered. */
  maxBodyBytes?: number;
  /** A route's own larger limit (routes.ts `maxBodyBytes`: file uploads), by method and path. */
  bodyLimitFor?: (method: string, path: string) => number | undefined;
}

export interface LocalServer {
  server: Server;
  url: string;
  /** Stop accepting, let in-flight requests finish (bounded), then close every socket. */
  close(graceMs?: number): Promise<void>;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLargeError());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toRequest(req: IncomingMessage, bytes: Buffer | undefined): HttpRequest {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    params: {},
    query,
    headers,
    body: bytes?.toString('utf8'),
    ...(bytes ? { bodyBytes: bytes } : {}),
    sourceIp: req.socket.remoteAddress ?? '',
  };
}

function send(res: ServerResponse, out: HttpResponse, head = false): void {
  if (res.headersSent) return;
  res.writeHead(out.statusCode, out.headers ?? {});
  res.end(head ? undefined : out.body);
}

/**
 * The local HTTP server: the same route functions as the Lambdas, behind Node's http. It never crashes on a
 * request: every failure becomes a 4xx/5xx with a French reason, the detail goes to the log.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const server = createServer(async (req, res) => {
    inFlight++;
    try {
      let body: Buffer | undefined;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const max = options.bodyLimitFor?.(req.method ?? '', new URL(req.url ?? '/', 'http://local').pathname) ?? limit;
        try {
          body = await readBody(req, max);
        } catch (err) {
          if (err instanceof BodyTooLargeError) {
            res.setHeader('connection', 'close');
            return send(
              res,
              errorResponse(
                new HttpError(
                  413,
                  'payload_too_large',
                  `La requête est trop volumineuse (maximum ${Math.round(max / 1024)} Ko).`,
                ),
              ),
            );
          }
          throw err;
        }
      }
      const request = toRequest(req, body);
      for (const dispatch of options.dispatchers) {
        const out = await dispatch(request);
        if (out) return send(res, out, request.method === 'HEAD');
      }
      send(res, json(404, { error: 'not_found', message: 'Adresse inconnue.' }));
    } catch (err) {
      options.logger.error({ err, url: req.url }, 'request failed');
      send(
        res,
        json(500, {
          error: 'internal_error',
          message: 'Une erreur interne est survenue. Merci de réessayer plus tard.',
        }),
      );
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  });
  // Slow-loris protection: a client must send its headers and body within these bounds.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  server.on('upgrade', (req, socket, head) => {
    for (const upgrade of options.upgrades ?? []) if (upgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    async close(graceMs = 1500) {
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((ok) => (drained = ok)),
          new Promise((ok) => setTimeout(ok, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
