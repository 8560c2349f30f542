import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpeningHoursLayer } from '../../infra/bundling.js';
import { PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { UNREACHABLE_PACKAGES, unreachableStub } from '../../infra/defaults.js';
import { buildLambdaBundle, type LambdaBundle } from '../helpers/bundles.js';
import { type TestDynamo, withDynalite } from '../helpers/dynalite.js';

/**
 * The chat Lambda as deployed: functions/api/chat.ts bundled with the construct's options, in which the packages of
 * UNREACHABLE_PACKAGES are stand-ins that throw when run (infra/bundle-stubs/). Run in a fresh Node with a Lambda's
 * environment against dynalite, the bundle answers HTTP API v2 events through the whole questionnaire, a re-prompt,
 * an FAQ question in the middle of it and GET /api/faq; no stand-in is ever run (each records itself when it is,
 * even if a caller swallows its error).
 */

const exec = promisify(execFile);
let dir: string;
let db: TestDynamo;
let chat: LambdaBundle;

beforeAll(async () => {
  // Inside the project: the external @aws-sdk/* resolve from node_modules, as the Lambda runtime provides them.
  mkdirSync(path.join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
  dir = mkdtempSync(path.join(PROJECT_ROOT, 'cdk.out', 'test-chat-bundle-'));
  const layer = buildOpeningHoursLayer(path.join(dir, 'layer'));
  chat = await buildLambdaBundle('functions/api/chat.ts', path.join(dir, 'chat'), layer.file);
  db = await withDynalite();
});

afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Step {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  query?: Record<string, string>;
}
interface Result {
  responses: { status: number; body: unknown }[];
  reached: string[];
  token: string | undefined;
  /** classifiers the run read from the FAQ model built beside the bundle (ENTRY_BUILD_STEPS) */
  faqModelReads: number;
  faqAnalysisReads: number;
}

/**
 * Imports the bundle's handler in a fresh Node process (a cold Lambda instance) and sends the steps in order, as API
 * Gateway HTTP API v2 events; `token`, then that of the last `POST /api/chat/session`, authorizes the steps.
 */
async function runChat(steps: Step[], token?: string): Promise<Result> {
  const script = path.join(dir, 'run.mjs');
  writeFileSync(
    script,
    `const { handler, bundledFaqModelReads, bundledFaqAnalysisReads } = await import(${JSON.stringify(pathToFileURL(chat.file).href)});
const responses = [];
let token = process.argv[3] || undefined;
for (const s of JSON.parse(process.argv[2])) {
  const event = {
    version: '2.0',
    routeKey: s.method + ' ' + s.path,
    rawPath: s.path,
    rawQueryString: new URLSearchParams(s.query ?? {}).toString(),
    ...(s.query ? { queryStringParameters: s.query } : {}),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    requestContext: { http: { method: s.method, path: s.path, sourceIp: '203.0.113.7' } },
    ...(s.body === undefined ? {} : { body: JSON.stringify(s.body) }),
    isBase64Encoded: false,
  };
  const res = await handler(event, {});
  const body = JSON.parse(res.body);
  if (s.path === '/api/chat/session') token = body.token;
  responses.push({ status: res.statusCode, body });
}
process.stdout.write(JSON.stringify({ responses, token, reached: globalThis[Symbol.for('aptic.unreachable')] ?? [], faqModelReads: bundledFaqModelReads(), faqAnalysisReads: bundledFaqAnalysisReads() }));
`,
  );
  const { stdout } = await exec(process.execPath, [script, JSON.stringify(steps), token ?? ''], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      // What the stack gives the chat function, pointed at dynalite; no CHAT_SESSION_SECRET_ARN: the token-signing
      // secret comes from the table, as locally.
      TABLE_NAME: db.tableName,
      DYNAMODB_ENDPOINT: db.endpoint,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      LOG_LEVEL: 'silent',
      NODE_OPTIONS: '--enable-source-maps',
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Result;
}

type Replies = { text: string; quick_replies?: { payload: string }[] }[];
const say = (text: string): Step => ({ method: 'POST', path: '/api/messages', body: { type: 'message', text } });

// The questionnaire's happy path (the same answers as test/integration/bot/world.ts), up to the summary.
const ANSWERS = [
  'Clic Solidaire',
  '1',
  '732 829 320 00074',
  'non',
  'oui',
  'oui',
  'Claire Martin',
  'claire.martin@clic-solidaire.fr',
  'oui',
  'oui',
  '1, 2',
  '2, 3',
  '1',
  '1',
  '12 rue des Lilas',
  '87280 Limoges',
  'Mo-Fr 09:00-12:00,14:00-18:00',
  'oui',
  '30',
  '1',
  '2',
  '3',
  '0',
  'oui',
  '1',
  '6',
  '8',
  'oui', // the Charte and the CGU, one question since issue 14
  'oui',
  'oui',
  'non',
  'non',
];

describe('the chat bundle', () => {
  it('leaves the packages that the chat never runs out, each for a stand-in', () => {
    const inputs = Object.keys(chat.metafile.inputs);
    for (const pkg of Object.keys(UNREACHABLE_PACKAGES) as (keyof typeof UNREACHABLE_PACKAGES)[]) {
      const stub = unreachableStub(pkg);
      expect(existsSync(path.join(PROJECT_ROOT, stub)), stub).toBe(true);
      const source = readFileSync(path.join(PROJECT_ROOT, stub), 'utf8');
      expect(source).toContain(`('${pkg}'`);
      // A narrowed package keeps the lib/ modules its stand-in names, never its index (which loads them all).
      const kept = [...source.matchAll(/require\('\.\.\/\.\.\/node_modules\/([^']+)'\)/g)].map((m) => m[1]!);
      expect(
        inputs.filter(
          (i) => i.includes(`node_modules/${pkg}/`) && (kept.length === 0 || i.endsWith(`${pkg}/lib/index.js`)),
        ),
      ).toEqual([]);
      for (const k of kept)
        expect(
          inputs.some((i) => i.endsWith(`node_modules/${k}`)),
          k,
        ).toBe(true);
    }
    // What the narrowed botbuilder-dialogs leaves out: its prompts but Botkit's one, their choices and CLDR data.
    expect(inputs.filter((i) => /botbuilder-dialogs\/(vendor|lib\/choices)\//.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.includes('botbuilder-dialogs/lib/prompts/'))).toEqual([
      expect.stringMatching(/botbuilder-dialogs\/lib\/prompts\/activityPrompt\.js$/),
    ]);
    // What they carried goes with them: the Bot Framework's connector, auth and HTTP stacks, the recognizers.
    for (const gone of ['@azure/identity', '@azure/msal-node', 'jsonwebtoken', 'axios', 'botframework-streaming']) {
      expect(
        inputs.filter((i) => i.includes(`node_modules/${gone}/`)),
        gone,
      ).toEqual([]);
    }
    // At init it imports only the AWS SDK clients of every request (DynamoDB, Step Functions); Cognito, KMS, SES v2
    // and Secrets Manager at their first use (shared/runtime/lazy.ts), as every function built from buildDeps.
    const out = Object.values(chat.metafile.outputs).find((o) => o.imports.length > 0)!;
    const sdk = (kind: string) =>
      out.imports
        .filter((i) => i.kind === kind && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path)
        .sort();
    expect([...new Set(sdk('import-statement'))]).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sfn',
      '@aws-sdk/lib-dynamodb',
    ]);
    expect([...new Set(sdk('dynamic-import'))]).toEqual([
      '@aws-sdk/client-cognito-identity-provider',
      '@aws-sdk/client-kms',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-sesv2',
    ]);
    // Botkit stays the engine.
    expect(inputs.some((i) => i.includes('node_modules/botkit/'))).toBe(true);
    expect(chat.bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('holds one zod, ours: the Bot Framework packages’ nested copies of zod 3 are aliased to it (ZOD_ALIAS)', () => {
    // What the bundle holds: the output's inputs with bytes in it (a module read then shaken away has none).
    const output = Object.values(chat.metafile.outputs).find((o) => Object.keys(o.inputs).length > 0)!;
    const held = Object.entries(output.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([file]) => file);
    const zodFiles = held.filter((i) => /(^|\/)node_modules\/zod\//.test(i));
    expect(zodFiles.length).toBeGreaterThan(0);
    // Every zod module comes from the project's own zod (node_modules/zod/…), none from a package's nested copy.
    expect(zodFiles.filter((i) => !i.startsWith('node_modules/zod/'))).toEqual([]);
    // and none of the namespaces the entry leaves out: the locales but French and English (zod's default, which it
    // loads itself), zod's JSON Schema reader.
    expect(zodFiles.filter((i) => /\/locales\/(?!(fr|en|index)\.js$)|from-json-schema/.test(i))).toEqual([]);
    expect(held).toContain('infra/bundle-zod/index.mjs');
  });

  it('answers a session, the whole questionnaire, a re-prompt and FAQ questions in French, running no stand-in', async () => {
    // Cold instances one after the other, each continuing the conversation from the table, each sent at most 10
    // messages: the per-conversation rate limit is an in-memory bucket of 10 (then one every 2 s) per instance.
    const steps: Step[] = [
      { method: 'POST', path: '/api/chat/session', body: {} },
      { method: 'POST', path: '/api/messages', body: { type: 'hello' } },
      say('1'),
      ...ANSWERS.slice(0, 2).map(say),
      say('combien coûte le kit aptic par an ?'),
      say('12345678901234'),
      ...ANSWERS.slice(2).map(say),
      { method: 'GET', path: '/api/faq', query: { q: 'c’est quoi le pass aptic ?' } },
    ];
    const responses: Result['responses'] = [];
    const reached: string[] = [];
    let token: string | undefined;
    const modelReads: number[] = [];
    const analysisReads: number[] = [];
    for (let i = 0; i < steps.length; i += 10) {
      const run = await runChat(steps.slice(i, i + 10), token);
      responses.push(...run.responses);
      reached.push(...run.reached);
      modelReads.push(run.faqModelReads);
      analysisReads.push(run.faqAnalysisReads);
      token = run.token;
    }
    expect(reached).toEqual([]);
    // The cold instances that met a FAQ question (the first: the Kit's price; the last: GET /api/faq) read the FAQ
    // classifier trained at build time (same key: the bundle's own code) instead of training it, and the analyses of
    // the phrasings and their TF-IDF index instead of making them; the others never built the matcher (bot/faq-live.ts builds it at first
    // use). The build step left exactly one of each beside the bundle.
    expect(modelReads[0]).toBe(1);
    expect(modelReads.at(-1)).toBe(1);
    expect(modelReads.every((n) => n <= 1)).toBe(true);
    // Two reads of the analysis store each: the analyses of the phrasings and their TF-IDF index.
    expect(analysisReads).toEqual(modelReads.map((n) => 2 * n));
    const built = readdirSync(path.join(path.dirname(chat.file), 'faq-model'));
    expect(built.filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(built.filter((f) => f.endsWith('.analysis'))).toHaveLength(2);
    expect(built.filter((f) => f.startsWith('tfidf-'))).toHaveLength(1);
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    const replies = responses.slice(1, -1).map((r) => r.body as Replies);
    const text = (i: number) => replies[i]!.map((r) => r.text).join('\n');
    expect(typeof (responses[0]!.body as { token: string }).token).toBe('string');
    expect(text(0)).toContain('Bonjour');
    // Five profiles and « J'ai déjà fait une demande » (the actor's way back).
    expect(replies[0]!.at(-1)!.quick_replies?.length).toBe(6);
    expect(text(1)).toContain('Quel est le nom de votre structure');
    expect(text(2)).toContain('forme juridique');
    expect(text(3)).toContain('SIRET');
    // An FAQ question in the middle of the questionnaire, then the pending question again.
    expect(text(4)).toMatch(/Kit/);
    expect(text(4)).toContain('Pour reprendre');
    expect(text(4)).toContain('SIRET');
    // A re-prompt (a checksum the field refuses), then the rest of the questionnaire.
    expect(text(5)).toContain('Ce numéro SIRET n’est pas valide');
    const last = replies.length - 1;
    expect(text(last)).toContain('Voici le récapitulatif');
    expect(text(last)).toContain('SIRET : 73282932000074');
    expect(text(last)).toContain('Limoges');
    expect(replies[last]!.at(-1)!.quick_replies?.map((q) => q.payload)).toContain('confirmer');
    for (const r of replies) expect(r.map((x) => x.text).join('\n')).not.toMatch(/erreur|désolé/i);
    const faq = responses.at(-1)!.body as { topic: string | null; answer: string | null };
    expect(faq.topic).toBe('what-is-pass');
    expect(faq.answer).toMatch(/pass/i);
  }, 120_000);

  it('answers FAQ suggestions, a hand-over to a person and « J’ai déjà fait une demande », running no stand-in', async () => {
    // The paths the questionnaire does not take: suggestions of the FAQ, the support interrupt, the sign-in dialog.
    const run = await runChat([
      { method: 'POST', path: '/api/chat/session', body: {} },
      { method: 'POST', path: '/api/messages', body: { type: 'hello' } },
      say('4'),
      say('un souci avec aptic'),
      say('sujet:cost-kit'),
      say('contact:humain'),
      say('Quand le kit arrive-t-il ?'),
      say('non'),
      say('J’ai déjà fait une demande'),
      say('claire.martin@clic-solidaire.fr'),
    ]);
    expect(run.reached).toEqual([]);
    expect(run.responses.map((r) => r.status)).toEqual(run.responses.map(() => 200));
    const text = (i: number) => (run.responses[i]!.body as Replies).map((r) => r.text).join('\n');
    expect(text(2)).toContain('Avez-vous une autre question');
    expect(text(3)).toMatch(/Vous parlez de : « .+ »/);
    expect((run.responses[3]!.body as Replies).at(-1)!.quick_replies?.[0]?.payload).toMatch(/^sujet:/);
    expect(text(4)).toContain('Kit');
    expect(text(5)).toContain('Je peux transmettre votre question');
    expect(text(6)).toContain('À quelle adresse e-mail');
    expect(text(7)).toContain('C’est transmis à l’équipe #APTIC');
    expect(text(8)).toContain('Quelle adresse e-mail avez-vous donnée dans votre demande');
    expect(text(9)).toContain('Si une demande est associée à cette adresse');
  }, 60_000);
});

describe('a stand-in (infra/bundle-stubs/unreachable.cjs)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the stand-ins are untyped on purpose
  const { unreachable, partly } = createRequire(import.meta.url)('../../infra/bundle-stubs/unreachable.cjs') as any;
  const reached = () => ((globalThis as Record<symbol, unknown>)[Symbol.for('aptic.unreachable')] ?? []) as string[];

  it('loads like the package (members, subclasses, static values) and throws, recorded, when anything of it runs', () => {
    const pkg = unreachable('some-package', { load() {} });
    const before = reached().length;
    class Adapter extends pkg.BotFrameworkAdapter {}
    expect(typeof pkg.Constants.Value).toBe('function');
    expect(pkg.__esModule).toBeUndefined();
    expect(pkg.then).toBeUndefined();
    expect(pkg.load()).toBeUndefined();
    expect(reached().length).toBe(before);
    expect(() => new Adapter()).toThrow(/some-package\.BotFrameworkAdapter was run, but .* UNREACHABLE_PACKAGES/);
    expect(() => pkg.recognize('1')).toThrow(expect.objectContaining({ name: 'UnreachablePackageError' }));
    expect(reached().slice(before)).toEqual(['some-package.BotFrameworkAdapter', 'some-package.recognize']);
  });

  it('keeps the members of the lighter package and stands in for the others', () => {
    const pkg = partly('heavy', { TurnContext: class {} });
    expect(typeof pkg.TurnContext).toBe('function');
    expect(() => pkg.TeamsInfo.getMember()).toThrow(/heavy\.TeamsInfo\.getMember was run/);
  });
});
