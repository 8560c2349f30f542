import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toLambda } from '../../../shared/http/http.js';
import { lambdaInvocation } from '../../../shared/runtime/invocation.js';
import { createLogger, logger as processLogger } from '../../../shared/runtime/logger.js';
import { emfMetrics, lambdaMetrics, logMetrics } from '../../../shared/runtime/metrics.js';
import { REDACTED, redact } from '../../../shared/runtime/redact.js';
import { exampleDocument } from '../../helpers/fixtures.js';

// Logs and metrics as CloudWatch would receive them: what the process writes on stdout and stderr, line by line.
// biome-ignore lint/suspicious/noExplicitAny: log lines are JSON of any shape
function capture(): { lines(): string[]; json(): any[]; text(): string } {
  const out: string[] = [];
  const grab = (chunk: unknown) => {
    out.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab as never);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab as never);
  const lines = () =>
    out
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '');
  return { lines, json: () => lines().map((l) => JSON.parse(l)), text: () => out.join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const doc = exampleDocument();
const PERSONAL = [
  'claire.martin@clic-solidaire.fr',
  'Claire Martin',
  '+33555000000',
  '555000000',
  'jean.dupont@example.org',
  'Jean',
  'Dupont',
  '06 12 34 56 78',
  'staff@aptic.fr',
  'secret-actor-token-123',
  'hunter2-password',
  'tok_task_abc',
];

function assertNoPersonalData(text: string) {
  for (const p of PERSONAL) expect(text, `${p} leaked`).not.toContain(p);
}

describe('logs: personal data is stripped at any depth', () => {
  it('from a whole application document, nested, in arrays and inside errors (fields, message, stack, cause)', () => {
    const out = capture();
    const log = createLogger({ level: 'debug' });
    const cause = Object.assign(new Error('send to jean.dupont@example.org failed'), { to: 'jean.dupont@example.org' });
    const err = Object.assign(new Error('could not call 06 12 34 56 78', { cause }), {
      document: doc,
      staff: { nom: 'Dupont', prenom: 'Jean', email: 'staff@aptic.fr', role: 'reviewer' },
    });
    log.warn(
      {
        err,
        item: { id: 'a1', document: doc, actorTokenHash: 'h', actorToken: 'secret-actor-token-123' },
        deep: { a: { b: { c: [{ d: [doc.structure.representant_legal] }] } } },
        people: [{ prenom: 'Jean', nom: 'Dupont' }, [{ courriel: 'jean.dupont@example.org', nom: 'Dupont' }]],
        body: { password: 'hunter2-password', taskToken: 'tok_task_abc' },
        headers: { authorization: 'Bearer tok_task_abc', Cookie: 'x' },
        comment: 'Rappelez Claire au 06 12 34 56 78 ou staff@aptic.fr',
      },
      'something failed for jean.dupont@example.org',
    );
    const text = out.text();
    assertNoPersonalData(text);
    const [line] = out.json();
    // What makes the line useful stays: ids, the structure and place names, the SIRET, the error's name.
    expect(line.message).toBe('something failed for [redacted-email]');
    expect(line.item.id).toBe('a1');
    expect(line.item.document.structure.nom).toBe('Clic Solidaire');
    expect(line.item.document.structure.siret).toBe(doc.structure.siret);
    expect(line.item.document.lieux[0].nom).toBe(doc.lieux[0]!.nom);
    expect(line.item.document.structure.representant_legal).toEqual({ nom: REDACTED, courriel: REDACTED });
    expect(line.item.document.lieux[0].telephone).toBe(REDACTED);
    expect(line.err.name).toBe('Error');
    expect(line.err.message).toBe('could not call [redacted-phone]');
    expect(line.err.staff).toEqual({ nom: REDACTED, prenom: REDACTED, email: REDACTED, role: 'reviewer' });
    expect(line.err.cause.message).toBe('send to [redacted-email] failed');
    expect(line.people[0]).toEqual({ prenom: REDACTED, nom: REDACTED });
    expect(line.headers).toEqual({ authorization: REDACTED, Cookie: REDACTED });
  });

  it('from child loggers and their persistent fields', () => {
    const out = capture();
    createLogger()
      .child({ actor: { courriel: 'jean.dupont@example.org', nom: 'Dupont' } })
      .info({ doc }, 'child');
    assertNoPersonalData(out.text());
    expect(out.json()[0].actor).toEqual({ courriel: REDACTED, nom: REDACTED });
  });

  it('redact() gives the same sanitised copy without a logger', () => {
    const copy = redact({ list: [doc], err: new Error('mail claire.martin@clic-solidaire.fr') }) as {
      list: { structure: { nom: string } }[];
      err: { message: string };
    };
    assertNoPersonalData(JSON.stringify(copy));
    expect(copy.list[0]?.structure.nom).toBe('Clic Solidaire');
    expect(copy.err.message).toBe('mail [redacted-email]');
  });

  it('leaves ids, SIRETs, dates and postal codes alone (no false phone numbers)', () => {
    const values = {
      id: '0a1b2c3d-0612-3456-7890-012345678901',
      siret: '73282932000074',
      spaced: '732 829 320 00074',
      at: '2026-01-05T10:00:00.000Z',
      cp: '87280',
    };
    expect(redact(values)).toEqual(values);
  });

  it('honours the level (silent writes nothing)', () => {
    const out = capture();
    createLogger({ level: 'silent' }).error({ a: 1 }, 'nothing');
    createLogger().child({}, { level: 'silent' }).error({ a: 1 }, 'nothing');
    createLogger({ level: 'warn' }).info({ a: 1 }, 'below the level');
    expect(out.lines()).toEqual([]);
  });
});

const context = (requestId: string) =>
  ({
    functionName: 'aptic-chat',
    functionVersion: '$LATEST',
    memoryLimitInMB: '256',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-3:123456789012:function:aptic-chat',
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: true,
    logGroupName: '/aws/lambda/aptic-chat',
    logStreamName: 's',
    getRemainingTimeInMillis: () => 1000,
    done() {},
    fail() {},
    succeed() {},
  }) as unknown as Context;

describe('Lambda invocations: request id, cold start, correlation id', () => {
  it('adds the context once per invocation; the cold start only on the first; no correlation id carried over', async () => {
    const out = capture();
    // What Lambda sets in an on-demand container (Powertools reports no cold start without it, e.g. provisioned).
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const log = createLogger();
    await lambdaInvocation(context('r-1'), 'api-req-1', async () => log.info({}, 'first'), log);
    await lambdaInvocation(context('r-2'), 'api-req-2', async () => log.info({}, 'second'), log);
    await lambdaInvocation(context('r-3'), undefined, async () => log.info({}, 'third'), log);
    const [a, b, c] = out.json();
    expect(a).toMatchObject({
      message: 'first',
      function_request_id: 'r-1',
      function_name: 'aptic-chat',
      cold_start: true,
      correlation_id: 'api-req-1',
      service: 'aptic-qualification',
    });
    expect(b).toMatchObject({ function_request_id: 'r-2', cold_start: false, correlation_id: 'api-req-2' });
    expect(c.function_request_id).toBe('r-3');
    expect(c.correlation_id).toBeUndefined();
  });

  it("toLambda: the route's log lines carry API Gateway's request id, and its metrics are written as EMF at the end", async () => {
    const out = capture();
    const pt = processLogger.powertools;
    const level = pt.getLevelName();
    pt.setLogLevel('INFO');
    try {
      const handler = toLambda(async () => {
        processLogger.info({ courriel: 'jean.dupont@example.org' }, 'in the route');
        lambdaMetrics().count('ChatTurns');
        lambdaMetrics().count('ChatTurns');
        return { statusCode: 204, body: '' };
      });
      const event = {
        rawPath: '/api/messages',
        headers: {},
        requestContext: { requestId: 'apigw-42', http: { method: 'POST', sourceIp: '192.0.2.1' } },
      };
      const res = await handler(event as never, context('lambda-42'));
      expect(res.statusCode).toBe(204);
    } finally {
      pt.setLogLevel(level);
    }
    const [log, emf] = out.json();
    expect(log).toMatchObject({
      message: 'in the route',
      correlation_id: 'apigw-42',
      function_request_id: 'lambda-42',
    });
    expect(log.courriel).toBe(REDACTED);
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'AptIcQualification',
      Dimensions: [['service']],
      Metrics: [{ Name: 'ChatTurns', Unit: 'Count' }],
    });
    expect(emf.ChatTurns).toEqual([1, 1]);
  });
});

