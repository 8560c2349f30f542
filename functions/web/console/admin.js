import {
  ApiError,
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
let config = null;
let caps = {};
let currentNetwork = null;

async function loadConfig() {
  config = await api('/api/console/config');
  const eff = config.effective;
  for (const p of [1, 2, 3]) $(`phase-${p}`).checked = eff.phasesOpen.includes(p);
  caps = { ...eff.volumeCaps };
  renderCaps();
  $('territories').value = eff.territoriesWithActiveDeployment.join(', ');
  webinars = [...(eff.webinars || [])];
  renderWebinars();
  $('config-version').textContent =
    config.version > 0
      ? `Version ${config.version}, modifiée par ${config.updatedBy} le ${fmtDate(config.updatedAt)}`
      : 'Valeurs du fichier de configuration (aucune modification enregistrée).';
}

function renderCaps() {
  const tbody = clear($('caps').querySelector('tbody'));
  for (const [dep, cap] of Object.entries(caps).sort()) {
    tbody.appendChild(
      h(
        'tr',
        {},
        h('td', {}, dep),
        h('td', {}, cap),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              onclick: () => {
                delete caps[dep];
                renderCaps();
              },
            },
            'Retirer',
          ),
        ),
      ),
    );
  }
}

$('cap-add').addEventListener('click', () => {
  const dep = $('cap-dep').value.trim().toUpperCase();
  const value = Number($('cap-value').value);
  if (!dep || !Number.isInteger(value) || value < 0) {
    showStatus($('config-status'), 'Indiquez un département et un plafond entier positif.');
    return;
  }
  caps[dep] = value;
  renderCaps();
});

$('config-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const phasesOpen = [1, 2, 3].filter((p) => $(`phase-${p}`).checked);
  const opened = phasesOpen.filter((p) => !config.effective.phasesOpen.includes(p));
  const territories = $('territories')
    .value.split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  try {
    await api('/api/console/config', {
      method: 'PUT',
      body: {
        version: config.version,
        set: { phasesOpen, volumeCaps: caps, territoriesWithActiveDeployment: territories },
      },
    });
    await loadConfig();
    showStatus($('config-status'), 'Configuration enregistrée.', 'ok');
    await loadChanges();
    for (const phase of opened) await proposePhaseRelease(phase);
  } catch (err) {
    showStatus($('config-status'), errorMessage(err));
  }
});

let webinars = [];

function renderWebinars() {
  const tbody = clear($('webinars').querySelector('tbody'));
  webinars.sort((a, b) => (a.startsAt < b.startsAt ? -1 : 1));
  webinars.forEach((w, i) => {
    tbody.appendChild(
      h(
        'tr',
        {},
        h('td', {}, fmtDate(w.startsAt)),
        h('td', {}, h('code', {}, w.link)),
        h('td', {}, w.label || '—'),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'aria-label': `Retirer le webinaire du ${fmtDate(w.startsAt)}`,
              onclick: () => {
                webinars.splice(i, 1);
                renderWebinars();
              },
            },
            'Retirer',
          ),
        ),
      ),
    );
  });
}

$('webinar-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const start = new Date($('w-start').value);
  if (Number.isNaN(start.getTime())) return;
  const label = $('w-label').value.trim();
  webinars.push({ startsAt: start.toISOString(), link: $('w-link').value.trim(), ...(label ? { label } : {}) });
  renderWebinars();
  showStatus($('webinars-status'), 'Ajouté à la liste : enregistrez pour publier.', 'info');
});

$('webinars-save').addEventListener('click', async () => {
  try {
    await api('/api/console/config', { method: 'PUT', body: { version: config.version, set: { webinars } } });
    await loadConfig();
    showStatus($('webinars-status'), 'Webinaires enregistrés : le chat annonce le prochain.', 'ok');
    await loadChanges();
  } catch (err) {
    showStatus($('webinars-status'), errorMessage(err));
  }
});

/**
 * A phase just opened: its waitlisted applications may go on. Simulated first (the release API's dry run: oldest
 * first, within the département caps), then released in one confirmed action.
 */
