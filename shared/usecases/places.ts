import type { ApplicationDocument, ResolvedPlace } from '../domain/application.js';
import type { ApplicationItem, PlaceInput } from '../store/store.js';

/**
 * A qualified actor's places as rows of the national schema (LaMednum v1.0.2). Only what the schema calls public
 * information about a place: no legal representative, no personal e-mail. Several values are joined with `|`.
 */
export type NationalRow = Record<string, string | number>;

const join = (values: readonly string[] | undefined): string | undefined =>
  values && values.length > 0 ? values.join('|') : undefined;

export function toNationalRow(app: ApplicationItem, place: ResolvedPlace, n: number, date: Date): NationalRow {
  const doc = app.document as ApplicationDocument & Record<string, any>;
  const activite = doc.activite ?? {};
  const equipe = doc.equipe ?? {};
  const lieu = place.lieu;
  const itinerant = (activite.lieux_d_intervention ?? []).includes('itinerant');
  const row: Record<string, string | number | undefined> = {
    id: `${app.id}-${n}`,
    pivot: app.siret ?? '',
    nom: lieu.nom,
    commune: place.commune?.nom ?? lieu.commune,
    code_postal: lieu.code_postal,
    code_insee: place.commune?.codeInsee,
    adresse: lieu.adresse,
    telephone: lieu.telephone ?? undefined,
    horaires: lieu.horaires ?? undefined,
    // The actor's confirmed pin; otherwise locatePlaces (place-coordinates.ts) adds coordinates at publication.
    latitude: lieu.position?.latitude,
    longitude: lieu.position?.longitude,
    itinerance: itinerant ? 'Itinérant|Fixe' : 'Fixe',
    structure_parente: doc.structure?.nom,
    date_maj: date.toISOString().slice(0, 10),
    source: 'aptic-qualification',
    services: join(activite.services),
    modalites_accompagnement: join(activite.modalites_accompagnement),
    frais_a_charge: join(activite.frais_a_charge),
    publics_specifiquement_adresses: join(activite.publics_specifiquement_adresses),
    prise_en_charge_specifique: join(activite.prise_en_charge_specifique),
    dispositif_programmes_nationaux: join(equipe.dispositif_programmes_nationaux),
    formations_labels: join(equipe.formations_labels),
    // v1 of the schema has no "pass #APTIC" value: the free-text field carries it (domain.md).
    autres_formations_labels: 'Pass #APTIC',
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined && v !== '')) as NationalRow;
}

/** A place the actor unpublished (`publie: false`) is left out; ids keep the place's position in the document. */
export function toPublishedPlaces(app: ApplicationItem, places: ResolvedPlace[], date: Date): PlaceInput[] {
  return places
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.lieu.publie !== false)
    .map(({ p, i }) => ({
      departement: p.commune?.departement ?? 'inconnu',
      place: toNationalRow(app, p, i + 1, date),
      ...(p.lieu.position ? { precision: 'pin' as const } : {}),
    }));
}
