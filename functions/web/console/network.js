import {
  api,
  clear,
  errorMessage,
  fmtDate,
  getRole,
  h,
  label,
  renderNav,
  requireSession,
  showStatus,
} from './common.js';

// A network's page: its members' states, invitations, the final approval of many members at once (the bulk
// decisions route, one result per item), the removal notices and the history of member imports.
const $ = (id) => document.getElementById(id);
const id = new URLSearchParams(location.search).get('id') || '';
const STATE_LABELS = {
  not_invited: 'Non invité',
  invited: 'Invité',
  applied: 'Demande déposée',
  in_review: 'En examen',
  qualified: 'Qualifié',
  refused: 'Refusé',
  closed: 'Close',
};
const INVITE_LABELS = {
  sent: 'invitation envoyée',
  already_applied: 'a déjà fait une demande',
  already_invited: 'déjà invité',
  no_address: 'pas de courriel dans l’import',
};
const FIELD_LABELS = {
  nom: 'nom',
  code_postal: 'code postal',
  commune: 'commune',
  code_insee: 'code INSEE',
  departement: 'département',
  adresse: 'adresse',
  courriel: 'courriel',
};
let data = null;

function agreementText(a) {
  if (!a) return 'Pas de convention enregistrée : l’attestation du réseau ne s’applique pas.';
  const parts = [a.signedAt ? `Signée le ${a.signedAt}` : 'Non signée'];
  if (a.startsAt) parts.push(`en vigueur à partir du ${a.startsAt}`);
  if (a.endsAt) parts.push(`jusqu’au ${a.endsAt}`);
  parts.push(a.phases?.length ? `phases ${a.phases.join(', ')}` : 'toutes les phases');
  parts.push(a.departements?.length ? `départements ${a.departements.join(', ')}` : 'tous les départements');
  if (a.scope) parts.push(a.scope);
  return `${parts.join(' ; ')}.`;
}

function selectedTasks() {
  return [...document.querySelectorAll('#members tbody input.pick:checked')].map((c) => ({
    taskId: c.dataset.taskId,
    name: c.dataset.name,
  }));
}

function syncBulk() {
  const n = selectedTasks().length;
  $('bulk-approve').disabled = n === 0;
  $('bulk-approve').textContent = n ? `Approuver la sélection (${n})` : 'Approuver la sélection';
  $('bulk-confirm').hidden = true;
}

function renderMembers() {
  const filter = $('f-state').value;
  const tbody = clear($('members').querySelector('tbody'));
  for (const m of data.members) {
    if (filter && m.state !== filter) continue;
    const name = m.name || m.siret;
    tbody.appendChild(
      h(
        'tr',
        { dataset: { siret: m.siret, state: m.state } },
        h(
          'td',
          {},
          m.finalApprovalTaskId
            ? h('input', {
                type: 'checkbox',
                class: 'pick',
                'aria-label': `Sélectionner ${name} pour la validation finale`,
                dataset: { taskId: m.finalApprovalTaskId, name },
                onchange: syncBulk,
              })
            : '—',
        ),
        h('td', {}, name),
        h('td', {}, m.siret),
        h('td', {}, [m.codePostal, m.commune].filter(Boolean).join(' ')),
        h('td', { class: 'state' }, STATE_LABELS[m.state] || m.state),
        h('td', {}, m.stageLabel || '—'),
        h('td', {}, m.invitedAt ? fmtDate(m.invitedAt) : '—'),
        h(
          'td',
          {},
          m.applicationId
            ? h(
                'a',
                {
                  href: `/console/application.html?id=${encodeURIComponent(m.applicationId)}`,
                  'aria-label': `Ouvrir la demande de ${name}`,
                },
                'Ouvrir',
              )
            : '—',
        ),
      ),
    );
  }
  $('select-all').checked = false;
  syncBulk();
}

function renderNotices() {
  const open = data.notices.filter((n) => n.status === 'open');
  $('notices-card').hidden = open.length === 0;
  const tbody = clear($('notices').querySelector('tbody'));
  for (const n of open) {
    const name = n.memberName || n.siret;
    tbody.appendChild(
      h(
        'tr',
        { dataset: { siret: n.siret } },
        h('td', {}, h('a', { href: `/console/application.html?id=${encodeURIComponent(n.applicationId)}` }, name)),
        h('td', {}, n.siret),
        h('td', {}, label('stages', n.stage)),
        h('td', {}, fmtDate(n.at)),
        h('td', {}, n.by),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'secondary ack',
              'aria-label': `Marquer comme lu : ${name}`,
              onclick: async () => {
                try {
                  await api(`/api/console/networks/${encodeURIComponent(id)}/notices/${n.siret}/acknowledge`, {
                    method: 'POST',
                  });
                  showStatus($('notices-status'), `Avis sur ${name} marqué comme lu.`, 'ok');
                  await load();
                } catch (err) {
                  showStatus($('notices-status'), errorMessage(err));
                }
              },
            },
            'Marquer comme lu',
          ),
        ),
      ),
    );
  }
}

