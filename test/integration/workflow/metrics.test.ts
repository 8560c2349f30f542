// The business metrics are counted where things happen: a real qualification on the local runtime and a real chat,
// with a recording Metrics port in place of the one buildDeps gives (log lines locally, EMF on Lambda).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaqPort } from '../../../bot/faq-port.js';
import { createChatServiceFromDeps } from '../../../bot/index.js';
import { createBotPorts } from '../../../bot/ports.js';
import { type ChatService, createChatService } from '../../../bot/service.js';
import { createHmacSessions } from '../../../bot/sessions.js';
import type { HttpRequest } from '../../../shared/http/http.js';
import type { MetricName, Metrics } from '../../../shared/usecases/ports.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type LocalApp, startLocalApp } from '../../helpers/local-app.js';

const counted: { name: MetricName; dimensions?: Record<string, string> }[] = [];
const recorder: Metrics = {
  count: (name, dimensions) => {
    counted.push(dimensions ? { name, dimensions } : { name });
  },
};
const of = (name: MetricName) => counted.filter((c) => c.name === name);

let app: LocalApp;
beforeAll(async () => {
  app = await startLocalApp({ depsOverrides: { metrics: recorder } });
});
afterAll(async () => {
  await app?.close();
});

async function decide(applicationId: string, step: string, decision: string) {
  const task = await app.taskFor(applicationId, step);
  const res = await app.call(
    'POST',
    `/api/console/tasks/${task.taskId}/decision`,
    { decision },
    // Four eyes: the final approval is given by a second person (app.staffToken(step)).
    await app.staffToken(step),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('business metrics', () => {
  it('counts a submission, its eligibility outcome, each decision and the qualification, once each', async () => {
    counted.length = 0;
    const doc = validApplication({ siret: siretFor(7100) });
    const res = await app.call('POST', '/api/applications', doc, undefined, { 'idempotency-key': 'metrics-1' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { id, actorToken } = res.body as { id: string; actorToken: string };
    await app.waitForStage(id, 'staff_review');
    await decide(id, 'staff_review', 'approve');
    await app.waitForStage(id, 'actor_commitments');
    const c = await app.call(
      'POST',
      `/api/applications/${id}/commitments`,
      { charte: true, cgu: true, abonnement: 'oui' },
      actorToken,
    );
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    await app.bankDetails(id, actorToken);
    await app.waitForStage(id, 'final_approval');
    await decide(id, 'final_approval', 'approve');
    await app.waitForStage(id, 'qualified');

    expect(of('ApplicationsSubmitted')).toHaveLength(1);
    expect(of('EligibilityOutcome')).toEqual([{ name: 'EligibilityOutcome', dimensions: { status: 'eligible_now' } }]);
    expect(of('Decisions').map((d) => d.dimensions)).toEqual([
      { step: 'staff_review', decision: 'approve' },
      { step: 'actor_commitments', decision: 'approve' },
      { step: 'final_approval', decision: 'approve' },
    ]);
    await expect.poll(() => of('Qualifications').length).toBe(1);
  });

  it('counts chat turns, declined FAQ questions and failed turns', async () => {
    counted.length = 0;
    const chat = await createChatServiceFromDeps(app.rt.deps, { allowedOrigins: [], publicBaseUrl: 'http://x' });
    const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest => ({
      method,
      path,
      params: {},
      query: {},
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      sourceIp: '203.0.113.9',
    });
    let failing: ChatService | null = null;
    try {
      const session = await chat.handle(req('POST', '/api/chat/session', {}));
      const { token } = JSON.parse(session!.body) as { token: string };
      const auth = { authorization: `Bearer ${token}` };
      await chat.handle(req('POST', '/api/messages', { type: 'hello' }, auth));
      await chat.handle(req('POST', '/api/messages', { type: 'message', text: '1' }, auth));
      expect(of('ChatTurns')).toHaveLength(2);

      const known = await chat.handle({ ...req('GET', '/api/faq'), query: { q: 'Combien coûte le kit ?' } });
      expect(JSON.parse(known!.body).topic).not.toBeNull();
      const off = await chat.handle({
        ...req('GET', '/api/faq'),
        query: { q: 'Quelle est la recette de la tartiflette ?' },
      });
      expect(JSON.parse(off!.body).topic).toBeNull();
      expect(of('FaqDeclined')).toHaveLength(1);

      // A store that does not answer: the actor gets the apology, the turn counts as failed.
      const ports = createBotPorts(app.rt.deps, {
        faq: createFaqPort(),
        sessions: createHmacSessions({ secret: 'y'.repeat(32) }),
      });
      failing = createChatService(
        {
          ...ports,
          dialogState: {
            ...ports.dialogState,
            get: async () => {
              throw new Error('store down');
            },
          },
        },
        { allowedOrigins: [], publicBaseUrl: 'http://x' },
      );
      const t2 = JSON.parse((await failing.handle(req('POST', '/api/chat/session', {})))!.body).token as string;
      const apology = await failing.handle(
        req('POST', '/api/messages', { type: 'hello' }, { authorization: `Bearer ${t2}` }),
      );
      expect(apology!.statusCode).toBe(200);
      expect(of('ChatErrors')).toHaveLength(1);
      expect(of('ChatTurns')).toHaveLength(3);
    } finally {
      await chat.close();
      await failing?.close();
    }
  });
});
