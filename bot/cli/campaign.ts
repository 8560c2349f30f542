// Campaign links for webinars, #APTIC Tours, Hubs and networks:
//   npm run campaign -- create --kind webinar --code webinaire-87 --label "Devenir #APTIC en Haute-Vienne" \
//        --territory 87 [--route territoriale] [--network "La MedNum"] [--starts-at 2026-12-01] [--ends-at 2027-01-31] \
//        [--utm source=hub-lo,medium=webinaire]
//   npm run campaign -- list
//   npm run campaign -- show webinaire-87
// Talks to the table of `npm start` (<--data-dir>/endpoints.json, default .data/) or, with --aws, to the table named by
// the environment (TABLE_NAME, AWS_REGION) like the Lambdas.
import '../../shared/runtime/polyfills.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { DEPARTEMENT_CODE } from '../../shared/config/config.js';
import { parseEnv } from '../../shared/runtime/env.js';
import { makeDocumentClient } from '../../shared/store/client.js';
import { Store } from '../../shared/store/store.js';
import type { CampaignItem } from '../../shared/store/types.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'date ISO attendue (AAAA-MM-JJ)')
  .transform((d) => (d.length === 10 ? `${d}T00:00:00.000Z` : new Date(d).toISOString()));

const CreateSchema = z
  .object({
    kind: z.enum(['webinar', 'tour', 'hub', 'network']),
    code: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, 'code : 2 à 40 lettres, chiffres, - ou _'),
    label: z.string().trim().min(2).max(120).optional(),
    territory: z.string().regex(DEPARTEMENT_CODE, 'territoire : code de département (87, 2A, 974…)').optional(),
    network: z.string().trim().min(2).max(120).optional(),
    route: z.enum(['reseau', 'territoriale', 'libre']).optional(),
    'starts-at': isoDate.optional(),
    'ends-at': isoDate.optional(),
    utm: z
      .string()
      .optional()
      .transform((s) =>
        Object.fromEntries(
          (s ?? '')
            .split(',')
            .filter(Boolean)
            .map((kv) => kv.split('=').map((x) => x.trim()) as [string, string]),
        ),
      ),
  })
  .refine((c) => c.kind !== 'network' || c.network, {
    message: '--network est requis pour une campagne de réseau',
    path: ['network'],
  });

function openStore(aws: boolean, dataDir: string): Store {
  const env = parseEnv();
  if (aws) return new Store(makeDocumentClient({ region: env.AWS_REGION }), env.TABLE_NAME);
  const file = join(dataDir, 'endpoints.json');
  if (!existsSync(file)) throw new Error(`${file} introuvable : lancez d'abord « npm start », ou utilisez --aws.`);
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { dynamodb: string; tableName: string };
  return new Store(makeDocumentClient({ endpoint: endpoints.dynamodb, region: 'local' }), endpoints.tableName);
}

async function main(argv: string[]): Promise<void> {
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
      'data-dir': { type: 'string', default: process.env.DATA_DIR || '.data' },
    },
  });
  const [command, arg] = positionals;
  const store = () => openStore(values.aws === true, values['data-dir'] ?? '.data');
  const base = parseEnv().PUBLIC_BASE_URL.replace(/\/$/, '');
  if (command === 'create') {
    const parsed = CreateSchema.safeParse(values);
    if (!parsed.success) {
      for (const i of parsed.error.issues) console.error(`--${i.path.join('.')}: ${i.message}`);
      process.exitCode = 2;
      return;
    }
    const c = parsed.data;
    const item: CampaignItem = {
      code: c.code,
      kind: c.kind,
      ...(c.label ? { label: c.label } : {}),
      route: c.route ?? (c.kind === 'network' ? 'reseau' : 'territoriale'),
      territory: c.territory ?? null,
      network: c.network ?? null,
      startsAt: c['starts-at'] ?? null,
      endsAt: c['ends-at'] ?? null,
      utm: c.utm,
      createdAt: new Date().toISOString(),
    };
    await store().campaigns.put(item);
    console.log(`Campagne ${item.code} enregistrée. Lien : ${base}/go/${item.code}`);
    console.log(`Sur un site partenaire : <script src="${base}/embed.js" data-campaign="${item.code}" async></script>`);
  } else if (command === 'list') {
    for (const c of await store().campaigns.list())
      console.log(`${c.code}\t${c.kind}\t${c.label ?? ''}\t${c.route ?? ''}\t${c.endsAt ?? ''}`);
  } else if (command === 'show' && arg) {
    console.log(JSON.stringify(await store().campaigns.get(arg), null, 2));
  } else {
    console.error(
      'Usage : campaign create --kind webinar|tour|hub|network --code CODE [--label …] [--territory 87] [--network …] [--route …] [--starts-at …] [--ends-at …] [--utm k=v,…] | list | show CODE',
    );
    process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
