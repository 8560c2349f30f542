import {
  ApiError,
  api,
  clear,
  errorMessage,
  fmtWait,
  getToken,
  h,
  ROUTE_LABELS,
  renderNav,
  STEP_LABELS,
  setSession,
  showStatus,
} from './common.js';

const loginCard = document.getElementById('login-card');
const inbox = document.getElementById('inbox');
const tbody = document.querySelector('#tasks tbody');
const status = document.getElementById('inbox-status');
const moreButton = document.getElementById('more');
let me = null;
let staff = [];
let cursor = null;

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
  return { query: q, minWaitSeconds: Number(f.get('wait') || 0) * 86400 };
}

async function load(reset) {
  const { query, minWaitSeconds } = filters();
  if (reset) {
    cursor = null;
    clear(tbody);
  }
  query.set('limit', '100');
  if (cursor) query.set('cursor', cursor);
  try {
    const page = await api(`/api/console/tasks?${query}`);
    // Oldest first: the tasks that waited long enough are a prefix of the list.
    const shown = page.tasks.filter((t) => t.waitingSeconds >= minWaitSeconds);
    for (const t of shown) tbody.appendChild(row(t));
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
  return h(
    'tr',
    { dataset: { taskId: t.taskId, applicationId: t.applicationId } },
    h('td', {}, fmtWait(t.waitingSeconds)),
    h('td', {}, STEP_LABELS[t.step] || t.step),
    h('td', {}, ROUTE_LABELS[t.route] || t.route || '—'),
    h('td', {}, t.phase ?? '—'),
    h('td', {}, (t.departements || []).join(', ') || '—'),
    h(
      'td',
      {},
      (t.flags || []).map((f) => h('span', { class: 'tag' }, f)),
    ),
    assigneeCell,
    h(
      'td',
      {},
      h('a', { href: `/console/application.html?id=${encodeURIComponent(t.applicationId)}`, class: 'open' }, 'Ouvrir'),
      ' ',
      h('button', { type: 'button', class: 'secondary assign-me', onclick: () => assign('me') }, 'Me l’assigner'),
      ' ',
      select,
    ),
  );
}

document.getElementById('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  load(true);
});
moreButton.addEventListener('click', () => load(false));

start();
