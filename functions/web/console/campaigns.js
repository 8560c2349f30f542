import {
  api,
  clear,
  confirmAction,
  errorMessage,
  fmtDate,
  h,
  label,
  renderNav,
  requireSession,
  showStatus,
} from './common.js';

const $ = (id) => document.getElementById(id);

function pct(part, whole) {
  return whole > 0 ? ` (${Math.round((100 * part) / whole)} %)` : '';
}

let campaigns = [];

/** Running, paused or ended: said in words in the « Dates » cell. */
function stateOf(c) {
  if (c.paused) return 'en pause';
  if (c.endsAt && c.endsAt < new Date().toISOString()) return 'terminé';
  return 'actif';
}

async function load() {
  const res = await api('/api/console/campaigns');
  campaigns = res.campaigns;
  const select = $('e-code');
  const chosen = select.value;
  clear(select).appendChild(h('option', { value: '' }, 'Choisir…'));
  for (const c of campaigns)
    select.appendChild(h('option', { value: c.code, selected: c.code === chosen }, `${c.code} — ${c.label || ''}`));
  const tbody = clear($('campaigns').querySelector('tbody'));
  for (const c of res.campaigns) {
    const url = `${location.origin}${c.path}`;
    const f = c.funnel;
    tbody.appendChild(
      h(
        'tr',
        { dataset: { code: c.code } },
        h('td', {}, c.code),
        h('td', {}, label('campaignKinds', c.kind)),
        h('td', {}, c.label || ''),
        h('td', {}, c.territory || '—'),
        h('td', {}, c.network || '—'),
        h('td', {}, `${c.startsAt || '…'} → ${c.endsAt ? c.endsAt.slice(0, 10) : '…'} (${stateOf(c)})`),
        h('td', {}, h('code', {}, url)),
        h('td', {}, f.visits),
        h('td', {}, `${f.conversations}${pct(f.conversations, f.visits)}`),
        h('td', {}, `${f.applications}${pct(f.applications, f.conversations)}`),
        h('td', {}, `${f.qualified}${pct(f.qualified, f.applications)}`),
      ),
    );
  }
  document.body.dataset.loaded = 'true';
}

$('campaign-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const v = (id) => $(id).value.trim();
  const utm = {};
  for (const k of ['source', 'medium', 'campaign']) if (v(`c-utm-${k}`)) utm[k] = v(`c-utm-${k}`);
  const body = {
    kind: v('c-kind'),
    label: v('c-label'),
    ...(v('c-code') ? { code: v('c-code').toLowerCase() } : {}),
    ...(v('c-territory') ? { territory: v('c-territory').toUpperCase() } : {}),
    ...(v('c-network') ? { network: v('c-network') } : {}),
    ...(v('c-start') ? { startsAt: v('c-start') } : {}),
    ...(v('c-end') ? { endsAt: v('c-end') } : {}),
    ...(Object.keys(utm).length ? { utm } : {}),
  };
  try {
    const res = await api('/api/console/campaigns', { body });
    showStatus(
      $('campaign-status'),
      `Lien créé : ${location.origin}${res.path} (le ${fmtDate(res.campaign.createdAt)})`,
      'ok',
    );
    await load();
  } catch (err) {
    showStatus($('campaign-status'), errorMessage(err));
  }
});

$('e-code').addEventListener('change', () => {
  const c = campaigns.find((x) => x.code === $('e-code').value);
  $('e-label').value = c?.label || '';
  $('e-start').value = c?.startsAt ? c.startsAt.slice(0, 10) : '';
  $('e-end').value = c?.endsAt ? c.endsAt.slice(0, 10) : '';
});

async function change(body, done) {
  const code = $('e-code').value;
  if (!code) {
    showStatus($('edit-status'), 'Choisissez un lien.');
    return;
  }
  try {
    await api(`/api/console/campaigns/${encodeURIComponent(code)}`, { method: 'PUT', body });
    showStatus($('edit-status'), `${code} : ${done}.`, 'ok');
    await load();
  } catch (err) {
    showStatus($('edit-status'), errorMessage(err));
  }
}

$('edit-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const v = (id) => $(id).value.trim();
  change(
    { ...(v('e-label') ? { label: v('e-label') } : {}), startsAt: v('e-start') || null, endsAt: v('e-end') || null },
    'modifié',
  );
});
$('e-pause').addEventListener('click', () => change({ action: 'pause' }, 'en pause'));
$('e-resume').addEventListener('click', () => change({ action: 'resume' }, 'repris'));
$('e-end-now').addEventListener('click', async () => {
  const ok = await confirmAction({
    title: `Terminer le lien ${$('e-code').value}`,
    message: 'Le lien cessera aussitôt de porter le contexte de la campagne.',
    confirmLabel: 'Terminer',
    danger: true,
  });
  if (ok) change({ action: 'end' }, 'terminé');
});

if (requireSession()) {
  renderNav('campaigns');
  load().catch((err) => showStatus($('campaign-status'), errorMessage(err)));
}