async function proposePhaseRelease(phase) {
  const box = $('phase-release');
  const out = $('phase-release-status');
  clear(out).className = 'status';
  try {
    const sim = await api('/api/console/waitlist/release', { body: { dryRun: true, phase } });
    const n = sim.released.length;
    if (n === 0) {
      box.hidden = true;
      return;
    }
    $('phase-release-text').textContent =
      `La phase ${phase} vient d’ouvrir : ${n} demande${n > 1 ? 's' : ''} en liste d’attente de cette phase peu${
        n > 1 ? 'vent' : 't'
      } être libérée${n > 1 ? 's' : ''} (les plus anciennes d’abord, dans la limite des plafonds ; ${
        sim.skipped.length
      } resteraient en attente).`;
    box.hidden = false;
    const run = $('phase-release-run');
    run.onclick = async () => {
      const ok = await confirmAction({
        title: `Libérer ${n} demande${n > 1 ? 's' : ''} de la phase ${phase}`,
        message:
          'Chaque demande est évaluée de nouveau puis passe à l’examen par l’équipe. Cela ne peut pas être annulé.',
        confirmLabel: 'Libérer',
      });
      if (!ok) return;
      run.disabled = true;
      try {
        const res = await api('/api/console/waitlist/release', { body: { phase } });
        showStatus(
          out,
          `${res.released.length} demande(s) libérée(s), ${res.skipped.length} restent en attente, ${res.failed.length} en échec.`,
          res.failed.length ? 'error' : 'ok',
        );
        await loadChanges();
      } catch (err) {
        showStatus(out, errorMessage(err));
      } finally {
        run.disabled = false;
      }
    };
  } catch (err) {
    box.hidden = false;
    showStatus(out, errorMessage(err));
  }
}

async function release(dryRun) {
  const dep = $('release-dep').value.trim().toUpperCase();
  const out = $('release-status');
  try {
    const res = await api('/api/console/waitlist/release', { body: { dryRun, ...(dep ? { departement: dep } : {}) } });
    const verb = dryRun ? 'seraient libérées' : 'libérées';
    showStatus(
      out,
      `${res.released.length} demande(s) ${verb}, ${res.skipped.length} restent en attente, ${res.failed.length} en échec.`,
      'ok',
    );
    const list = clear($('release-result'));
    for (const s of res.skipped.slice(0, 50)) list.appendChild(h('li', {}, `${s.applicationId} : ${s.reason}`));
    if (!dryRun) await loadChanges();
  } catch (err) {
    showStatus(out, errorMessage(err));
  }
}
$('release-preview').addEventListener('click', () => release(true));
$('release-run').addEventListener('click', () => release(false));

async function loadNetworks() {
  const res = await api('/api/console/networks');
  // Members removed from a list while they had an application: staff are told here and on the network's page.
  const notices = res.notices || [];
  if (notices.length) {
    const names = [...new Set(notices.map((n) => res.networks.find((x) => x.id === n.networkId)?.name || n.networkId))];
    showStatus(
      $('network-notices'),
      `${notices.length} membre(s) retiré(s) de la liste de leur réseau ont une demande en cours ou une qualification : voir la page du réseau (${names.join(', ')}).`,
      'info',
    );
  } else clear($('network-notices'));
  const tbody = clear($('networks').querySelector('tbody'));
  for (const n of res.networks) {
    const agreement = n.agreement
      ? `oui${n.agreement.signedAt ? `, signée le ${n.agreement.signedAt}` : ''}${n.agreement.scope ? ` — ${n.agreement.scope}` : ''}`
      : 'non';
    tbody.appendChild(
      h(
        'tr',
        {},
        h('td', {}, n.name),
        h('td', {}, agreement),
        // The network's own page: member states, invitations, bulk final approval, import history (network.js).
        h(
          'td',
          {},
          h(
            'a',
            { href: `/console/network.html?id=${encodeURIComponent(n.id)}`, 'aria-label': `Page du réseau ${n.name}` },
            'Page du réseau',
          ),
        ),
        h(
          'td',
          {},
          // One « Membres » per row: the name says whose (RGAA 7.1), and starts with the visible text (WCAG 2.5.3).
          h(
            'button',
            { type: 'button', class: 'link', 'aria-label': `Membres de ${n.name}`, onclick: () => openNetwork(n.id) },
            'Membres',
          ),
        ),
      ),
    );
  }
  for (const c of res.configured.filter((c) => !res.networks.some((n) => n.name === c.name))) {
    tbody.appendChild(
      h(
        'tr',
        { class: 'muted' },
        h('td', {}, c.name),
        h('td', {}, c.agreement ? 'oui (configuration)' : 'non'),
        h('td', {}, '—'),
        h('td', {}, ''),
      ),
    );
  }
}

