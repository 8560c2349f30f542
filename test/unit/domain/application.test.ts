import { describe, expect, it } from 'vitest';
import { parseApplication, resolvePlaces } from '../../../shared/domain/application.js';
import { exampleDocument, variant } from './fixtures.js';

function issues(input: unknown) {
  const r = parseApplication(input);
  if (r.ok) throw new Error('expected issues');
  return r.issues;
}

function value(input: unknown) {
  const r = parseApplication(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

function producer(input: unknown) {
  const v = value(input);
  if (v.profil !== 'producteur') throw new Error('expected producteur');
  return v;
}

describe('parseApplication: the application.md example', () => {
  it('parses and normalises the SIRET to 14 digits', () => {
    const v = producer(exampleDocument());
    expect(v.structure.siret).toBe('73282932000074');
    expect(v.lieux[0]).toMatchObject({ commune: 'Limoges', code_postal: '87280', telephone: '+33555000000' });
    expect(v.contexte).toEqual({ reseau: null, contact_territorial: 'non', campagne: null, utm: {} });
  });

  it('resolvePlaces gives INSEE code, département and région per place', () => {
    const [p] = resolvePlaces(value(exampleDocument()));
    expect(p).toMatchObject({ index: 0, commune: { codeInsee: '87085', departement: '87', region: '75' } });
    expect(p?.lieu.nom).toBe('Clic Solidaire — Beaubreuil');
  });

  it('is idempotent: the parsed value parses again to itself', () => {
    const v = value(exampleDocument());
    expect(value(v)).toEqual(v);
  });
});

describe('strictness', () => {
  it('rejects unknown fields at every level with their path and a French message', () => {
    const r = issues(
      variant((d) => {
        d.typo = 1;
        (d.structure as Record<string, unknown>).sirett = 'x';
        (d.lieux[0] as Record<string, unknown>).ville = 'Limoges';
        (d.engagements as Record<string, unknown>).charter = true;
      }),
    );
    expect(r.map((i) => i.path).sort()).toEqual(['engagements.charter', 'lieux.0.ville', 'structure.sirett', 'typo']);
    for (const i of r) expect(i.message).toMatch(/^Champ inconnu : « .+ »/);
  });

  it('French messages for wrong types and enum values', () => {
    const r = issues(
      variant((d) => {
        d.engagements.charte = 'oui' as never;
        d.structure.forme_juridique = 'SARL';
        d.activite.services = ['Aide aux demarches administratives'];
      }),
    );
    const byPath = Object.fromEntries(r.map((i) => [i.path, i.message]));
    expect(byPath['engagements.charte']).toContain('répondez par oui (true) ou non (false)');
    expect(byPath['structure.forme_juridique']).toContain('Forme juridique : valeur attendue parmi');
    expect(byPath['activite.services.0']).toContain('valeur inconnue');
  });

  it('missing required fields are reported with paths', () => {
    const r = issues(variant((d) => delete (d.structure as Partial<typeof d.structure>).compte_bancaire));
    expect(r).toEqual([{ path: 'structure.compte_bancaire', message: expect.stringContaining('Compte bancaire') }]);
  });

  it('rejects a non-object document and an unknown profil', () => {
    expect(issues(null)).toEqual([{ path: '', message: 'Le document doit être un objet JSON.' }]);
    expect(issues([])[0]?.path).toBe('');
    expect(issues({ profil: 'artiste' })[0]).toMatchObject({
      path: 'profil',
      message: expect.stringContaining('Profil'),
    });
  });
});

describe('profils other than producteur', () => {
  it.each(['financeur', 'prescripteur', 'particulier', 'autre'])('%s: only profil is required', (profil) => {
    expect(value({ profil })).toEqual({ profil });
    expect(value({ profil, structure: { nom: 'x' }, contexte: { reseau: null } })).toEqual({
      profil,
      contexte: { reseau: null },
    });
    expect(issues({ profil, foo: 1 })[0]?.path).toBe('foo');
  });
});

describe('SIRET field', () => {
  it('null is a valid answer', () => {
    expect(producer(variant((d) => (d.structure.siret = null as never))).structure.siret).toBeNull();
  });

  it.each([
    ['12345678901234', 'pas valide'],
    ['732829320', 'SIREN'],
    ['12', '14 chiffres'],
  ])('%s → issue at structure.siret', (siret, fragment) => {
    const r = issues(variant((d) => (d.structure.siret = siret)));
    expect(r).toEqual([{ path: 'structure.siret', message: expect.stringContaining(fragment) }]);
  });

  it('a number is not accepted (leading zeros would be lost)', () => {
    expect(issues(variant((d) => (d.structure.siret = 73282932000074 as never)))[0]?.path).toBe('structure.siret');
  });
});

describe('places', () => {
  it('commune mismatch → issue at lieux.0.commune listing the suggestions', () => {
    const r = issues(
      variant((d) => {
        d.lieux[0]!.code_postal = '51300';
        d.lieux[0]!.commune = 'Reims';
      }),
    );
    expect(r).toHaveLength(1);
    expect(r[0]?.path).toBe('lieux.0.commune');
    expect(r[0]?.message).toContain('Vitry-le-François');
  });

  it('unknown postal code → issue at code_postal; malformed postal code', () => {
    expect(issues(variant((d) => (d.lieux[0]!.code_postal = '99999')))[0]?.path).toBe('lieux.0.code_postal');
    expect(issues(variant((d) => (d.lieux[0]!.code_postal = '8728')))[0]).toEqual({
      path: 'lieux.0.code_postal',
      message: 'Le code postal doit comporter 5 chiffres.',
    });
  });

  it('Paris → the arrondissement of the postal code', () => {
    const v = producer(
      variant((d) => {
        d.lieux[0]!.code_postal = '75011';
        d.lieux[0]!.commune = 'paris';
      }),
    );
    expect(v.lieux[0]?.commune).toBe('Paris 11e Arrondissement');
    expect(resolvePlaces(v)[0]?.commune).toMatchObject({ codeInsee: '75111', departement: '75' });
  });

  it('normalises phone numbers to the schema pattern, rejects bad ones', () => {
    const tel = (t: string) => producer(variant((d) => (d.lieux[0]!.telephone = t))).lieux[0]?.telephone;
    expect(tel('05 55 00 00 00')).toBe('+33555000000');
    expect(tel('05.55.00.00.00')).toBe('+33555000000');
    expect(tel('+33 (0)5 55 00 00 00')).toBe('+33555000000');
    expect(tel('0033 5 55 00 00 00')).toBe('+33555000000');
    expect(tel('0262 12 34 56')).toBe('+262262123456');
    expect(issues(variant((d) => (d.lieux[0]!.telephone = '12 34')))[0]?.path).toBe('lieux.0.telephone');
  });

  it('keeps opening hours that do not parse (flagged later by the decision)', () => {
    const v = producer(variant((d) => (d.lieux[0]!.horaires = 'du lundi au vendredi, 9h-12h')));
    expect(v.lieux[0]?.horaires).toBe('du lundi au vendredi, 9h-12h');
  });

  it('at least one place when the actor has its own place; none needed for home visits only', () => {
    expect(issues(variant((d) => (d.lieux = [])))[0]?.path).toBe('lieux');
    const v = producer(
      variant((d) => {
        d.lieux = [];
        d.activite.lieux_d_intervention = ['domicile'];
      }),
    );
    expect(v.lieux).toEqual([]);
  });
});

describe('free texts', () => {
  it('trims and keeps markup as text (no HTML stripping)', () => {
    const v = producer(variant((d) => (d.structure.nom = '  <script>alert("x")</script> & Cie  ')));
    expect(v.structure.nom).toBe('<script>alert("x")</script> & Cie');
  });

  it('strips control characters and bidi overrides', () => {
    const v = producer(
      variant((d) => {
        d.structure.nom = 'Clic\u0000 Sol\u202Eidaire\u2066\u0007';
        d.lieux[0]!.adresse = '12\true\ndes\u200B Lilas';
      }),
    );
    expect(v.structure.nom).toBe('Clic Solidaire');
    expect(v.lieux[0]?.adresse).toBe('12 rue des Lilas');
  });

  it('enforces lengths after cleaning', () => {
    expect(issues(variant((d) => (d.structure.nom = ' A\u202E ')))[0]).toEqual({
      path: 'structure.nom',
      message: 'Nom de la structure : au moins 2 caractères.',
    });
    expect(issues(variant((d) => (d.structure.nom = 'x'.repeat(151))))[0]?.path).toBe('structure.nom');
  });
});

describe('other fields', () => {
  it('validates the legal representative e-mail', () => {
    const r = issues(variant((d) => (d.structure.representant_legal.courriel = 'claire@')));
    expect(r).toEqual([{ path: 'structure.representant_legal.courriel', message: expect.stringContaining('e-mail') }]);
  });

  it('requires demandeur_mandate when the person is not the legal representative', () => {
    const r = issues(
      variant((d) => {
        d.structure.demandeur_est_representant_legal = false;
        delete (d.structure as Partial<typeof d.structure>).demandeur_mandate;
      }),
    );
    expect(r[0]?.path).toBe('structure.demandeur_mandate');
  });

  it('requires services, modalités and frais when there is a mediation activity', () => {
    const r = issues(variant((d) => (d.activite.services = [])));
    expect(r[0]?.path).toBe('activite.services');
    const v = producer(
      variant((d) => {
        d.activite.mediation = false;
        d.activite.services = [];
      }),
    );
    expect(v.activite.services).toEqual([]);
  });

  it('optional fields may be absent or null; duplicates are removed', () => {
    const v = producer(
      variant((d) => {
        delete (d as Partial<typeof d>).equipe;
        delete (d as Partial<typeof d>).contexte;
        (d.activite as Record<string, unknown>).heures_accueil_hebdo = null;
        d.activite.frais_a_charge = ['Gratuit', 'Gratuit'];
      }),
    );
    expect(v.equipe).toBeUndefined();
    expect(v.activite.heures_accueil_hebdo).toBeUndefined();
    expect(v.activite.frais_a_charge).toEqual(['Gratuit']);
  });

  it('bounds numbers', () => {
    expect(issues(variant((d) => (d.activite.heures_accueil_hebdo = 81)))[0]?.path).toBe(
      'activite.heures_accueil_hebdo',
    );
    expect(issues(variant((d) => (d.equipe.salaries = -1)))[0]?.path).toBe('equipe.salaries');
    expect(issues(variant((d) => (d.equipe.benevoles = 1.5)))[0]?.path).toBe('equipe.benevoles');
  });

  it('contexte: utm is a record of short strings, campagne a code', () => {
    expect(issues(variant((d) => (d.contexte.utm = { source: 42 } as never)))[0]?.path).toBe('contexte.utm.source');
    expect(issues(variant((d) => (d.contexte.campagne = 'a b' as never)))[0]?.path).toBe('contexte.campagne');
    expect(producer(variant((d) => (d.contexte.utm = { utm_source: ' webinar ' }))).contexte?.utm).toEqual({
      utm_source: 'webinar',
    });
  });
});
