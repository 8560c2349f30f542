// Campaign links (/go/:code): who sent the actor, and the route that context implies.
import { campaignIsRunning } from '../ports.js';
import type { CampaignInfo } from '../state.js';
import type { BotDeps, ChatTurn } from './form.js';

export function campaignRoute(c: CampaignInfo | null): 'reseau' | 'territoriale' | 'libre' | null {
  if (!c) return null;
  if (c.route) return c.route;
  return c.kind === 'network' ? 'reseau' : 'territoriale';
}

const KIND_WELCOME: Record<CampaignInfo['kind'], (label: string) => string> = {
  webinar: (l) => `Bienvenue depuis le webinaire ${l} !`,
  tour: (l) => `Bienvenue depuis l’#APTIC Tour ${l} !`,
  hub: (l) => `Bienvenue de la part du Hub ${l} !`,
  network: (l) => `Bienvenue de la part du réseau ${l} !`,
};

export function campaignWelcome(c: CampaignInfo): string {
  const label = c.label ? `« ${c.label} »` : c.kind === 'network' && c.network ? c.network : c.code;
  const lines = [KIND_WELCOME[c.kind](label)];
  const route = campaignRoute(c);
  if (route === 'reseau') lines.push(`Votre demande suivra la voie réseau${c.network ? ` (${c.network})` : ''}.`);
  else if (route === 'territoriale')
    lines.push(`Votre demande suivra la voie territoriale${c.territory ? ` (territoire ${c.territory})` : ''}.`);
  return lines.join(' ');
}

/** Once per conversation: the campaign named by the session token, if it still runs. */
export async function resolveCampaign(turn: ChatTurn, deps: BotDeps): Promise<void> {
  const s = turn.state;
  if (s.campaignResolved) return;
  s.campaignResolved = true;
  const code = turn.meta.campaignCode;
  if (!code) return;
  const c = await deps.ports.campaigns.get(code);
  if (!c || !campaignIsRunning(c, deps.ports.clock())) return;
  s.campaign = {
    code: c.code,
    kind: c.kind,
    label: c.label ?? null,
    route: c.route ?? null,
    territory: c.territory ?? null,
    network: c.network ?? null,
  };
}
