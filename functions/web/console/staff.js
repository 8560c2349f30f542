import {
  api,
  clear,
  confirmAction,
  errorMessage,
  getRole,
  h,
  LABELS,
  label,
  renderNav,
  requireSession,
  showStatus,
} from './common.js';

const tbody = document.querySelector('#staff tbody');
const listStatus = document.getElementById('staff-status');

/** A generated password, shown once (the API keeps only its hash). */
function showPassword(email, password) {
  document.getElementById('pw-email').textContent = email;
  document.getElementById('pw-value').textContent = password;
  const box = document.getElementById('password-box');
  box.hidden = false;
  box.setAttribute('tabindex', '-1');
  box.focus();
}

const path = (email) => `/api/console/staff/${encodeURIComponent(email)}`;

async function change(account, body, what) {
  try {
    await api(path(account.email), { method: 'PUT', body });
    showStatus(listStatus, `${account.email} : ${what}.`, 'ok');
    await load();
  } catch (err) {
    // The last enabled admin cannot be demoted or disabled: the API's French message (409 last_admin) says so.
    showStatus(listStatus, errorMessage(err));
  }
}

function row(a) {
  const role = h(
    'select',
    { 'aria-label': `Rôle de ${a.email}` },
    Object.keys(LABELS.roles || { admin: 1, reviewer: 1 }).map((r) =>
      h('option', { value: r, selected: r === a.role }, label('roles', r)),
    ),
  );
  role.addEventListener('change', async () => {
    const next = role.value;
    const ok = await confirmAction({
      title: `Changer le rôle de ${a.email}`,
      message: `Nouveau rôle : ${label('roles', next)}. Il s’applique à la prochaine requête de ce compte.`,
      confirmLabel: 'Changer le rôle',
    });
    if (ok) await change(a, { role: next }, `rôle ${label('roles', next)}`);
    else role.value = a.role;
  });
  const toggle = h(
    'button',
    { type: 'button', class: a.disabled ? 'secondary' : 'danger' },
    a.disabled ? 'Réactiver' : 'Désactiver',
  );
  toggle.addEventListener('click', async () => {
    const ok = await confirmAction({
      title: `${a.disabled ? 'Réactiver' : 'Désactiver'} ${a.email}`,
      message: a.disabled
        ? 'Le compte pourra de nouveau se connecter.'
        : 'Ses sessions s’arrêtent aussitôt et il ne peut plus se connecter.',
      confirmLabel: a.disabled ? 'Réactiver' : 'Désactiver',
      danger: !a.disabled,
    });
    if (ok) await change(a, { disabled: !a.disabled }, a.disabled ? 'réactivé' : 'désactivé');
  });
  const reset = h('button', { type: 'button', class: 'secondary' }, 'Nouveau mot de passe');
  reset.addEventListener('click', async () => {
    const ok = await confirmAction({
      title: `Nouveau mot de passe pour ${a.email}`,
      message: 'L’ancien mot de passe cessera de fonctionner. Le nouveau sera montré une seule fois.',
      confirmLabel: 'Générer',
    });
    if (!ok) return;
    try {
      const res = await api(`${path(a.email)}/password`, { method: 'POST', body: {} });
      showPassword(res.email, res.password);
    } catch (err) {
      showStatus(listStatus, errorMessage(err));
    }
  });
  return h(
    'tr',
    { dataset: { email: a.email } },
    h('td', {}, a.name ? `${a.name} (${a.email})` : a.email),
    h('td', {}, role),
    h('td', {}, a.disabled ? 'Désactivé' : 'Actif'),
    h('td', {}, toggle, ' ', reset),
  );
}

async function load() {
  clear(tbody);
  try {
    const res = await api('/api/console/staff?all=1');
    for (const a of res.staff) tbody.appendChild(row(a));
  } catch (err) {
    showStatus(listStatus, errorMessage(err));
  }
}

document.getElementById('new-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('new-status');
  const email = document.getElementById('n-email').value.trim();
  const role = document.getElementById('n-role').value;
  try {
    const res = await api('/api/console/staff', { body: { email, role } });
    showStatus(out, `Compte créé : ${res.email} (${label('roles', res.role)}).`, 'ok');
    document.getElementById('n-email').value = '';
    showPassword(res.email, res.password);
    await load();
  } catch (err) {
    showStatus(out, errorMessage(err));
  }
});

if (requireSession()) {
  renderNav('staff');
  if (getRole() !== 'admin') {
    showStatus(listStatus, 'Cette page est réservée aux administrateurs.');
  } else {
    const select = document.getElementById('n-role');
    for (const r of ['reviewer', 'admin']) select.appendChild(h('option', { value: r }, label('roles', r)));
    load().then(() => {
      document.body.dataset.loaded = 'true';
    });
  }
}
