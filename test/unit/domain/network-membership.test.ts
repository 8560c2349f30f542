import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config/config.js';
import { parseApplication } from '../../../shared/domain/application.js';
import { evaluateEligibility, membershipInForce, type NetworkMembership } from '../../../shared/domain/eligibility.js';
import { exampleDocument } from '../../helpers/fixtures.js';

const m = (agreement: NetworkMembership['agreement']): NetworkMembership => ({
  networkId: 'n',
  name: 'La MedNum',
  agreement,
});
const at = { today: '2026-06-15', phase: 1 as const, departements: ['87'] };

describe('membershipInForce', () => {
  it('needs a signed agreement, within its dates, covering the phase and every département', () => {
    expect(membershipInForce(m(null), at)).toBe(false);
    expect(membershipInForce(m({}), at)).toBe(false);
    expect(membershipInForce(m({ signedAt: '2026-01-01' }), at)).toBe(true);
    expect(membershipInForce(m({ signedAt: '2026-07-01' }), at)).toBe(false);
    expect(membershipInForce(m({ signedAt: '2026-01-01', startsAt: '2026-06-16' }), at)).toBe(false);
    // Signed later than its stated start: not in force before the signature.
    expect(membershipInForce(m({ signedAt: '2026-06-16', startsAt: '2026-01-01' }), at)).toBe(false);
    expect(membershipInForce(m({ signedAt: '2026-06-15', startsAt: '2026-01-01' }), at)).toBe(true);
    expect(membershipInForce(m({ signedAt: '2026-01-01', endsAt: '2026-06-15' }), at)).toBe(true);
    expect(membershipInForce(m({ signedAt: '2026-01-01', endsAt: '2026-06-14' }), at)).toBe(false);
    expect(membershipInForce(m({ signedAt: '2026-01-01', phases: [2, 3] }), at)).toBe(false);
    expect(membershipInForce(m({ signedAt: '2026-01-01', phases: [] }), at)).toBe(true);
    expect(membershipInForce(m({ signedAt: '2026-01-01', departements: ['87', '23'] }), at)).toBe(true);
    expect(
      membershipInForce(m({ signedAt: '2026-01-01', departements: ['87'] }), { ...at, departements: ['87', '75'] }),
    ).toBe(false);
  });
});

describe('the réseau route with the member lists looked up', () => {
  const parsed = parseApplication({
    ...exampleDocument(),
    contexte: { ...exampleDocument().contexte, reseau: 'La MedNum' },
  });
  if (!parsed.ok) throw new Error('bad fixture');
  const doc = parsed.value;
  const decide = (memberships: NetworkMembership[] | undefined) =>
    evaluateEligibility(doc, DEFAULT_CONFIG, { campaign: null, memberships, today: '2026-06-15' });

  it('not looked up: the network named with an agreement in the configuration gives it (as before)', () => {
    expect(decide(undefined).route).toBe('reseau');
  });

  it('a member in force: réseau, no reason added', () => {
    const d = decide([m({ signedAt: '2026-01-01' })]);
    expect(d.route).toBe('reseau');
    expect(d.reasons.map((r) => r.code)).not.toContain('network_membership_not_found');
  });

  it('no membership in force: libre or territoriale, the reason says why, the status is untouched', () => {
    const d = decide([]);
    expect(d.route).toBe('libre');
    expect(d.status).toBe('eligible_now');
    expect(d.reasons.map((r) => r.code)).toEqual(['network_membership_not_found']);
    const territorial = evaluateEligibility(
      doc,
      { ...DEFAULT_CONFIG, territoriesWithActiveDeployment: ['87'] },
      {
        memberships: [m({ signedAt: '2020-01-01', endsAt: '2021-01-01' })],
        today: '2026-06-15',
      },
    );
    expect(territorial.route).toBe('territoriale');
  });

  it('a listed member who named no network still gets the réseau route', () => {
    const plain = parseApplication(exampleDocument());
    if (!plain.ok) throw new Error('bad fixture');
    const d = evaluateEligibility(plain.value, DEFAULT_CONFIG, {
      memberships: [m({ signedAt: '2026-01-01' })],
      today: '2026-06-15',
    });
    expect(d.route).toBe('reseau');
    const none = evaluateEligibility(plain.value, DEFAULT_CONFIG, { memberships: [], today: '2026-06-15' });
    expect(none.reasons.map((r) => r.code)).not.toContain('network_membership_not_found');
  });
});
