// Campaign links for webinars, #APTIC Tours, Hubs and networks, from a terminal:
//   npm run campaign -- create --kind webinar --code webinaire-87 --label "Devenir #APTIC en Haute-Vienne" \
//        --territory 87 [--route territoriale] [--network "La MedNum"] [--starts-at 2026-12-01] [--ends-at 2027-01-31] \
//        [--utm source=hub-lo,medium=webinaire]
//   npm run campaign -- list
//   npm run campaign -- show webinaire-87
// It calls the console's own use case (same rules, no overwrite of an existing code, an audit record), against the
// table of `npm start` (<--data-dir>/endpoints.json, default DATA_DIR or .data/) or, with --aws, the table the
// environment names (TABLE_NAME, AWS_REGION) like the Lambdas.
import '../../shared/runtime/polyfills.js';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseEnv } from '../../shared/runtime/env.js';
import { campaignPath, createCampaign, listCampaignsWithFunnel } from '../../shared/usecases/console/campaigns.js';
import type { StaffPrincipal } from '../../shared/usecases/principal.js';
import { parseLocalEnv } from '../local/env.js';
import { type CliConnection, connect, reportRefusal, runMain } from './connect.js';

const USAGE =
  'Usage : campaign create --kind webinar|tour|hub|network --code CODE --label LIBELLÉ [--territory 87] [--network …] [--route …] [--starts-at AAAA-MM-JJ] [--ends-at AAAA-MM-JJ] [--utm source=…,medium=…] | list | show CODE  [--data-dir DIR] [--aws]';

/** Who the audit trail names for a change made from a terminal: the operating-system account, marked as such. */
export function cliPrincipal(): StaffPrincipal {
  return { kind: 'staff', email: `cli:${userInfo().username}`, role: 'admin', sessionHash: '' };
}

/** `--utm source=hub-lo,medium=webinaire` → `{ source: 'hub-lo', medium: 'webinaire' }` (checked by the use case). */
function parseUtm(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  return Object.fromEntries(
    raw
      .split(',')
      .filter(Boolean)
      .map((kv) => {
        const [k = '', ...v] = kv.split('=');
        return [k.trim(), v.join('=').trim()];
      }),
  );
}

export async function run(argv: string[], open = connect): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      code: { type: 'string' },
      label: { type: 'string' },
      territory: { type: 'string' },
      network: { type: 'string' },
      route: { type: 'string' },
      'starts-at': { type: 'string' },
      'ends-at': { type: 'string' },
      utm: { type: 'string' },
      aws: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  const [command, arg] = positionals;
  if (command !== 'create' && command !== 'list' && !(command === 'show' && arg)) {
    console.error(USAGE);
    return 2;
  }
  const env = parseLocalEnv();
  const conn: CliConnection = await open({ dataDir: resolve(values['data-dir'] ?? env.DATA_DIR), aws: values.aws });
  try {
    const base = parseEnv().PUBLIC_BASE_URL.replace(/\/$/, '');
    if (command === 'create') {
      const body = {
        kind: values.kind,
        label: values.label,
        ...(values.code ? { code: values.code } : {}),
        ...(values.territory ? { territory: values.territory } : {}),
        ...(values.network ? { network: values.network } : {}),
        ...(values.route ? { route: values.route } : {}),
        ...(values['starts-at'] ? { startsAt: values['starts-at'] } : {}),
        ...(values['ends-at'] ? { endsAt: values['ends-at'] } : {}),
        ...(values.utm ? { utm: parseUtm(values.utm) } : {}),
      };
      const { campaign, path } = await createCampaign(conn.deps, cliPrincipal(), body);
      console.log(`Campagne ${campaign.code} enregistrée (${conn.how}). Lien : ${base}${path}`);
      console.log(
        `Sur un site partenaire : <script src="${base}/embed.js" data-campaign="${campaign.code}" async></script>`,
      );
      return 0;
    }
    const { campaigns } = await listCampaignsWithFunnel(conn.deps);
    if (command === 'list') {
      for (const c of campaigns)
        console.log(`${c.code}\t${c.kind}\t${c.label ?? ''}\t${c.route ?? ''}\t${c.endsAt ?? ''}`);
      return 0;
    }
    const found = campaigns.find((c) => c.code === arg);
    if (!found) {
      console.error(`Aucune campagne « ${arg} ».`);
      return 1;
    }
    console.log(JSON.stringify({ ...found, link: `${base}${campaignPath(found)}` }, null, 2));
    return 0;
  } catch (err) {
    return reportRefusal(err, '--');
  } finally {
    await conn.close();
  }
}

runMain(import.meta, (argv) => run(argv));
