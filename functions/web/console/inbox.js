import {
  ApiError,
  api,
  clear,
  confirmAction,
  errorMessage,
  findingTag,
  fmtWait,
  getToken,
  h,
  LABELS,
  label,
  renderNav,
  setSession,
  showStatus,
} from './common.js';

/** The open steps, in path order (their labels come from the catalogue). */
const HUMAN_STEPS = [
  'waitlisted',
  'address_confirmation',
  'staff_review',
  'changes_requested',
  'actor_commitments',
  'final_approval',
];
const dayFmt = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'Europe/Paris' });

const loginCard = document.getElementById('login-card');
const inbox = document.getElementById('inbox');
const tbody = document.querySelector('#tasks tbody');
const status = document.getElementById('inbox-status');
const moreButton = document.getElementById('more');
let me = null;
let staff = [];
let cursor = null;
/** Rows shown, by task id: the bulk results name the structure. */
const shownTasks = new Map();

/** Filter options from the label catalogue, and the filters given in the address (the digest links `?overdue=1`). */
function initFilters() {
  const fill = (select, codes, kind) => {
    for (const code of codes) select.appendChild(h('option', { value: code }, label(kind, code)));
  };
  fill(document.getElementById('f-step'), HUMAN_STEPS, 'stages');
  fill(document.getElementById('f-route'), Object.keys(LABELS.routes || {}), 'routes');
  const flags = Object.keys(LABELS.flags || {}).sort((a, b) =>
    label('flags', a).localeCompare(label('flags', b), 'fr'),
  );
  fill(document.getElementById('f-flag'), flags, 'flags');
  const given = new URLSearchParams(location.search);
  for (const name of ['step', 'route', 'phase', 'departement', 'flag', 'sort']) {
    const v = given.get(name);
    const el = document.querySelector(`#filters [name="${name}"]`);
    if (v && el) el.value = v;
  }
  if (given.get('overdue') === '1') document.getElementById('f-overdue').checked = true;
}

function nextPage() {
  const next = new URLSearchParams(location.search).get('next');
  return next && /^\/console(\/[\w.-]*)?(\?[\w=&%.-]*)?$/.test(next) ? next : null;
}

async function start() {
  if (!getToken()) {
    // The title says which page this is (RGAA 8.6): the sign-in form, not the inbox.
    document.title = 'Connexion · Console #APTIC';
    loginCard.hidden = false;
    document.getElementById('login-email').focus();
    return;
  }
  try {
    me = await api('/api/console/me');
  } catch {
    return;
  }
  renderNav('inbox');
  initFilters();
  inbox.hidden = false;
  try {
    staff = (await api('/api/console/staff')).staff;
  } catch {
    staff = [];
  }
  await load(true);
}

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const loginStatus = document.getElementById('login-status');
  const email = document.getElementById('login-email').value;
  const password = document.getElementById('login-password').value;
  try {
    const res = await api('/api/console/login', { body: { email, password }, noRedirect: true });
    setSession(res.token, res.role);
    const next = nextPage();
    if (next) location.assign(next);
    else location.reload();
  } catch (err) {
    showStatus(loginStatus, err instanceof ApiError ? err.message : errorMessage(err));
  }
});

function filters() {
  const f = new FormData(document.getElementById('filters'));
  const q = new URLSearchParams();
  for (const key of ['step', 'route', 'phase', 'flag']) {
    const v = String(f.get(key) || '').trim();
    if (v) q.set(key, v);
  }
  const dep = String(f.get('departement') || '')
    .trim()
    .toUpperCase();
  if (dep) q.set('departement', dep);
  if (f.get('assignee') === 'me' && me) q.set('assignee', me.email);
  if (f.get('sort') === 'due') q.set('sort', 'due');
  if (f.get('overdue')) q.set('overdue', '1');
  return { query: q, minWaitSeconds: Number(f.get('wait') || 0) * 86400 };
}

async function load(reset) {
  const { query, minWaitSeconds } = filters();
  if (reset) {
    cursor = null;
    clear(tbody);
    shownTasks.clear();
    selectAll.checked = false;
    updateCount();
  }
  query.set('limit', '100');
  if (cursor) query.set('cursor', cursor);
  try {
    const page = await api(`/api/console/tasks?${query}`);
    // Oldest first: the tasks that waited long enough are a prefix of the list.
    const shown = page.tasks.filter((t) => t.waitingSeconds >= minWaitSeconds);
    for (const t of shown) {
      shownTasks.set(t.taskId, t);
      tbody.appendChild(row(t));
    }
    cursor = shown.length === page.tasks.length ? page.next : null;
    moreButton.hidden = !cursor;
    if (reset && tbody.childElementCount === 0) showStatus(status, 'Aucune tâche ne correspond à ces filtres.', 'info');
    else clear(status).className = 'status';
  } catch (err) {
    showStatus(status, errorMessage(err));
  }
}

