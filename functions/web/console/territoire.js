import { ApiError, api, clear, errorMessage, h, renderNav, requireSession, showStatus } from './common.js';
import { describe, fmtEur, fmtInt, fmtReach, STATUSES } from './territory-common.js';

const $ = (id) => document.getElementById(id);
const LEVELS = { commune: 'Commune', epci: 'EPCI', departement: 'Département' };
const frDate = (iso) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '—');

function figures(t, view) {
  const dl = clear($('figures'));
  const [lo, hi] = view.ratioBandEur;
  const rows = [
    ['Statut', STATUSES[t.status]?.label || t.status],
    ['Passes injectés (12 mois)', fmtInt(t.passesInjected12m)],
    ['Valeur injectée (12 mois)', fmtEur(t.valueInjected12m)],
    ['Acteurs soutenables', `${fmtInt(t.sustainableActors)} (un pour ${fmtEur(view.ratioTargetEur)} par an)`],
    ['Acteurs qualifiés', fmtInt(t.qualifiedActors)],
    ['Demandes en cours', fmtInt(t.inProgress)],
    ['Demandes en attente', fmtInt(t.waitlisted)],
    ['Revenu annuel de passes par acteur', `${fmtEur(t.revenuePerActor)} (objectif ${fmtEur(lo)} à ${fmtEur(hi)})`],
    ['Portée', `${fmtReach(t.reach)} (lieu qualifié à moins de ${view.reachRadiusKm} km)`],
  ];
  for (const [k, v] of rows) dl.append(h('dt', {}, k), h('dd', {}, v));
}

async function campaigns(code, t) {
  const res = await api('/api/console/campaigns');
  const mine = res.campaigns.filter((c) => c.territory === code);
  const tbody = clear($('funnel').querySelector('tbody'));
  const total = { visits: 0, conversations: 0, applications: 0, qualified: 0 };
  for (const c of mine) {
    for (const k of Object.keys(total)) total[k] += c.funnel[k];
    tbody.appendChild(
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, c.label || c.code),
        h('td', {}, fmtInt(c.funnel.visits)),
        h('td', {}, fmtInt(c.funnel.conversations)),
        h('td', {}, fmtInt(c.funnel.applications)),
        h('td', {}, fmtInt(c.funnel.qualified)),
      ),
    );
  }
  if (mine.length === 0) {
    tbody.appendChild(h('tr', {}, h('td', { colspan: 5 }, 'Aucune campagne territoriale dans ce département.')));
  } else {
    tbody.appendChild(
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Total'),
        ...['visits', 'conversations', 'applications', 'qualified'].map((k) => h('td', {}, fmtInt(total[k]))),
      ),
    );
  }
  $('pipeline').textContent =
    `Dans le département : ${fmtInt(t.inProgress)} demande(s) en cours, ${fmtInt(t.waitlisted)} en attente, ${fmtInt(t.qualifiedActors)} acteur(s) qualifié(s).`;
}

async function injections(code) {
  const res = await api(`/api/console/pass-injections?departement=${encodeURIComponent(code)}`);
  const tbody = clear($('injections').querySelector('tbody'));
  const list = [...res.injections].sort((a, b) => (a.date < b.date ? 1 : -1));
  for (const i of list) {
    const share = i.departements.find((d) => d.code === code)?.passes ?? i.passes;
    tbody.appendChild(
      h(
        'tr',
        {},
        h('td', {}, frDate(i.date)),
        h('td', {}, i.financeur),
        h('td', {}, `${LEVELS[i.territoire.niveau] || i.territoire.niveau} ${i.territoire.nom} (${i.territoire.code})`),
        h('td', {}, share === i.passes ? fmtInt(share) : `${fmtInt(share)} sur ${fmtInt(i.passes)}`),
        h('td', {}, fmtEur(i.valeurFaciale)),
        h('td', {}, frDate(i.finValidite)),
      ),
    );
  }
  if (list.length === 0) tbody.appendChild(h('tr', {}, h('td', { colspan: 6 }, 'Aucune injection de passes.')));
}

