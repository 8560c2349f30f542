import { describe, expect, it } from 'vitest';
import { whereOnMap } from '../../../bot/dialogs/summary.js';

describe('chat summary: where the map puts a place, in words', () => {
  it('names the official commune and says the actor can pin it later', () => {
    expect(whereOnMap('87000', 'limoges')).toBe(
      'sur la carte : nous situons votre lieu à Limoges (87000), à son adresse exacte une fois publié ; vous pourrez placer l’épingle vous-même depuis votre espace',
    );
  });
  it('says nothing when the commune is unknown or missing', () => {
    expect(whereOnMap('87000', 'Atlantide')).toBeNull();
    expect(whereOnMap(undefined, 'Limoges')).toBeNull();
  });
});
