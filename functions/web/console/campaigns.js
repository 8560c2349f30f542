import { api, clear, errorMessage, fmtDate, h, label, renderNav, requireSession, showStatus } from './common.js';

const $ = (id) => document.getElementById(id);

function pct(part, whole) {
  return whole > 0 ? ` (${Math.round((100 * part) / whole)} %)` : '';
}

async function load() {
  const res = await api('/api/console/campaigns');
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
        h('td', {}, `${c.startsAt || '…'} → ${c.endsAt ? c.endsAt.slice(0, 10) : '…'}`),
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

if (requireSession()) {
  renderNav('campaigns');
  load().catch((err) => showStatus($('campaign-status'), errorMessage(err)));
}
