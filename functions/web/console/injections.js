import { api, clear, errorMessage, getRole, h, renderNav, requireSession, showStatus } from './common.js';

// Pass injections (one by form, many by CSV) and prospects (CSV of the national schema, listing, stimulation).
// Every text from the server goes through textContent (h()).

const $ = (id) => document.getElementById(id);

/** The import's report: the French message, then one row per refused line with its reasons. */
function showReport(target, res, error) {
  clear(target);
  const status = h('p', { class: `status ${error ? 'error' : res.rejected?.length ? 'info' : 'ok'}` });
  status.setAttribute('role', error ? 'alert' : 'status');
  status.appendChild(document.createTextNode(error ? errorMessage(error) : res.message));
  target.appendChild(status);
  if (!error && res.rejected?.length) {
    target.appendChild(
      h(
        'table',
        { class: 'report', 'aria-label': 'Lignes refusées' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Ligne'), h('th', { scope: 'col' }, 'Raisons'))),
        h(
          'tbody',
          {},
          res.rejected.slice(0, 500).map((r) => h('tr', {}, h('td', {}, r.line), h('td', {}, r.errors.join(' ')))),
        ),
      ),
    );
    if (res.rejected.length > 500) {
      target.appendChild(h('p', { class: 'muted' }, `… et ${res.rejected.length - 500} autre(s) ligne(s) refusée(s).`));
    }
  }
  target.dataset.done = 'true';
}

/**
 * The file's bytes as they are (the server recognises UTF-8 or a spreadsheet's Windows-1252), gzip-compressed when
 * the route accepts it and the browser can: a national file of 20,000 places is over the 4 MiB a request may carry.
 */
async function body(file, gzip) {
  if (!gzip || typeof CompressionStream !== 'function') return { csv: await file.arrayBuffer() };
  const compressed = await new Response(file.stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  return { csv: compressed, headers: { 'content-encoding': 'gzip' } };
}

async function upload(input, path, target, button, gzip = false) {
  const file = input.files?.[0];
  if (!file) return;
  button.disabled = true;
  delete target.dataset.done;
  clear(target).appendChild(h('p', { class: 'status info', role: 'status' }, 'Import en cours…'));
  try {
    showReport(target, await api(path, await body(file, gzip)));
  } catch (err) {
    showReport(target, null, err);
  } finally {
    button.disabled = false;
  }
}

$('injection-import-form').addEventListener('submit', (e) => {
  e.preventDefault();
  upload($('injection-file'), '/api/console/pass-injections/import', $('injection-report'), e.submitter);
});
$('prospect-import-form').addEventListener('submit', (e) => {
  e.preventDefault();
  upload($('prospect-file'), '/api/console/prospects/import', $('prospect-report'), e.submitter, true);
});

$('injection-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const v = (id) => $(id).value.trim();
  const body = {
    financeur: v('i-financeur'),
    financeurType: v('i-type'),
    territoire: { niveau: v('i-niveau'), code: v('i-code') },
    passes: Number(v('i-passes')),
    valeurFaciale: Number(v('i-valeur') || '10'),
    date: v('i-date'),
    finValidite: v('i-fin'),
  };
  try {
    const { injection } = await api('/api/console/pass-injections', { body });
    const deps = injection.departements.map((d) => `${d.code} (${d.passes})`).join(', ');
    showStatus(
      $('injection-status'),
      `Injection enregistrée : ${injection.passes} passes pour ${injection.territoire.nom}, réparties sur ${deps}.`,
      'ok',
    );
  } catch (err) {
    showStatus($('injection-status'), errorMessage(err));
  }
});

const BY = { siret: 'Oui (SIRET)', nom_commune: 'Oui (nom et commune)' };

$('prospects-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const dep = $('p-dep').value.trim().toUpperCase();
  const applied = $('p-applied').value;
  const tbody = clear($('prospects').querySelector('tbody'));
  try {
    const q = new URLSearchParams({ departement: dep, ...(applied ? { applied } : {}) });
    const res = await api(`/api/console/prospects?${q}`);
    for (const p of res.prospects) {
      tbody.appendChild(
        h(
          'tr',
          {},
          h('td', {}, p.nom),
          h('td', {}, `${p.commune} (${p.code_postal})`),
          h('td', {}, p.siret || '—'),
          h('td', {}, p.courriel || '—'),
          h('td', {}, p.match ? BY[p.match.by] || 'Oui' : 'Non'),
        ),
      );
    }
    showStatus(
      $('prospects-status'),
      `${res.prospects.length} prospect(s) affiché(s) ; ${res.total} dans le département, dont ${res.applied} déjà candidat(s).`,
      'ok',
    );
  } catch (err) {
    showStatus($('prospects-status'), errorMessage(err));
  }
});

const KIND = { webinar: 'Webinaire', tour: '#APTIC Tour', hub: 'Hub' };

$('stimulate-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const v = (id) => $(id).value.trim();
  const dep = v('s-dep').toUpperCase();
  try {
    const res = await api(`/api/console/territories/${encodeURIComponent(dep)}/stimulate`, {
      body: { kind: v('s-kind'), label: v('s-label'), startsAt: v('s-start'), endsAt: v('s-end') },
    });
    const i = res.invitations;
    showStatus(
      $('stimulate-status'),
      `${KIND[v('s-kind')]} : lien ${res.campaign.url}. Invitations envoyées : ${i.queued} ; déjà invités : ${i.alreadyInvited} ; désinscrits : ${i.optedOut} ; sans adresse publique : ${i.withoutAddress} (sur ${i.prospects} prospect(s) non candidat(s)).`,
      'ok',
    );
  } catch (err) {
    showStatus($('stimulate-status'), errorMessage(err));
  }
});

if (requireSession()) {
  renderNav('injections');
  if (getRole() === 'admin') {
    $('injection-card').hidden = false;
    $('injection-import-card').hidden = false;
  }
  document.body.dataset.loaded = 'true';
}
