import { describe, expect, it } from 'vitest';
import { type AppConfig, DEFAULT_CONFIG, parseConfig } from '../../../shared/config/config.js';
import { parseApplication } from '../../../shared/domain/application.js';
import { type EligibilityContext, evaluateEligibility, phaseFor } from '../../../shared/domain/eligibility.js';
import { exampleDocument, variant } from './fixtures.js';

function decide(input: unknown, config: AppConfig = DEFAULT_CONFIG, ctx?: EligibilityContext) {
  const r = parseApplication(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return evaluateEligibility(r.value, config, ctx);
}
const codes = (list: { code: string }[]) => list.map((f) => f.code);

describe('the application.md example', () => {
  it('is eligible now, phase 1, route libre, no flag', () => {
    const d = decide(exampleDocument());
    expect(d).toEqual({
      status: 'eligible_now',
      phase: 1,
      route: 'libre',
      flags: [],
      reasons: [],
      departements: ['87'],
    });
  });
});

describe('redirect (A1)', () => {
  it.each([
    ['financeur', 'order-passes'],
    ['prescripteur', 'order-passes'],
    ['particulier', 'beneficiary-get-pass'],
    ['autre', 'who-can-qualify'],
  ])('%s → redirect with topic %s', (profil, topic) => {
    const d = decide({ profil });
    expect(d).toMatchObject({ status: 'redirect', phase: null, route: null, flags: [], departements: [] });
    expect(d.reasons).toHaveLength(1);
    expect(d.reasons[0]).toMatchObject({ code: `redirect_${profil}`, topic });
  });
});

describe('hard gates → not_eligible_yet, one reason each', () => {
  it.each([
    ['siret_missing', 'siret-issues', (d: any) => (d.structure.siret = null)],
    [
      'not_mandated',
      'become-qualified',
      (d: any) => {
        d.structure.demandeur_est_representant_legal = false;
        d.structure.demandeur_mandate = false;
      },
    ],
    ['no_bank_account', 'reimbursement', (d: any) => (d.structure.compte_bancaire = false)],
    ['no_mediation_activity', 'who-can-qualify', (d: any) => (d.activite.mediation = false)],
    ['charter_refused', 'charter-commitments', (d: any) => (d.engagements.charte = false)],
    ['cgu_refused', 'charter-commitments', (d: any) => (d.engagements.cgu = false)],
    ['subscription_refused', 'cost-kit', (d: any) => (d.engagements.abonnement = 'non')],
  ])('%s', (code, topic, edit) => {
    const d = decide(variant(edit));
    expect(d.status).toBe('not_eligible_yet');
    expect(d.reasons).toEqual([{ code, message: expect.any(String), topic }]);
  });

  it('a mandated non-representative passes', () => {
    const d = decide(
      variant((d) => {
        d.structure.demandeur_est_representant_legal = false;
        d.structure.demandeur_mandate = true;
      }),
    );
    expect(d.status).toBe('eligible_now');
  });

  it('several failures → one reason per gate; a_confirmer does not hide them', () => {
    const d = decide(
      variant((d) => {
        d.structure.siret = null as never;
        d.structure.compte_bancaire = false;
        d.engagements.cgu = false;
        d.engagements.abonnement = 'a_confirmer';
      }),
    );
    expect(d.status).toBe('not_eligible_yet');
    expect(codes(d.reasons)).toEqual(['siret_missing', 'no_bank_account', 'cgu_refused']);
  });
});

describe('pending_confirmation', () => {
  it('abonnement a_confirmer → pending_confirmation, phase/route/flags still computed', () => {
    const d = decide(
      variant((d) => {
        d.engagements.abonnement = 'a_confirmer';
        d.contexte.contact_territorial = 'oui';
      }),
    );
    expect(d).toMatchObject({ status: 'pending_confirmation', phase: 1, route: 'territoriale' });
    expect(codes(d.flags)).toContain('subscription_to_confirm');
    expect(codes(d.reasons)).toEqual(['subscription_pending']);
  });
});

describe('phase rule (C4)', () => {
  it.each([
    [['lieu_propre'], 'association', 1],
    [['lieu_propre', 'lieux_tiers', 'domicile', 'itinerant', 'distance'], 'association', 1],
    [['lieux_tiers'], 'association', 2],
    [['lieux_tiers', 'domicile'], 'entreprise', 2],
    [['domicile'], 'association', 3],
    [['domicile', 'itinerant'], 'collectivite', 3],
    [['itinerant'], 'association', 1],
    [['itinerant'], 'entrepreneur_individuel', 2],
    [['itinerant', 'distance'], 'entreprise', 1],
    [['distance'], 'association', null],
  ] as const)('%j, %s → %s', (where, forme, phase) => {
    expect(phaseFor(where, forme)).toBe(phase);
  });

  it('phase 2 and 3 are waitlisted while closed (default phasesOpen [1])', () => {
    const d2 = decide(variant((d) => (d.activite.lieux_d_intervention = ['lieux_tiers'])));
    expect(d2).toMatchObject({ status: 'eligible_waitlist', phase: 2 });
    expect(d2.reasons[0]).toMatchObject({ code: 'phase_closed', topic: 'home-independent' });
    const d3 = decide(variant((d) => (d.activite.lieux_d_intervention = ['domicile'])));
    expect(d3).toMatchObject({ status: 'eligible_waitlist', phase: 3 });
  });

  it('itinerant entrepreneur individuel → phase 2 → waitlist; opened phase → eligible', () => {
    const doc = variant((d) => {
      d.activite.lieux_d_intervention = ['itinerant'];
      d.structure.forme_juridique = 'entrepreneur_individuel';
    });
    expect(decide(doc)).toMatchObject({ status: 'eligible_waitlist', phase: 2 });
    expect(decide(doc, parseConfig({ phasesOpen: [1, 2] }))).toMatchObject({ status: 'eligible_now', phase: 2 });
  });

  it('remote only → needs_human_review with phase null', () => {
    const d = decide(variant((d) => (d.activite.lieux_d_intervention = ['distance'])));
    expect(d).toMatchObject({ status: 'needs_human_review', phase: null });
    expect(codes(d.reasons)).toEqual(['distance_only']);
  });

  it('phase 1 with home visits → flag home_services_later', () => {
    const d = decide(variant((d) => (d.activite.lieux_d_intervention = ['lieu_propre', 'domicile'])));
    expect(d.status).toBe('eligible_now');
    expect(codes(d.flags)).toEqual(['home_services_later']);
  });
});

describe('soft flags and the review threshold', () => {
  const twoSoft = (d: any) => {
    d.lieux[0].accueil_inconditionnel = false; // closed_public
    d.activite.reste_a_charge_nul_accepte = false; // no_zero_remaining_cost
  };
  const threeSoft = (d: any) => {
    twoSoft(d);
    d.activite.heures_accueil_hebdo = 10; // low_opening_hours
  };

  it('2 soft flags → eligible_now (with the flags)', () => {
    const d = decide(variant(twoSoft));
    expect(d.status).toBe('eligible_now');
    expect(codes(d.flags)).toEqual(['closed_public', 'no_zero_remaining_cost']);
  });

  it('3 soft flags → needs_human_review', () => {
    const d = decide(variant(threeSoft));
    expect(d.status).toBe('needs_human_review');
    expect(codes(d.reasons)).toEqual(['review_soft_flags']);
    expect(codes(d.flags)).toEqual(['closed_public', 'low_opening_hours', 'no_zero_remaining_cost']);
  });

  it('the threshold is configuration', () => {
    expect(decide(variant(twoSoft), parseConfig({ softFlagThreshold: 2 })).status).toBe('needs_human_review');
    expect(decide(variant(threeSoft), parseConfig({ softFlagThreshold: 4 })).status).toBe('eligible_now');
  });

  it('non-soft flags do not count', () => {
    const d = decide(
      variant((d) => {
        d.structure.forme_juridique = 'collectivite';
        d.structure.siret_deja_utilise = 'oui';
        d.engagements.publication = false;
        d.lieux.push({ ...d.lieux[0]!, nom: 'Second lieu' });
      }),
    );
    expect(d.status).toBe('eligible_now');
    expect(codes(d.flags)).toEqual(['regie_required', 'siret_possibly_used', 'multi_sites', 'no_publication']);
    expect(d.flags[0]).toMatchObject({ topic: 'public-structure-regie' });
  });

  it('every soft flag the document can express', () => {
    const d = decide(
      variant((d) => {
        d.activite.services = ['Accès internet et matériel informatique'];
        d.activite.modalites_accompagnement = ['En autonomie'];
        d.equipe = {
          salaries: 0,
          benevoles: 4,
          services_civiques: 1,
          benevoles_encadres: false,
          dispositif_programmes_nationaux: [],
        };
        (d.equipe as Record<string, unknown>).aucune_formation = true;
      }),
    );
    expect(codes(d.flags)).toEqual(['no_accompaniment_service', 'autonomy_only', 'supervision_weak', 'no_training']);
    expect(d.status).toBe('needs_human_review');
  });

  it('low opening hours from the declared hours, else from the opening_hours of the places', () => {
    expect(codes(decide(variant((d) => (d.activite.heures_accueil_hebdo = 24))).flags)).toEqual([]);
    expect(codes(decide(variant((d) => (d.activite.heures_accueil_hebdo = 23.5))).flags)).toEqual([
      'low_opening_hours',
    ]);
    const computed = (h: string) =>
      codes(
        decide(
          variant((d) => {
            delete (d.activite as Record<string, unknown>).heures_accueil_hebdo;
            d.lieux[0]!.horaires = h;
          }),
        ).flags,
      );
    expect(computed('Mo-Fr 09:00-12:00,14:00-18:00')).toEqual([]); // 35 h
    expect(computed('We 14:00-18:00')).toEqual(['low_opening_hours']); // 4 h
    expect(computed('le mercredi après-midi')).toEqual(['opening_hours_unparsed']);
  });

  it('supervision is weak only without salaried staff and without a referent', () => {
    const team = (salaries: number, encadres: boolean) =>
      codes(
        decide(
          variant((d) => {
            d.equipe.salaries = salaries;
            d.equipe.benevoles_encadres = encadres;
          }),
        ).flags,
      );
    expect(team(0, false)).toEqual(['supervision_weak']);
    expect(team(0, true)).toEqual([]);
    expect(team(1, false)).toEqual([]);
  });
});

describe('route priority: reseau > territoriale > libre', () => {
  const withContext = (reseau: string | null, contact: string) =>
    variant((d) => {
      d.contexte.reseau = reseau as never;
      d.contexte.contact_territorial = contact;
    });

  it('a network with an agreement (case/accent-insensitive) → reseau, even when territorial', () => {
    expect(decide(withContext('la mednum', 'oui')).route).toBe('reseau');
    expect(decide(withContext("LIGUE DE L'ENSEIGNEMENT", 'non')).route).toBe('reseau');
    expect(decide(withContext('Pimms', 'non')).route).toBe('reseau');
  });

  it('a network without agreement or unknown → not reseau, flagged', () => {
    const cfg = parseConfig({ networks: [{ name: 'Réseau X', agreement: false }] });
    const d = decide(withContext('reseau x', 'non'), cfg);
    expect(d.route).toBe('libre');
    expect(codes(d.flags)).toEqual(['network_without_agreement']);
    expect(decide(withContext('Inconnu', 'oui')).route).toBe('territoriale');
  });

  it('territoriale: contact_territorial oui, a territorial campaign, or an active département', () => {
    expect(decide(withContext(null, 'oui')).route).toBe('territoriale');
    expect(decide(withContext(null, 'ne_sait_pas')).route).toBe('libre');
    for (const kind of ['webinar', 'tour', 'hub'] as const) {
      expect(decide(exampleDocument(), DEFAULT_CONFIG, { campaign: { kind } }).route).toBe('territoriale');
    }
    const active = parseConfig({ territoriesWithActiveDeployment: ['87'] });
    expect(decide(exampleDocument(), active).route).toBe('territoriale');
    expect(decide(exampleDocument(), parseConfig({ territoriesWithActiveDeployment: ['2A'] })).route).toBe('libre');
  });

  it('campaign route and network campaigns', () => {
    expect(decide(exampleDocument(), DEFAULT_CONFIG, { campaign: { kind: 'hub', route: 'libre' } }).route).toBe(
      'libre',
    );
    expect(decide(exampleDocument(), DEFAULT_CONFIG, { campaign: { kind: 'network', network: 'PIMMS' } }).route).toBe(
      'reseau',
    );
    expect(decide(exampleDocument(), DEFAULT_CONFIG, { campaign: { kind: 'network', network: 'Autre' } }).route).toBe(
      'libre',
    );
    expect(
      decide(withContext(null, 'oui'), DEFAULT_CONFIG, { campaign: { kind: 'webinar', route: 'reseau' } }).route,
    ).toBe('reseau');
  });

  it('campaign_unknown only when the caller looked the code up and found nothing', () => {
    const doc = variant((d) => (d.contexte.campagne = 'tour-87' as never));
    expect(codes(decide(doc).flags)).toEqual([]);
    expect(codes(decide(doc, DEFAULT_CONFIG, { campaign: null }).flags)).toEqual(['campaign_unknown']);
  });
});

describe('waitlist: volume cap', () => {
  it('capReached for a place département → eligible_waitlist', () => {
    const seen: string[] = [];
    const d = decide(exampleDocument(), DEFAULT_CONFIG, {
      capReached: (dep) => {
        seen.push(dep);
        return dep === '87';
      },
    });
    expect(seen).toEqual(['87']);
    expect(d).toMatchObject({ status: 'eligible_waitlist', phase: 1 });
    expect(d.reasons[0]).toMatchObject({ code: 'volume_cap_reached', topic: 'ratio-consolidateur' });
    expect(decide(exampleDocument(), DEFAULT_CONFIG, { capReached: () => false }).status).toBe('eligible_now');
  });

  it('départements come from the commune (Corsica, overseas), deduplicated', () => {
    const d = decide(
      variant((d) => {
        const base = d.lieux[0]!;
        d.lieux = [
          { ...base, code_postal: '20000', commune: 'Ajaccio' },
          { ...base, code_postal: '20200', commune: 'Bastia' },
          { ...base, code_postal: '97400', commune: 'Saint-Denis' },
          { ...base, code_postal: '20090', commune: 'Ajaccio' },
        ];
      }),
      DEFAULT_CONFIG,
      { capReached: (dep) => dep === '974' },
    );
    expect(d.departements).toEqual(['2A', '2B', '974']);
    expect(d.status).toBe('eligible_waitlist');
  });
});

describe('many places', () => {
  it('more places than config.maxPlaces → needs_human_review (too_many_places)', () => {
    const doc = variant((d) => {
      d.lieux = Array.from({ length: 51 }, (_, i) => ({ ...d.lieux[0]!, nom: `Lieu ${i + 1}` }));
    });
    const d = decide(doc);
    expect(d.status).toBe('needs_human_review');
    expect(codes(d.reasons)).toEqual(['too_many_places']);
    expect(decide(doc, parseConfig({ maxPlaces: 60 })).status).toBe('eligible_now');
  });
});

describe('messages', () => {
  it('never claim a qualification', () => {
    const all = [
      decide(exampleDocument()),
      decide(variant((d) => (d.engagements.abonnement = 'non'))),
      decide(variant((d) => (d.activite.lieux_d_intervention = ['domicile']))),
    ];
    for (const d of all) {
      for (const f of [...d.flags, ...d.reasons]) expect(f.message).not.toMatch(/vous êtes qualifié/i);
    }
  });
});