async function openNetwork(id) {
  const res = await api(`/api/console/networks/${encodeURIComponent(id)}`);
  currentNetwork = res.network;
  $('network-detail').hidden = false;
  $('network-detail-title').textContent = `Membres de ${res.network.name} (${res.members.length})`;
  const tbody = clear($('members').querySelector('tbody'));
  for (const m of res.members) {
    tbody.appendChild(h('tr', {}, h('td', {}, m.siret), h('td', {}, m.name || ''), h('td', {}, m.data?.commune || '')));
  }
}

$('network-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const signedAt = $('network-signed').value;
  const scope = $('network-scope').value.trim();
  const agreement = $('network-agreement').checked
    ? { ...(signedAt ? { signedAt } : {}), ...(scope ? { scope } : {}) }
    : null;
  try {
    const res = await api('/api/console/networks', { body: { name: $('network-name').value, agreement } });
    showStatus($('network-status'), `Réseau « ${res.network.name} » enregistré.`, 'ok');
    await Promise.all([loadNetworks(), loadConfig(), loadChanges()]);
  } catch (err) {
    showStatus($('network-status'), errorMessage(err));
  }
});

$('import-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = $('import-status');
  const file = $('import-file').files?.[0];
  if (!file || !currentNetwork) {
    showStatus(out, 'Choisissez un fichier CSV.');
    return;
  }
  let text;
  try {
    // Refuse non-UTF-8 files here already; the server checks again.
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    showStatus(out, "Le fichier n'est pas encodé en UTF-8. Enregistrez-le au format « CSV UTF-8 » puis recommencez.");
    return;
  }
  try {
    // « Liste complète »: members absent from the file are removed (staff get a notice for those with an application).
    const mode = $('import-replace').checked ? '?mode=replace' : '';
    const report = await api(`/api/console/networks/${encodeURIComponent(currentNetwork.id)}/members${mode}`, {
      csv: text,
    });
    const notices = report.notices
      ? ` ${report.notices} membre(s) retiré(s) ont une demande : voyez la page du réseau.`
      : '';
    showStatus(
      out,
      `${report.accepted} membre(s) importé(s), ${report.rejected.length} ligne(s) rejetée(s) ; ajoutés ${report.added ?? 0}, retirés ${report.removed ?? 0}, modifiés ${report.changed ?? 0}.${notices}`,
      'ok',
    );
    const table = $('import-report');
    table.hidden = report.rejected.length === 0;
    const tbody = clear(table.querySelector('tbody'));
    for (const r of report.rejected) {
      tbody.appendChild(h('tr', {}, h('td', {}, r.line), h('td', {}, r.siret || '—'), h('td', {}, r.errors.join(' '))));
    }
    await Promise.all([openNetwork(currentNetwork.id), loadChanges()]);
  } catch (err) {
    showStatus(out, err instanceof ApiError ? errorMessage(err) : 'Import impossible.');
  }
});

/** `application:<id>` → « Demande <id> » (the kind in words, the reference kept). */
function auditEntity(entity) {
  if (!entity) return '—';
  const at = entity.indexOf(':');
  const kind = at < 0 ? entity : entity.slice(0, at);
  const name = label('auditEntities', kind);
  return at < 0 ? name : `${name} ${entity.slice(at + 1)}`;
}

async function loadChanges() {
  const res = await api('/api/console/changes?limit=50');
  const tbody = clear($('changes').querySelector('tbody'));
  for (const c of res.changes) {
    tbody.appendChild(
      h(
        'tr',
        { dataset: { what: c.what } },
        h('td', {}, fmtDate(c.at)),
        h('td', {}, c.who),
        h('td', { title: c.what }, label('audit', c.what)),
        h('td', {}, auditEntity(c.entity)),
      ),
    );
  }
}

async function start() {
  if (!requireSession()) return;
  renderNav('admin');
  try {
    await Promise.all([loadConfig(), loadNetworks(), loadChanges()]);
    document.body.dataset.loaded = 'true';
  } catch (err) {
    showStatus($('admin-status'), errorMessage(err));
  }
}
start();
