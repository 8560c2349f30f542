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
    network_attestation: 'Attestation du réseau',
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

  // What each history event says to the actor, in plain French (staff are « l’équipe », the actor is « vous »).
  const EVENTS = {
    submitted: () => 'Demande envoyée',
    evaluated: () => 'Prérequis vérifiés',
    address_confirmed: () => 'Adresse e-mail confirmée',
    network_attested: () => 'Votre réseau a attesté votre adhésion : l’examen par l’équipe n’est pas nécessaire',
    decision_approve: (e) => (e.actor.kind === 'actor' ? 'Vous avez terminé l’étape' : 'L’équipe a validé l’étape'),
    decision_request_changes: () => 'L’équipe a demandé des modifications',
    decision_reject: () => 'L’équipe a refusé la demande',
    erasure_requested: () => 'Effacement des données demandé',
    erased: () => 'Données personnelles effacées',
    siret_released: () => 'SIRET libéré',
    places_updated: () => 'Lieux modifiés',
    qualification_ended: () => 'Vous avez mis fin à la qualification',
    bank_details_submitted: () => 'Coordonnées bancaires enregistrées',
    bank_details_validated: () => 'L’équipe a validé vos coordonnées bancaires',
    bank_details_rejected: () => 'L’équipe demande de corriger vos coordonnées bancaires',
  };
  const EXPECTED = {
    address_confirmation: 'Confirmer votre adresse e-mail : c’est fait dès que vous ouvrez un lien de connexion.',
    changes_requested: 'Corriger votre demande et la renvoyer (formulaire ci-dessous).',
    actor_commitments:
      'Accepter la Charte et les CGU, confirmer l’abonnement au Kit, et donner les coordonnées bancaires de la structure (formulaires ci-dessous).',
    staff_review: 'Rien pour le moment : l’équipe examine votre demande.',
    final_approval: 'Rien pour le moment : l’équipe fait la validation finale.',
    waitlisted: 'Rien pour le moment : votre demande attend une place (liste d’attente).',
  };
  const dateFr = (iso) =>
    new Date(iso).toLocaleDateString('fr-FR', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Paris',
    });
  const el = (tag, text, cls) => {
    const n = document.createElement(tag);
    if (text !== undefined) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  };
  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const actions = () => window.AptiEspaceActions;

  function eventText(e) {
    const f = EVENTS[e.type];
    if (f) return f(e);
    if (e.stage) return `Étape : ${STAGES[e.stage] || e.stage}`;
    return 'Mise à jour de la demande';
  }

  function timeline(view, prefix) {
    const s = el('section');
    const h = el('h4', 'Historique');
    h.id = `${prefix}-timeline`;
    s.setAttribute('aria-labelledby', h.id);
    const ol = el('ol', undefined, 'timeline');
    for (const e of view.history) {
      const li = el('li');
      const t = el('time', dateFr(e.at));
      t.dateTime = e.at;
      li.append(t, ' — ', eventText(e));
      if (e.comment) li.append(el('p', `« ${e.comment} »`, 'comment'));
      ol.appendChild(li);
    }
    s.append(h, ol);
    return s;
  }

  function messages(view, prefix) {
    const s = el('section');
    const h = el('h4', 'Messages reçus');
    h.id = `${prefix}-messages`;
    s.setAttribute('aria-labelledby', h.id);
    if (view.messages.length === 0) s.append(h, el('p', 'Aucun message pour le moment.'));
    else {
      const ul = el('ul', undefined, 'messages');
      for (const m of view.messages) {
        const d = el('details');
        d.append(el('summary', `${dateFr(m.at)} — ${m.subject}`), el('p', m.text, 'message-text'));
        const li = el('li');
        li.appendChild(d);
        ul.appendChild(li);
      }
      s.append(h, ul);
    }
    return s;
  }

  /** The bank details step (espace-bank.js) while the final approval waits for them: what the actor still owes. */
  function bankExpected(view) {
    const bank = view.bankDetails;
    if (!(view.commitmentTerms && view.commitmentTerms.bankDetailsRequired)) return null;
    if (!bank)
      return 'Donner les coordonnées bancaires de la structure (formulaire ci-dessous) : la validation finale les attend.';
    if (bank.status === 'rejected')
      return 'Corriger vos coordonnées bancaires (formulaire ci-dessous) : la validation finale les attend.';
    if (bank.status === 'submitted')
      return 'Rien pour le moment : l’équipe vérifie vos coordonnées bancaires, puis fait la validation finale.';
    return null;
  }

  function expected(view) {
    const p = el('p', undefined, 'expected');
    const step = view.expected && view.expected.step;
    if (!step) {
      p.textContent = view.stage === 'qualified' ? 'Votre structure est qualifiée #APTIC.' : 'Aucune étape en cours.';
      return p;
    }
    const text = (step === 'final_approval' && bankExpected(view)) || EXPECTED[step] || STAGES[step] || step;
    p.append(el('strong', 'Ce qui est attendu : '), text);
    if (view.expected.dueAt) p.append(` Au plus tard le ${dateFr(view.expected.dueAt)}.`);
    return p;
  }

  async function renderApplication(li, app, index) {
    const prefix = `a${index}`;
    li.replaceChildren();
    const h = el('h3', app.nom || 'Demande sans nom');
    li.appendChild(h);
    const res = await fetch(`/api/applications/${encodeURIComponent(app.id)}`, {
      headers: { authorization: `Bearer ${token()}` },
    }).catch(() => null);
    const view = res && res.ok ? await res.json().catch(() => null) : null;
    const stage = view ? view.stage : app.stage;
    li.appendChild(el('p', `Étape : ${STAGES[stage] || stage} · référence ${app.id.slice(0, 8)}`, 'stage'));
    if (!view) {
      li.appendChild(el('p', 'Le détail de cette demande n’est pas disponible pour le moment.'));
    } else {
      li.appendChild(expected(view));
      const refresh = () => renderApplication(li, { ...app, stage: view.stage }, index);
      const act = actions();
      if (act && view.stage === 'changes_requested') li.appendChild(act.changeForm(view, prefix, refresh));
      if (act && view.stage === 'actor_commitments') li.appendChild(act.commitmentsForm(view, prefix, refresh));
      // The bank details step (espace-bank.js): from the commitments until the final approval, which waits for them.
      if (window.AptiEspaceBank && (view.stage === 'actor_commitments' || view.stage === 'final_approval')) {
        li.appendChild(window.AptiEspaceBank.bankSection(view, prefix, refresh));
      }
      // After qualification: espace-places.js (its own file: the places editor and the end of the qualification).
      if (window.AptiEspacePlaces && view.stage === 'qualified') {
        li.appendChild(window.AptiEspacePlaces.placesSection(view, prefix, refresh));
      }
      li.append(timeline(view, prefix), messages(view, prefix));
      if (act) li.appendChild(act.myData(app, prefix, refresh));
    }
    const a = el('a', 'Reprendre dans la discussion', 'button secondary');
    a.href = `/?reprise=${encodeURIComponent(app.id)}`;
    li.appendChild(a);
  }

  function show(applications) {
    list.replaceChildren();
    applications.forEach((app, index) => {
      const li = document.createElement('li');
      list.appendChild(li);
      renderApplication(li, app, index);
    });
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

  const cancel = document.getElementById('erase-cancel');
  cancel.addEventListener('click', () => document.getElementById('erase-dialog').close());

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
