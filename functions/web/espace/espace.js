// The actor space (docs/actor.md). Plain JavaScript, no third-party script; every text is set with textContent.
// The sign-in link's code arrives in the URL fragment (#code=…, never sent to a server in a request line or a
// Referer); it is exchanged once for an actor session token kept in sessionStorage only: nothing personal stays in
// the browser once the tab is closed.
(() => {
  const TOKEN_KEY = 'aptic.actor.token';
  const APPS_KEY = 'aptic.actor.applications';
  const STAGES = {
    submitted: 'Demande reçue',
    not_eligible: 'Prérequis manquants',
    waitlisted: "Liste d'attente",
    address_confirmation: 'Adresse e-mail à confirmer',
    staff_review: "Examen par l'équipe",
    changes_requested: 'Modifications demandées',
    actor_commitments: 'Engagements à signer',
    final_approval: 'Validation finale',
    qualified: 'Qualifié',
    rejected: 'Refusée',
    expired: 'Expirée',
    failed: 'Erreur technique',
    suspended: 'Qualification suspendue',
    withdrawn: 'Retirée',
  };
  const status = document.getElementById('status');
  const signin = document.getElementById('signin');
  const form = document.getElementById('signin-form');
  const courriel = document.getElementById('courriel');
  const courrielError = document.getElementById('courriel-error');
  const section = document.getElementById('applications');
  const list = document.getElementById('app-list');
  const signout = document.getElementById('signout');

  const say = (text) => {
    status.textContent = text;
  };

  async function post(path, body, token) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(path, {
      method: 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    return { status: res.status, data };
  }

  function show(applications) {
    list.replaceChildren();
    for (const app of applications) {
      const li = document.createElement('li');
      const h = document.createElement('h3');
      h.textContent = app.nom || 'Demande sans nom';
      const p = document.createElement('p');
      p.textContent = `Étape : ${STAGES[app.stage] || app.stage} · référence ${app.id.slice(0, 8)}`;
      const a = document.createElement('a');
      a.className = 'button';
      a.href = `/?reprise=${encodeURIComponent(app.id)}`;
      a.textContent = 'Reprendre dans la discussion';
      li.append(h, p, a);
      list.appendChild(li);
    }
    if (applications.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'Aucune demande n’est associée à cette adresse.';
      list.appendChild(li);
    }
    section.hidden = false;
    signin.hidden = true;
  }

  async function verify(code) {
    say('Connexion en cours…');
    const { status: code_, data } = await post('/api/actor/sign-in/verify', { code });
    if (code_ !== 200 || !data) {
      say((data && data.message) || 'Connexion impossible pour le moment.');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, data.token);
    sessionStorage.setItem(APPS_KEY, JSON.stringify(data.applications));
    say('Vous êtes connecté·e. Votre adresse e-mail est confirmée.');
    show(data.applications);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    courrielError.textContent = '';
    const value = courriel.value.trim();
    if (!value || !courriel.checkValidity()) {
      courrielError.textContent = 'Indiquez une adresse e-mail valide (exemple : nom@domaine.fr).';
      courriel.setAttribute('aria-invalid', 'true');
      courriel.focus();
      return;
    }
    courriel.removeAttribute('aria-invalid');
    const { status: code, data } = await post('/api/actor/sign-in', { courriel: value });
    say((data && data.message) || (code === 429 ? 'Trop de demandes : réessayez plus tard.' : 'Demande envoyée.'));
  });

  signout.addEventListener('click', async () => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(APPS_KEY);
    if (token) await post('/api/actor/sign-out', undefined, token).catch(() => null);
    section.hidden = true;
    signin.hidden = false;
    say('Vous êtes déconnecté·e.');
  });

  const match = /(?:^#|&)code=([A-Za-z0-9_-]{20,100})/.exec(location.hash);
  if (match) {
    // The code is single use: take it out of the address bar (and the history) before anything else.
    history.replaceState(null, '', location.pathname);
    verify(match[1]);
  } else if (sessionStorage.getItem(TOKEN_KEY)) {
    try {
      show(JSON.parse(sessionStorage.getItem(APPS_KEY) || '[]'));
    } catch {
      sessionStorage.removeItem(APPS_KEY);
    }
  }
})();
