import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as campaign } from '../../../infra/cli/campaign.js';
import type { CliConnection } from '../../../infra/cli/connect.js';
import { run as staff } from '../../../infra/cli/staff.js';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';

// The admin CLIs are thin: they parse arguments and call the console's use cases. These tests drive them against a
// real table (dynalite) through the connection they would open, and read what they print.
let app: ConsoleApp;
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
});
afterAll(() => app?.close());

const open = async (): Promise<CliConnection> => ({ deps: app.deps, how: 'test', close: async () => {} });

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    return { code: await fn(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('npm run campaign', () => {
  const create = [
    'create',
    '--kind',
    'webinar',
    '--code',
    'webinaire-cli-87',
    '--label',
    'Devenir #APTIC en Haute-Vienne',
  ];

  it('creates a campaign through the console use case, with an audit record naming the operator', async () => {
    const r = await capture(() => campaign([...create, '--territory', '87', '--utm', 'source=hub-lo'], open));
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('/go/webinaire-cli-87?utm_source=hub-lo');
    const audit = await app.deps.store.audit.list({ entity: 'campaign:webinaire-cli-87' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ what: 'campaign.create', who: `cli:${userInfo().username}` });
  });

  it('never overwrites an existing campaign', async () => {
    const before = await app.deps.store.campaigns.get('webinaire-cli-87');
    const r = await capture(() => campaign([...create.slice(0, -1), 'Autre libellé'], open));
    expect(r.code).toBe(1);
    expect(r.err).toContain('Ce code est déjà utilisé.');
    expect(await app.deps.store.campaigns.get('webinaire-cli-87')).toEqual(before);
  });

  it('accepts only the codes the console accepts', async () => {
    const r = await capture(() => campaign(['create', '--kind', 'tour', '--code', 'Tour_87', '--label', 'Tour'], open));
    expect(r.code).toBe(1);
    expect(r.err).toContain('--code : Code : 3 à 40 lettres minuscules, chiffres ou tirets.');
    expect(await app.deps.store.campaigns.get('Tour_87')).toBeNull();
  });

  it('lists and shows campaigns; usage on a wrong command', async () => {
    expect((await capture(() => campaign(['list'], open))).out).toContain('webinaire-cli-87\twebinar');
    expect((await capture(() => campaign(['show', 'webinaire-cli-87'], open))).out).toContain('"territory": "87"');
    expect((await capture(() => campaign(['show', 'inconnu'], open))).code).toBe(1);
    expect((await capture(() => campaign(['delete'], open))).code).toBe(2);
  });
});

describe('npm run staff', () => {
  it('adds an account with a generated password once, then refuses the same address', async () => {
    const first = await capture(() => staff(['add', '--email', 'Cli.Reviewer@aptic.test'], open));
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Mot de passe \(affiché une seule fois\) : \S{16}/);
    const hash = (await app.deps.store.staff.get('cli.reviewer@aptic.test'))?.passwordHash;
    const again = await capture(() => staff(['add', '--email', 'cli.reviewer@aptic.test', '--role', 'admin'], open));
    expect(again).toMatchObject({ code: 1 });
    expect(again.err).toContain('Ce compte existe déjà.');
    expect(await app.deps.store.staff.get('cli.reviewer@aptic.test')).toMatchObject({
      role: 'reviewer',
      passwordHash: hash,
    });
    expect((await capture(() => staff(['list'], open))).out).toContain('cli.reviewer@aptic.test\treviewer');
  });

  it('takes a password on standard input and checks it like the console', async () => {
    const short = await capture(() =>
      staff(['add', '--email', 'court@aptic.test', '--password-stdin'], open, async () => 'court'),
    );
    expect(short.code).toBe(1);
    expect(short.err).toContain('au moins 12 caractères');
    const ok = await capture(() =>
      staff(['add', '--email', 'long@aptic.test', '--password-stdin'], open, async () => 'un mot de passe assez long'),
    );
    expect(ok.code).toBe(0);
    expect(ok.out).not.toContain('Mot de passe');
  });
});
