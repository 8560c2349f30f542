import {
  api,
  clear,
  errorMessage,
  fmtDate,
  h,
  LABELS,
  label,
  renderNav,
  requireSession,
  showStatus,
} from './common.js';

const tbody = document.querySelector('#outbox tbody');
const out = document.getElementById('outbox-status');

async function load() {
  const f = new FormData(document.getElementById('outbox-form'));
  const q = new URLSearchParams({ limit: '100' });
  const app = String(f.get('applicationId') || '').trim();
  const state = String(f.get('state') || '');
  if (app) q.set('applicationId', app);
  if (state) q.set('state', state);
  clear(tbody);
  try {
    const res = await api(`/api/console/outbox?${q}`);
    for (const m of res.messages) {
      const digest = m.applicationId === 'staff-digest';
      tbody.appendChild(
        h(
          'tr',
          { dataset: { applicationId: m.applicationId, state: m.state } },
          h('td', {}, fmtDate(m.at)),
          h(
            'td',
            {},
            digest
              ? 'Récapitulatif de l’équipe'
              : h(
                  'a',
                  { href: `/console/application.html?id=${encodeURIComponent(m.applicationId)}`, class: 'ref' },
                  m.applicationId.slice(0, 8),
                ),
          ),
          h('td', {}, m.to || '—'),
          h('td', {}, h('details', {}, h('summary', {}, m.subject), h('p', { class: 'comment' }, m.text))),
          h('td', {}, label('outbox', m.state)),
        ),
      );
    }
    if (res.messages.length === 0) showStatus(out, 'Aucun message pour ce filtre.', 'info');
    else clear(out).className = 'status';
  } catch (err) {
    showStatus(out, errorMessage(err));
  }
}

if (requireSession()) {
  renderNav('outbox');
  const select = document.getElementById('o-state');
  for (const s of Object.keys(LABELS.outbox || {})) select.appendChild(h('option', { value: s }, label('outbox', s)));
  const given = new URLSearchParams(location.search).get('applicationId');
  if (given) document.getElementById('o-app').value = given;
  document.getElementById('outbox-form').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  load().then(() => {
    document.body.dataset.loaded = 'true';
  });
}