function row(t) {
  const assigneeCell = h('td', { class: 'assignee' }, t.assignee || '—');
  const select = h(
    'select',
    { 'aria-label': 'Assigner à', class: 'assign-select' },
    h('option', { value: '' }, 'Assigner à…'),
    staff.map((s) => h('option', { value: s.email }, s.name ? `${s.name} (${s.email})` : s.email)),
  );
  const assign = async (assignee) => {
    try {
      const res = await api(`/api/console/tasks/${encodeURIComponent(t.taskId)}/assign`, { body: { assignee } });
      clear(assigneeCell).appendChild(document.createTextNode(res.assignee || '—'));
    } catch (err) {
      showStatus(status, errorMessage(err));
    }
  };
  select.addEventListener('change', () => {
    if (select.value) assign(select.value);
  });
  const name = t.nom || 'Demande sans nom';
  const check = h('input', {
    type: 'checkbox',
    class: 'pick',
    value: t.taskId,
    'aria-label': `Sélectionner : ${name}, ${label('stages', t.step)}`,
    onchange: updateCount,
  });
  const due = new Date(t.dueAt);
  return h(
    'tr',
    { dataset: { taskId: t.taskId, applicationId: t.applicationId, overdue: String(Boolean(t.overdue)) } },
    h('td', { class: 'check' }, check),
    h(
      'td',
      { class: 'structure' },
      h('a', { href: `/console/application.html?id=${encodeURIComponent(t.applicationId)}`, class: 'open' }, name),
      h('br'),
      h('span', { class: 'muted' }, t.commune || '—'),
      ' · ',
      h('span', { class: 'ref', title: t.applicationId }, `réf. ${t.reference}`),
    ),
    h('td', {}, label('stages', t.step)),
    h(
      'td',
      { class: 'due' },
      Number.isNaN(due.getTime()) ? '—' : dayFmt.format(due),
      t.overdue ? [h('br'), h('span', { class: 'tag overdue' }, 'En retard')] : null,
    ),
    h('td', {}, fmtWait(t.waitingSeconds)),
    h('td', {}, `${label('routes', t.route)} · ${t.phase ?? '—'} · ${(t.departements || []).join(', ') || '—'}`),
    h(
      'td',
      {},
      (t.flags || []).map((f) => findingTag(f)),
    ),
    assigneeCell,
    h(
      'td',
      {},
      h('button', { type: 'button', class: 'secondary assign-me', onclick: () => assign('me') }, 'Me l’assigner'),
      ' ',
      select,
    ),
  );
}

const selectAll = document.getElementById('select-all');
const bulkCount = document.getElementById('bulk-count');
const picked = () => [...tbody.querySelectorAll('input.pick:checked')].map((c) => c.value);

function updateCount() {
  const n = picked().length;
  bulkCount.textContent =
    n === 0 ? 'Aucune tâche sélectionnée.' : `${n} tâche${n > 1 ? 's' : ''} sélectionnée${n > 1 ? 's' : ''}.`;
  const all = tbody.querySelectorAll('input.pick').length;
  selectAll.checked = all > 0 && n === all;
  selectAll.indeterminate = n > 0 && n < all;
}

selectAll.addEventListener('change', () => {
  for (const c of tbody.querySelectorAll('input.pick')) c.checked = selectAll.checked;
  updateCount();
});

document.getElementById('bulk-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('bulk-status');
  const list = clear(document.getElementById('bulk-results'));
  const taskIds = picked();
  const decision = document.getElementById('bulk-decision').value;
  const comment = document.getElementById('bulk-comment').value.trim();
  if (taskIds.length === 0) {
    showStatus(out, 'Sélectionnez au moins une tâche dans la liste.');
    return;
  }
  if (decision !== 'approve' && !comment) {
    showStatus(out, 'Un commentaire est obligatoire pour refuser ou demander des corrections.');
    return;
  }
  const n = taskIds.length;
  const ok = await confirmAction({
    title: `${label('decisions', decision)} : ${n} tâche${n > 1 ? 's' : ''}`,
    message:
      'Chaque tâche reçoit une décision normale (la première décision gagne, quatre yeux compris). Ces décisions ne peuvent pas être annulées.',
    confirmLabel: label('decisions', decision),
    danger: decision === 'reject',
  });
  if (!ok) return;
  const button = document.getElementById('bulk-submit');
  button.disabled = true;
  try {
    const res = await api('/api/console/tasks/decisions', {
      body: comment ? { taskIds, decision, comment } : { taskIds, decision },
    });
    const done = res.results.filter((r) => r.status === 'ok').length;
    showStatus(
      out,
      `${done} décision${done > 1 ? 's' : ''} enregistrée${done > 1 ? 's' : ''} sur ${res.results.length}.`,
      done === res.results.length ? 'ok' : 'info',
    );
    for (const r of res.results) {
      const t = shownTasks.get(r.taskId);
      const who = t ? `${t.nom || 'Demande'} (réf. ${t.reference}, ${label('stages', t.step)})` : r.taskId;
      list.appendChild(
        h(
          'li',
          { class: r.status === 'ok' ? 'done' : 'fail', dataset: { taskId: r.taskId, status: r.status } },
          `${who} : ${label('results', r.status)}${r.message ? ` — ${r.message}` : ''}`,
        ),
      );
    }
    await load(true);
  } catch (err) {
    showStatus(out, errorMessage(err));
  } finally {
    button.disabled = false;
  }
});

document.getElementById('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  load(true);
});
moreButton.addEventListener('click', () => load(false));

start();
