import type { AppConfig } from '../config/config.js';
import { type VolumeCap, valueInjected12m, volumeCap } from '../domain/territory.js';
import type { Deps } from './ports.js';

/**
 * The volume cap of each département (docs/territory.md): the admin's `volumeCaps` entry, else (when
 * `territory.derivedCaps` is on) the sustainable actors of the passes injected there in the last 12 months, read
 * with one Query per département (the injection links, entities/pass-injections.ts), never a Scan.
 */
export async function volumeCapsFor(
  deps: Deps,
  config: AppConfig,
  departements: readonly string[],
): Promise<Map<string, VolumeCap | null>> {
  const now = deps.clock();
  const out = new Map<string, VolumeCap | null>();
  for (const dep of new Set(departements)) {
    const configured = config.volumeCaps[dep];
    let passes12m = 0;
    let value12m = 0;
    if (configured === undefined && config.territory.derivedCaps) {
      const injections = await deps.store.passInjections.listByDepartement(dep);
      const shares = injections.map((i) => ({
        date: i.date,
        valeurFaciale: i.valeurFaciale,
        passes: i.departements.find((d) => d.code === dep)?.passes ?? 0,
      }));
      ({ passes: passes12m, value: value12m } = valueInjected12m(shares, now));
    }
    out.set(
      dep,
      volumeCap({
        configured,
        derivedCaps: config.territory.derivedCaps,
        passes12m,
        value12m,
        ratioTargetEur: config.territory.ratioTargetEur,
      }),
    );
  }
  return out;
}
