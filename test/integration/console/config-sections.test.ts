import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigSchema } from '../../../shared/config/config.js';
import { effectiveConfig } from '../../../shared/usecases/config.js';
import { TEST_CONFIG } from '../../helpers/test-config.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';

// PUT /api/console/config with part of a section (issue 13, « due dates »): the keys not sent keep their value, those
// of the file as those an earlier change set.
let app: ConsoleApp;
let admin: { email: string; token: string };
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
});
afterAll(() => app?.close());

const put = async (set: unknown) => {
  const version = (await app.call('GET', '/api/console/config', { token: admin.token })).body.version;
  return app.call('PUT', '/api/console/config', { token: admin.token, body: { version, set } });
};

describe('PUT /api/console/config, console section', () => {
  // A file that sets its own due days and digest hour (not the schema's defaults).
  const file = AppConfigSchema.parse({
    ...TEST_CONFIG,
    console: { fourEyes: true, dueDays: { ...TEST_CONFIG.console.dueDays, staff_review: 9 }, digestHourUtc: 8 },
  });

  it('four eyes off keeps the due days and the digest hour', async () => {
    const res = await put({ console: { fourEyes: false } });
    expect(res.status).toBe(200);
    const config = await effectiveConfig(app.deps.store, file);
    expect(config.console.fourEyes).toBe(false);
    expect(config.console.dueDays.staff_review).toBe(9);
    expect(config.console.digestHourUtc).toBe(8);
    expect(res.body.effective.console.fourEyes).toBe(false);
  });

  it('one step’s due days keeps the other steps and the earlier four-eyes change', async () => {
    const res = await put({ console: { dueDays: { final_approval: 6 } } });
    expect(res.status).toBe(200);
    const config = await effectiveConfig(app.deps.store, file);
    expect(config.console).toEqual({
      fourEyes: false,
      dueDays: { ...file.console.dueDays, final_approval: 6 },
      digestHourUtc: 8,
    });
    expect(res.body.overrides.console).toEqual({ fourEyes: false, dueDays: { final_approval: 6 } });
  });

  it('refuses an unknown step or a bad number (400, field errors)', async () => {
    const res = await put({ console: { dueDays: { inconnue: 3, staff_review: -1 } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_error');
  });
});
