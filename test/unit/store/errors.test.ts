import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS, makeDocumentClient } from '../../../shared/runtime/clients.js';
import {
  ConflictError,
  NotFoundError,
  SiretAlreadyClaimedError,
  TaskAlreadyDecidedError,
  TransientStoreError,
} from '../../../shared/store/errors.js';
import { Store } from '../../../shared/store/store.js';

// Prepare: the store's own document client, with every command answered by the mock (no network).
const doc = makeDocumentClient({ endpoint: 'http://127.0.0.1:1', region: 'local', maxAttempts: 3 });
const store = new Store(doc, 'table');
let mock: ReturnType<typeof mockClient>;

beforeEach(() => {
  mock = mockClient(doc);
});
afterEach(() => mock.restore());

const ccf = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const awsError = (name: string, fault: 'client' | 'server' = 'client', status = 400) =>
  Object.assign(new Error(`${name} happened`), { name, $fault: fault, $metadata: { httpStatusCode: status } });

describe('client configuration', () => {
  it('is built with the attempts the store relies on, and the marshalling options', async () => {
    expect(await doc.config.maxAttempts()).toBe(3);
    const defaults = makeDocumentClient({ region: 'eu-west-3' });
    expect(await defaults.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(DEFAULT_MAX_ATTEMPTS).toBeGreaterThan(1);
    expect(doc.config.translateConfig?.marshallOptions).toMatchObject({
      removeUndefinedValues: true,
      convertClassInstanceToMap: false,
    });
    defaults.destroy();
  });
});

describe('transient errors (after the SDK retries, which do not run under the mock)', () => {
  it.each([
    ['ProvisionedThroughputExceededException'],
    ['ThrottlingException'],
    ['RequestLimitExceeded'],
    ['InternalServerError'],
    ['ServiceUnavailable'],
  ])('%s surfaces as TransientStoreError naming the AWS error', async (name) => {
    mock.on(GetCommand).rejects(awsError(name));
    const err = await store.applications.get('a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientStoreError);
    expect(err).toMatchObject({ name: 'TransientStoreError', awsError: name, operation: 'GetItem' });
    expect((err as Error).message).toContain(name);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('the modelled throughput exception class and a network error are transient too', async () => {
    mock.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(store.applications.update('a', 1, { stage: 'staff_review' })).rejects.toMatchObject({
      name: 'TransientStoreError',
      awsError: 'ProvisionedThroughputExceededException',
    });
    mock.on(QueryCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(store.history.list('a')).rejects.toMatchObject({
      name: 'TransientStoreError',
      awsError: 'ECONNRESET',
    });
  });

  it('an unknown 5xx is transient; a client error that is not ours is re-thrown as is', async () => {
    mock.on(GetCommand).rejects(awsError('SomethingNew', 'server', 503));
    await expect(store.tasks.get('t')).rejects.toBeInstanceOf(TransientStoreError);
    const validation = awsError('ValidationException');
    mock.on(GetCommand).rejects(validation);
    await expect(store.tasks.get('t')).rejects.toBe(validation);
    const bug = new TypeError('boom');
    mock.on(GetCommand).rejects(bug);
    await expect(store.tasks.get('t')).rejects.toBe(bug);
  });
});

describe('ConditionalCheckFailed becomes a named error', () => {
  it('stale version → ConflictError (item exists)', async () => {
    mock.on(UpdateCommand).rejects(ccf());
    mock.on(GetCommand).resolves({ Item: { pk: 'APP#a', sk: 'APP', id: 'a', version: 3 } });
    await expect(store.applications.update('a', 2, { status: 'redirect' })).rejects.toEqual(new ConflictError('a', 2));
  });

  it('missing item → NotFoundError', async () => {
    mock.on(UpdateCommand).rejects(ccf());
    mock.on(GetCommand).resolves({});
    await expect(store.applications.update('a', 2, { status: 'redirect' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('SIRET held by another application → SiretAlreadyClaimedError with the holder', async () => {
    mock.on(PutCommand).rejects(ccf());
    mock
      .on(GetCommand)
      .resolves({ Item: { pk: 'SIRET#1', sk: 'SIRET', applicationId: 'holder', createdAt: new Date().toISOString() } });
    const err = await store.applications
      .create({ id: 'mine', siret: '1' } as Parameters<Store['applications']['create']>[0])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SiretAlreadyClaimedError);
    expect(err).toMatchObject({ siret: '1', applicationId: 'holder', code: 'SIRET_ALREADY_CLAIMED' });
  });

  it('decided task → TaskAlreadyDecidedError carrying who and when', async () => {
    mock.on(UpdateCommand).rejects(ccf());
    mock.on(GetCommand).resolves({
      Item: {
        pk: 'TASK#t',
        sk: 'TASK',
        taskId: 't',
        status: 'decided',
        decision: { decision: 'reject', by: 'ana@example.fr', at: '2026-11-02T10:00:00Z' },
      },
    });
    const err = await store.tasks
      .claim('t', { decision: 'approve', by: 'bob@example.fr', at: '2026-11-02T10:00:01Z' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskAlreadyDecidedError);
    expect(err).toMatchObject({ taskId: 't', by: 'ana@example.fr', at: '2026-11-02T10:00:00Z', decision: 'reject' });
  });

  it('the claim write is conditional on an open task and leaves the inbox in the same write', async () => {
    mock.on(UpdateCommand).resolves({ Attributes: { taskId: 't', status: 'decided' } });
    await store.tasks.claim('t', { decision: 'approve', by: 'ana', at: 'x' });
    const input = mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toMatch(/#n\d+ = :v\d+/);
    expect(input?.UpdateExpression).toMatch(/REMOVE #n\d+, #n\d+/);
    expect(Object.values(input?.ExpressionAttributeNames ?? {})).toEqual(
      expect.arrayContaining(['status', 'gsi1pk', 'gsi1sk']),
    );
  });
});