describe('metrics port', () => {
  it('locally writes one log line per count, with the name and dimensions', () => {
    const out = capture();
    const m = logMetrics(createLogger());
    m.count('ApplicationsSubmitted');
    m.count('Decisions', { step: 'staff_review', decision: 'approve' });
    const [a, b] = out.json();
    expect(a).toMatchObject({ level: 'INFO', message: 'metric', metric: 'ApplicationsSubmitted', value: 1 });
    expect(b).toMatchObject({ metric: 'Decisions', dimensions: { step: 'staff_review', decision: 'approve' } });
  });

  it('on Lambda writes CloudWatch EMF: kept counts once per flush, a dimensioned count as its own line at once', () => {
    const out = capture();
    const m = emfMetrics();
    m.count('FaqDeclined');
    m.count('EligibilityOutcome', { status: 'eligible_now' });
    m.count('FaqDeclined');
    expect(out.lines()).toHaveLength(1); // the dimensioned one, at once
    m.flush();
    m.flush(); // nothing kept: no line, no « no metrics » warning
    const [dimensioned, kept] = out.json();
    expect(dimensioned._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'AptIcQualification',
        Dimensions: [['service', 'status']],
        Metrics: [{ Name: 'EligibilityOutcome', Unit: 'Count' }],
      },
    ]);
    expect(dimensioned).toMatchObject({
      service: 'aptic-qualification',
      status: 'eligible_now',
      EligibilityOutcome: 1,
    });
    expect(kept._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'FaqDeclined', Unit: 'Count' }]);
    expect(kept.FaqDeclined).toEqual([1, 1]);
    expect(typeof kept._aws.Timestamp).toBe('number');
    expect(out.lines()).toHaveLength(2);
  });
});