async function epci(code) {
  const res = await api(`/api/console/territories?niveau=epci&departement=${encodeURIComponent(code)}`);
  const u = res.unattributed;
  $('epci-note').textContent =
    u && u.passesInjected12m > 0
      ? `${fmtInt(u.passesInjected12m)} passes injectés sur tout le département n’appartiennent à aucun EPCI : ils comptent dans les chiffres du département, pas ici.`
      : 'Les passes injectés sur une commune ou un EPCI comptent dans leur EPCI.';
  const tbody = clear($('epci').querySelector('tbody'));
  for (const t of res.territories) {
    tbody.appendChild(
      h(
        'tr',
        { dataset: { code: t.code } },
        h('th', { scope: 'row' }, t.nom),
        h('td', {}, STATUSES[t.status]?.label || t.status),
        h('td', {}, fmtInt(t.passesInjected12m)),
        h('td', {}, fmtInt(t.sustainableActors)),
        h('td', {}, fmtInt(t.qualifiedActors)),
        h('td', {}, fmtInt(t.inProgress)),
        h('td', {}, fmtInt(t.waitlisted)),
        h('td', {}, fmtReach(t.reach)),
      ),
    );
  }
}

async function places(code) {
  const rows = await api(`/api/lieux?departement=${encodeURIComponent(code)}`);
  const tbody = clear($('places').querySelector('tbody'));
  for (const p of rows) {
    tbody.appendChild(
      h('tr', {}, h('td', {}, p.nom || ''), h('td', {}, p.commune || ''), h('td', {}, p.structure_parente || '')),
    );
  }
  if (rows.length === 0) tbody.appendChild(h('tr', {}, h('td', { colspan: 3 }, 'Aucun lieu qualifié publié.')));
}

/** Prospects come from another part of the product (issue 11, item 4): shown when the route answers. */
async function prospects(code) {
  const box = clear($('prospects'));
  let res;
  try {
    res = await api(`/api/console/prospects?departement=${encodeURIComponent(code)}`);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
      box.appendChild(
        h(
          'p',
          { class: 'muted' },
          'Les prospects ne sont pas encore disponibles sur ce serveur : importez-les d’abord.',
        ),
      );
      return;
    }
    throw err;
  }
  const list = Array.isArray(res?.prospects) ? res.prospects : [];
  if (list.length === 0) {
    box.appendChild(h('p', {}, 'Aucun prospect dans ce département.'));
    return;
  }
  box.appendChild(
    h(
      'table',
      { id: 'prospects-table', 'aria-label': 'Prospects du département' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Lieu'),
          h('th', { scope: 'col' }, 'Commune'),
          h('th', { scope: 'col' }, 'A déposé une demande'),
        ),
      ),
      h(
        'tbody',
        {},
        list.map((p) =>
          h(
            'tr',
            {},
            h('td', {}, p.nom || ''),
            h('td', {}, p.commune || ''),
            h('td', {}, p.applied || p.applicationId ? 'oui' : 'non'),
          ),
        ),
      ),
    ),
  );
}

async function load() {
  const code = (new URLSearchParams(location.search).get('departement') || '').toUpperCase();
  const view = await api('/api/console/territories');
  const t = view.territories.find((x) => x.code === code);
  if (!t) {
    showStatus($('territory-status'), `Département inconnu : « ${code} ».`);
    document.body.dataset.loaded = 'true';
    return;
  }
  document.title = `${t.nom} (${t.code}) · Console #APTIC`;
  $('title').textContent = `${t.nom} (${t.code})`;
  $('summary').textContent = describe(t);
  figures(t, view);
  await Promise.all([campaigns(code, t), injections(code), epci(code), places(code), prospects(code)]);
  document.body.dataset.loaded = 'true';
}

if (requireSession()) {
  renderNav('territories');
  load().catch((err) => showStatus($('territory-status'), errorMessage(err)));
}
