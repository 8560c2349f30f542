import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../../../shared/runtime/clients.js';

/** Sends one GetItem and returns the headers as they would leave the process (after signing), without sending. */
async function signedHeaders(client: ReturnType<typeof makeDocumentClient>): Promise<Record<string, string>> {
  let seen: Record<string, string> = {};
  client.middlewareStack.add(
    () => async (args) => {
      seen = { ...(args.request as { headers: Record<string, string> }).headers };
      throw new Error('captured');
    },
    // The deserialize step runs after finalizeRequest, where requests are signed.
    { step: 'deserialize', name: 'capture' },
  );
  await expect(client.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }))).rejects.toThrow('captured');
  return seen;
}

describe('request signing', () => {
  it('AWS clients (no endpoint) sign with SigV4', async () => {
    const headers = await signedHeaders(
      makeDocumentClient({ region: 'eu-west-3', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' } }),
    );
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/dynamodb\//);
    expect(headers.authorization).toMatch(/Signature=[0-9a-f]{64}$/);
  });

  it('local clients send a well-formed, plainly unsigned header (dynalite checks its shape, not its signature)', async () => {
    const headers = await signedHeaders(makeDocumentClient({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:1' }));
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-west-3\/dynamodb\/aws4_request, SignedHeaders=\S+, Signature=unsigned-local$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });
});
