// Campaign links (/go/:code): who sent the actor, and the route that context implies.
import { departementName } from '../../shared/domain/geography.js';
import { matchKey } from '../../shared/domain/text.js';
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

/** The word the greeting already says for each kind: a label starting with it is not repeated (« le webinaire « Webinaire… »). */
const KIND_WORD: Record<CampaignInfo['kind'], RegExp> = {
  webinar: /^(le )?webinaire\s*/,
  tour: /^(l )?(aptic )?tour\s*/,
  hub: /^(le )?hub\s*/,
  network: /^(le )?reseau\s*/,
};

/** The label without the kind's word it may start with (kept whole when nothing would remain). */
function ownLabel(c: CampaignInfo, label: string): string {
  const m = KIND_WORD[c.kind].exec(matchKey(label));
  if (!m || m[0].length === 0) return label;
  // Cut as many words of the original label as the kind's word spans.
  const words = m[0].trim().split(' ').length;
  const rest = label
    .replace(/^[\s#]+/, '')
    .split(/\s+/)
    .slice(words)
    .join(' ')
    .replace(/^[-–—:,]\s*/, '');
  return rest.length >= 2 ? rest : label;
}

/** A département as people say it: « Haute-Vienne », not « 87 » (the code when unknown). */
const territoryName = (code: string): string => departementName(code) ?? code;

export function campaignWelcome(c: CampaignInfo): string {
  const label = c.label ? `« ${ownLabel(c, c.label)} »` : c.kind === 'network' && c.network ? c.network : c.code;
  const lines = [KIND_WELCOME[c.kind](label)];
  const route = campaignRoute(c);
  // A name the greeting already said is not repeated in brackets (« réseau « La MedNum » … parcours réseau (La MedNum) »).
  const said = matchKey(label);
  const named = (name: string | null | undefined) => (name && !said.includes(matchKey(name)) ? ` (${name})` : '');
  // The routes of domain.md (libre, territoriale, réseau), said « parcours » to the actor.
  if (route === 'reseau') lines.push(`Votre demande suivra le parcours réseau${named(c.network)}.`);
  else if (route === 'territoriale')
    lines.push(
      `Votre demande suivra le parcours territorial${named(c.territory ? territoryName(c.territory) : null)}.`,
    );
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
  // A network invitation for this campaign: what the member import knows, proposed at its questions.
  const invite = turn.meta.invite;
  if (!invite || !deps.ports.campaigns.invitation) return;
  const member = await deps.ports.campaigns.invitation(invite).catch(() => null);
  if (!member || member.campaignCode !== c.code) return;
  s.prefill = {
    ...(member.name ? { nom: member.name } : {}),
    siret: member.siret,
    ...(member.commune && member.codePostal ? { lieuCommune: `${member.codePostal} ${member.commune}` } : {}),
  };
}