function renderImports() {
  const tbody = clear($('imports').querySelector('tbody'));
  const list = (sirets) => (sirets.length ? `${sirets.length} (${sirets.join(', ')})` : '0');
  for (const i of data.imports) {
    const changed = i.changed.length
      ? `${i.changed.length} (${i.changed.map((c) => `${c.siret} : ${c.fields.map((f) => FIELD_LABELS[f] || f).join(', ')}`).join(' ; ')})`
      : '0';
    tbody.appendChild(
      h(
        'tr',
        {},
        h('td', {}, fmtDate(i.at)),
        h('td', {}, i.by),
        h('td', {}, i.mode === 'replace' ? 'Liste complète' : 'Ajout'),
        h('td', {}, `${i.accepted}${i.rejected ? ` (${i.rejected} refusées)` : ''}`),
        h('td', {}, list(i.added)),
        h('td', {}, list(i.removed)),
        h('td', {}, changed),
      ),
    );
  }
}

async function load() {
  data = await api(`/api/console/networks/${encodeURIComponent(id)}/overview`);
  $('net-title').textContent = `Réseau ${data.network.name}`;
  document.title = `${data.network.name} · Réseau · Console #APTIC`;
  $('agreement').textContent = agreementText(data.network.agreement);
  const c = data.counts;
  $('counts').textContent = `${data.members.length} membres : ${Object.entries(STATE_LABELS)
    .filter(([k]) => c[k])
    .map(([k, label]) => `${label.toLowerCase()} ${c[k]}`)
    .join(', ')}.`;
  renderMembers();
  renderNotices();
  renderImports();
  document.body.dataset.loaded = 'true';
}

$('f-state').addEventListener('change', renderMembers);
$('member-filter').addEventListener('submit', (e) => e.preventDefault());
$('select-all').addEventListener('change', () => {
  for (const c of document.querySelectorAll('#members tbody input.pick')) c.checked = $('select-all').checked;
  syncBulk();
});
$('bulk-approve').addEventListener('click', () => {
  const n = selectedTasks().length;
  $('bulk-confirm-text').textContent =
    `Approuver la validation finale de ${n} membre${n > 1 ? 's' : ''} ? Chaque demande sera qualifiée.`;
  $('bulk-confirm').hidden = false;
  $('bulk-confirm-yes').focus();
});
$('bulk-confirm-no').addEventListener('click', () => {
  $('bulk-confirm').hidden = true;
  $('bulk-approve').focus();
});
$('bulk-confirm-yes').addEventListener('click', async () => {
  const picked = selectedTasks();
  $('bulk-confirm').hidden = true;
  const names = new Map(picked.map((p) => [p.taskId, p.name]));
  try {
    const res = await api('/api/console/tasks/decisions', {
      body: { taskIds: picked.map((p) => p.taskId), decision: 'approve' },
    });
    const ok = res.results.filter((r) => r.status === 'ok').length;
    const out = clear($('bulk-results'));
    for (const r of res.results) {
      out.appendChild(
        h(
          'li',
          { class: r.status === 'ok' ? 'ok' : 'error', dataset: { status: r.status } },
          `${names.get(r.taskId) || r.taskId} : ${r.message}`,
        ),
      );
    }
    showStatus(
      $('bulk-status'),
      `${ok} approuvée${ok > 1 ? 's' : ''} sur ${res.results.length}.${ok < res.results.length ? ' Voir le détail ci-dessous.' : ''}`,
      ok === res.results.length ? 'ok' : 'info',
    );
    await load();
  } catch (err) {
    showStatus($('bulk-status'), errorMessage(err));
  }
});
$('invite').addEventListener('click', async () => {
  $('invite').disabled = true;
  try {
    const res = await api(`/api/console/networks/${encodeURIComponent(id)}/invitations`, { method: 'POST' });
    const by = {};
    for (const r of res.results) by[r.status] = (by[r.status] || 0) + 1;
    const detail = Object.entries(by)
      .map(([k, n]) => `${INVITE_LABELS[k] || k} : ${n}`)
      .join(' ; ');
    showStatus(
      $('invite-status'),
      `${res.sent} invitation${res.sent > 1 ? 's' : ''} envoyée${res.sent > 1 ? 's' : ''}. ${detail}.`,
      'ok',
    );
    await load();
  } catch (err) {
    showStatus($('invite-status'), errorMessage(err));
  } finally {
    $('invite').disabled = false;
  }
});

if (requireSession()) {
  renderNav('admin');
  $('invite-box').hidden = getRole() !== 'admin';
  load().catch((err) => showStatus($('net-status'), errorMessage(err)));
}
