import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AppConfigSchema,
  DEFAULT_CONFIG,
  findNetwork,
  loadConfig,
  parseConfig,
} from '../../../shared/config/config.js';
import { ConfigError } from '../../../shared/domain/errors.js';

function tmpFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aptic-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, content);
  return file;
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_CONFIG).toEqual({
      phasesOpen: [1],
      networks: [
        { name: 'La MedNum', agreement: true },
        { name: "Ligue de l'enseignement", agreement: true },
        { name: 'PIMMS', agreement: true },
      ],
      territoriesWithActiveDeployment: [],
      volumeCaps: {},
      kit: { priceHtEur: 77, period: 'an' },
      commitments: {
        charte: { version: '2024-01', title: 'Charte #APTIC', url: 'https://www.aptic.fr/charte' },
        cgu: {
          version: '2024-01',
          title: 'Conditions générales d’utilisation #APTIC',
          url: 'https://www.aptic.fr/cgu',
        },
        bankDetailsRequired: true,
      },
      softFlagThreshold: 3,
      lowOpeningHoursThreshold: 24,
      maxPlaces: 50,
      workflow: {
        staffReviewDays: 14,
        actorCommitmentsDays: 30,
        finalApprovalDays: 14,
        changesDays: 30,
        waitlistDays: 180,
        heartbeatSeconds: 86_400,
        reminderDays: 7,
        redeliverAfterSeconds: 900,
        addressConfirmation: { required: true, hours: 48 },
      },
      actorSignIn: { codeMinutes: 30, sessionDays: 7, perAddressPerHour: 5, perIpPerHour: 30, minResponseMs: 300 },
      support: { email: 'support@aptic.fr' },
      submissionLimits: { windowSeconds: 3600, perIp: 10, perEmail: 5 },
      retention: {
        chatDays: 183,
        endedApplicationDays: 730,
        rejectedSiretDays: 90,
        erasureDueDays: 30,
        supportAnsweredDays: 90,
        supportOpenDays: 365,
      },
      territory: {
        ratioTargetEur: 15_000,
        ratioBandEur: [15_000, 25_000],
        reachRadiusKm: 15,
        derivedCaps: true,
        snapshotMaxAgeSeconds: 3600,
      },
      geocoding: { timeoutMs: 2000, minScore: 0.5, nearestLimit: 20 },
      webinars: [],
      console: {
        fourEyes: true,
        dueDays: {
          waitlisted: 60,
          address_confirmation: 2,
          staff_review: 5,
          changes_requested: 14,
          actor_commitments: 14,
          final_approval: 3,
        },
        digestHourUtc: 6,
      },
      prospects: {
        maxImportRows: 20_000,
        invitationSubject: 'Devenir #APTIC : {label}',
        invitationText: expect.stringContaining('{desinscription}'),
      },
      handover: { excerptMessages: 12, afterMisunderstandings: 2 },
      faqPublished: { checkSeconds: 3 },
    });
  });

  it('the shipped aptic-config.json states exactly the defaults', () => {
    expect(loadConfig()).toEqual(DEFAULT_CONFIG);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG.networks[0])).toBe(true);
  });

  it('is strict: unknown keys are rejected', () => {
    expect(AppConfigSchema.safeParse({ phaseOpen: [1] }).success).toBe(false);
    expect(AppConfigSchema.safeParse({ kit: { priceHtEur: 77, period: 'an', tva: 20 } }).success).toBe(false);
  });

  it('validates values', () => {
    expect(() => parseConfig({ phasesOpen: [4] })).toThrow(ConfigError);
    expect(() => parseConfig({ territoriesWithActiveDeployment: ['20'] })).toThrow(/territoriesWithActiveDeployment/);
    expect(() => parseConfig({ volumeCaps: { '87': -1 } })).toThrow(ConfigError);
    expect(() =>
      parseConfig({
        networks: [
          { name: 'PIMMS', agreement: true },
          { name: 'pimms', agreement: false },
        ],
      }),
    ).toThrow(/duplicate network/);
    expect(() => parseConfig({ workflow: { staffReviewDays: 1, heartbeatSeconds: 86_400 } })).toThrow(
      /heartbeatSeconds/,
    );
    expect(
      parseConfig({ territoriesWithActiveDeployment: ['2A', '974', '87'], volumeCaps: { '2B': 10 } }),
    ).toMatchObject({
      territoriesWithActiveDeployment: ['2A', '974', '87'],
      volumeCaps: { '2B': 10 },
    });
    expect(parseConfig({ phasesOpen: [2, 1, 2] }).phasesOpen).toEqual([1, 2]);
  });

  it('loadConfig reads a file, fills defaults, and reports errors', () => {
    const cfg = loadConfig(tmpFile(JSON.stringify({ phasesOpen: [1, 2], maxPlaces: 10 })));
    expect(cfg).toMatchObject({ phasesOpen: [1, 2], maxPlaces: 10, softFlagThreshold: 3 });
    expect(() => loadConfig(tmpFile('{ nope'))).toThrow(/not valid JSON/);
    expect(() => loadConfig('/nonexistent/aptic.json')).toThrow(/Cannot read/);
    expect(() => loadConfig(tmpFile(JSON.stringify({ maxPlaces: 0 })))).toThrow(ConfigError);
  });

  it('findNetwork matches case-, accent- and punctuation-insensitively', () => {
    expect(findNetwork(DEFAULT_CONFIG, 'la mednum')?.name).toBe('La MedNum');
    expect(findNetwork(DEFAULT_CONFIG, 'LIGUE DE L’ENSEIGNEMENT')?.name).toBe("Ligue de l'enseignement");
    expect(findNetwork(DEFAULT_CONFIG, 'Pimms')?.agreement).toBe(true);
    expect(findNetwork(DEFAULT_CONFIG, 'Emmaüs Connect')).toBeNull();
    expect(findNetwork(DEFAULT_CONFIG, null)).toBeNull();
  });
});
