import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodePathSegment, type HttpRequest, toLambda } from '../../../shared/http/http.js';

function event(over: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'GET /go/{code}',
    rawPath: '/go/x',
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method: 'GET', path: '/go/x', sourceIp: '192.0.2.1' } } as never,
    isBase64Encoded: false,
    ...over,
  };
}

describe('Lambda adapter (payload 2.0)', () => {
  it('keeps the bytes of a base64 body (a Windows-1252 CSV upload), and the text decoded as UTF-8', async () => {
    let seen: HttpRequest | null = null;
    const handler = toLambda(async (req) => {
      seen = req;
      return { statusCode: 200, body: 'ok' };
    });
    const bytes = Buffer.from('Médiathèque;87', 'latin1');
    await handler(event({ body: bytes.toString('base64'), isBase64Encoded: true }));
    expect(Buffer.from(seen!.bodyBytes!).equals(bytes)).toBe(true);
    expect(seen!.body).toContain('\uFFFD');
    await handler(event({ body: 'a;b', isBase64Encoded: false }));
    expect(seen!.bodyBytes).toBeUndefined();
  });

  it('gives routes the request cookies as a cookie header, and sends Set-Cookie back in `cookies`', async () => {
    let seen: HttpRequest | null = null;
    const handler = toLambda(async (req) => {
      seen = req;
      return { statusCode: 200, headers: { 'set-cookie': 'a=1; Path=/go/x', 'x-y': 'z' }, body: 'ok' };
    });
    const res = await handler(event({ cookies: ['a=1', 'b=2'] }));
    expect(seen!.headers.cookie).toBe('a=1; b=2');
    expect(res).toMatchObject({ statusCode: 200, cookies: ['a=1; Path=/go/x'], headers: { 'x-y': 'z' } });
    expect(res.headers).not.toHaveProperty('set-cookie');
  });
});

describe('decodePathSegment', () => {
  it('decodes good escapes and answers null for malformed ones instead of throwing', () => {
    expect(decodePathSegment('caf%C3%A9')).toBe('café');
    for (const bad of ['%', '%ZZ', '%C3%28', 'a%2']) expect(decodePathSegment(bad)).toBeNull();
  });
});
