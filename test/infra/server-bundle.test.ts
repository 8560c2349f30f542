import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { UNREACHABLE_PACKAGES } from '../../infra/defaults.js';
import { bundleKey, findFreshBundle } from '../../infra/local/bundle-key.mjs';
import { bundleDir } from '../../infra/local/loading.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';
import { type BuiltBundle, buildServerBundle, stubAliases } from '../../infra/local/server-bundle.js';
import { freePort } from '../helpers/product.js';

/**
 * `npm start` runs infra/local/main.ts from an esbuild bundle (infra/local/start.mjs). Built here into a temporary
 * cache, the bundle, run by plain `node` (no tsx), serves /healthz, a chat turn and a console login, and its key
 * follows the files it was built from.
 */
// Inside the project, as `.cache/server/` is: on an ASL cache miss `asl.mjs` imports aws-cdk-lib, which resolves from
// the project's node_modules (a folder under the system's temp dir has none: the test failed when it ran first).
mkdirSync(join(PROJECT_ROOT, '.cache'), { recursive: true });
const tmp = mkdtempSync(join(PROJECT_ROOT, '.cache', 'test-server-bundle-'));
let built: BuiltBundle;
let server: ChildProcess | undefined;
let out = '';
let url = '';

beforeAll(async () => {
  built = await buildServerBundle(join(tmp, 'cache'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [join(built.dir, 'server.mjs')], {
    cwd: tmp,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(tmp, 'data'),
      STAFF_EMAIL: 'equipe@example.org',
      STAFF_PASSWORD: 'un-mot-de-passe-assez-long',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  server.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the bundled server exited (${server.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((ok) => server!.once('exit', ok));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(tmp, { recursive: true, force: true });
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('the bundled local server', () => {
  it('is one file run by plain node, with the chat mounted and the Bot Framework parts it never runs left out', () => {
    // (and `faq-analysis/`, written by the running server: below)
    expect(readdirSync(built.dir).sort()).toEqual([
      'asl.mjs',
      'dynamo-process.mjs',
      'faq-analysis',
      'inputs.json',
      'server.mjs',
    ]);
    const inputs = JSON.parse(readFileSync(join(built.dir, 'inputs.json'), 'utf8')) as { packages: string[] };
    expect(inputs.packages.some((p) => p.endsWith('node_modules/botkit'))).toBe(true);
    expect(inputs.packages.some((p) => p.endsWith('node_modules/ws'))).toBe(true);
    expect(inputs.packages.some((p) => p.includes('@microsoft/recognizers-text'))).toBe(false);
    expect(inputs.packages.some((p) => p.endsWith('node_modules/aws-cdk-lib'))).toBe(false);
  });

  it('keeps the analysed FAQ phrasings beside itself, and never from the sources', () => {
    // One knowledge base (the file's): its analyses and its TF-IDF index, made by this bundle's code, valid as long as
    // the bundle is.
    const kept = readdirSync(join(built.dir, 'faq-analysis')).filter((f) => f.endsWith('.analysis'));
    expect(kept).toHaveLength(2);
    expect(kept.filter((f) => f.startsWith('tfidf-'))).toHaveLength(1);
    expect(bundleDir()).toBeNull();
  });

  it('answers /healthz, a chat turn and a console login', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const session = await post('/api/chat/session', {});
    expect(session.status).toBe(200);
    const token = (session.body as { token: string }).token;
    const hello = await post('/api/messages', { type: 'hello' }, { authorization: `Bearer ${token}` });
    expect(hello.status).toBe(200);
    const faq = await post(
      '/api/messages',
      { type: 'message', text: 'combien coûte le kit ?' },
      { authorization: `Bearer ${token}` },
    );
    expect(faq.status).toBe(200);
    expect(JSON.stringify(faq.body)).toMatch(/kit/i);

    // The websocket (`ws` is bundled, not a stand-in as in the chat Lambda): the same conversation, a reply.
    const ws = await new Promise<WebSocket>((ok, fail) => {
      const socket = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`, {
        origin: url,
      });
      socket.once('open', () => ok(socket));
      socket.once('error', fail);
      socket.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    });
    try {
      const replied = new Promise<string>((ok) => ws.once('message', (d) => ok(d.toString())));
      ws.send(JSON.stringify({ type: 'message', text: 'combien coûte le kit ?' }));
      const reply = await replied;
      expect(reply).toMatch(/"replies"/);
      expect(reply).not.toContain('erreur est survenue');
    } finally {
      ws.close();
    }

    const login = await post('/api/console/login', {
      email: 'equipe@example.org',
      password: 'un-mot-de-passe-assez-long',
    });
    expect(login.status).toBe(200);
    expect((login.body as { token?: string }).token).toEqual(expect.any(String));
    const wrong = await post('/api/console/login', {
      email: 'equipe@example.org',
      password: 'pas-le-bon-mot-de-passe',
    });
    expect(wrong.status).toBe(401);
  });

  it('is found fresh while its inputs are unchanged, and stale after an edit to one of them', () => {
    const cache = join(tmp, 'cache');
    expect(findFreshBundle(cache, PROJECT_ROOT)).toBe(built.dir);
    const inputs = JSON.parse(readFileSync(join(built.dir, 'inputs.json'), 'utf8'));
    expect(inputs.files).toEqual(
      expect.arrayContaining([
        'infra/local/main.ts',
        'bot/faq/classifier.ts',
        'functions/api/health.ts', // a route module, loaded by its path from the sources
        'infra/bundle-stubs/botbuilder.cjs',
        'infra/local/server-bundle.ts',
      ]),
    );

    // A copy of the project's inputs, to edit: a file three imports deep, a package version, a new stand-in.
    const copy = join(tmp, 'project');
    for (const f of inputs.files as string[]) {
      mkdirSync(join(copy, f, '..'), { recursive: true });
      cpSync(join(PROJECT_ROOT, f), join(copy, f));
    }
    for (const p of inputs.packages as string[]) {
      const to = join(copy, 'node_modules', p.replace(/^.*node_modules\//, ''));
      mkdirSync(to, { recursive: true });
      cpSync(join(PROJECT_ROOT, p, 'package.json'), join(to, 'package.json'));
    }
    const local = {
      ...inputs,
      packages: (inputs.packages as string[]).map((p) => join('node_modules', p.replace(/^.*node_modules\//, ''))),
    };
    const key = bundleKey(local, copy);
    expect(bundleKey(local, copy)).toBe(key);

    const edit = (file: string, text: string) => {
      const before = readFileSync(join(copy, file));
      writeFileSync(join(copy, file), text);
      const changed = bundleKey(local, copy);
      writeFileSync(join(copy, file), before);
      return changed;
    };
    const vectors = 'bot/faq/vectors.ts';
    expect(edit(vectors, `${readFileSync(join(copy, vectors), 'utf8')}\n// edited\n`)).not.toBe(key);
    const ws = local.packages.find((p: string) => p.endsWith('/ws'))!;
    const pkg = JSON.parse(readFileSync(join(copy, ws, 'package.json'), 'utf8'));
    expect(edit(join(ws, 'package.json'), JSON.stringify({ ...pkg, version: '0.0.1' }))).not.toBe(key);
    writeFileSync(join(copy, 'infra/bundle-stubs/left-out.cjs'), '');
    expect(bundleKey(local, copy)).not.toBe(key);
    rmSync(join(copy, 'infra/bundle-stubs/left-out.cjs'));
    expect(bundleKey(local, copy)).toBe(key);
  });

  it('gives the Lambda bundles’ stand-ins to every package of UNREACHABLE_PACKAGES but ws', () => {
    expect(Object.keys(stubAliases()).sort()).toEqual(
      Object.keys(UNREACHABLE_PACKAGES)
        .filter((p) => p !== 'ws')
        .sort(),
    );
  });
});
