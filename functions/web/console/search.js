import {
  ApiError,
  api,
  clear,
  errorMessage,
  fmtDate,
  getToken,
  h,
  label,
  renderNav,
  requireSession,
  showStatus,
} from './common.js';

const CLOSED_STAGES = ['qualified', 'rejected', 'expired', 'not_eligible', 'withdrawn', 'suspended', 'failed'];
const results = document.getElementById('search-results');
const closedBody = document.querySelector('#closed tbody');
const more = document.getElementById('c-more');
let cursor = null;

const appLink = (id, name) =>
  h('a', { href: `/console/application.html?id=${encodeURIComponent(id)}` }, name || 'Demande sans nom');

document.getElementById('search-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('search-status');
  const q = document.getElementById('q').value.trim();
  const body = clear(results.querySelector('tbody'));
  try {
    const res = await api(`/api/console/search?q=${encodeURIComponent(q)}`);
    results.hidden = res.results.length === 0;
    for (const r of res.results) {
      body.appendChild(
        h(
          'tr',
          { dataset: { applicationId: r.applicationId } },
          h('td', {}, appLink(r.applicationId, r.nom)),
          h('td', {}, r.siret || '—'),
          h('td', {}, r.commune || '—'),
          h('td', {}, label('stages', r.stage)),
          h('td', { class: 'ref' }, r.applicationId.slice(0, 8)),
        ),
      );
    }
    const n = res.results.length;
    showStatus(
      out,
      n === 0
        ? 'Aucune demande ne correspond.'
        : `${n} demande${n > 1 ? 's' : ''} trouvée${n > 1 ? 's' : ''}${n >= 20 ? ' (les 20 premières : précisez la recherche)' : ''}.`,
      'info',
    );
  } catch (err) {
    results.hidden = true;
    showStatus(out, errorMessage(err));
  }
});

function closedQuery() {
  const q = new URLSearchParams();
  const f = new FormData(document.getElementById('closed-form'));
  for (const k of ['stage', 'from', 'to']) {
    const v = String(f.get(k) || '').trim();
    if (v) q.set(k, v);
  }
  const dep = String(f.get('departement') || '')
    .trim()
    .toUpperCase();
  if (dep) q.set('departement', dep);
  return q;
}

async function loadClosed(reset) {
  const out = document.getElementById('closed-status');
  if (reset) {
    cursor = null;
    clear(closedBody);
  }
  const q = closedQuery();
  q.set('limit', '50');
  if (cursor) q.set('cursor', cursor);
  try {
    const page = await api(`/api/console/closed?${q}`);
    for (const a of page.applications) {
      closedBody.appendChild(
        h(
          'tr',
          { dataset: { applicationId: a.applicationId, stage: a.stage } },
          h(
            'td',
            {},
            appLink(a.applicationId, a.nom),
            h('br'),
            h('span', { class: 'muted' }, a.commune || '—'),
            ' · ',
            h('span', { class: 'ref' }, `réf. ${a.reference}`),
          ),
          h('td', {}, label('stages', a.stage)),
          h('td', {}, fmtDate(a.closedAt)),
          h('td', {}, `${label('routes', a.route)} · ${a.phase ?? '—'} · ${(a.departements || []).join(', ') || '—'}`),
          h('td', {}, a.siret || '—'),
        ),
      );
    }
    cursor = page.next;
    more.hidden = !cursor;
    if (reset && closedBody.childElementCount === 0) showStatus(out, 'Aucune demande close pour ce filtre.', 'info');
    else clear(out).className = 'status';
  } catch (err) {
    showStatus(out, errorMessage(err));
  }
}

/** The export needs the session header, so it is fetched here and handed to the browser as a file. */
async function exportCsv() {
  const out = document.getElementById('closed-status');
  try {
    const res = await fetch(`/api/console/closed.csv?${closedQuery()}`, {
      headers: { authorization: `Bearer ${getToken()}` },
    });
    if (!res.ok) {
      let payload = null;
      try {
        payload = await res.json();
      } catch {
        payload = null;
      }
      throw new ApiError(res.status, payload);
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.setAttribute('href', url);
    a.setAttribute('download', 'demandes-closes.csv');
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    const rows = res.headers.get('x-rows');
    const cut = res.headers.get('x-truncated') === 'true';
    showStatus(
      out,
      `Export de ${rows ?? '?'} demande(s)${cut ? ' (limité à 10 000 lignes : resserrez le filtre)' : ''}.`,
      'ok',
    );
  } catch (err) {
    showStatus(out, errorMessage(err));
  }
}

if (requireSession()) {
  renderNav('search');
  const stage = document.getElementById('c-stage');
  for (const s of CLOSED_STAGES) stage.appendChild(h('option', { value: s }, label('stages', s)));
  const given = new URLSearchParams(location.search).get('q');
  if (given) {
    document.getElementById('q').value = given;
    document.getElementById('search-form').requestSubmit();
  }
  document.getElementById('closed-form').addEventListener('submit', (e) => {
    e.preventDefault();
    loadClosed(true);
  });
  document.getElementById('c-export').addEventListener('click', exportCsv);
  more.addEventListener('click', () => loadClosed(false));
  loadClosed(true).then(() => {
    document.body.dataset.loaded = 'true';
  });
}
