// The actor space's bank details step (docs/actor.md « Bank details »): IBAN, BIC and the account holder's name, sent
// with PUT /api/applications/:id/bank-details (the same use case and French messages as any client), then shown
// masked as the server returns them — the full IBAN is never displayed again, not even to its owner. Open from the
// commitments step until the final approval, which waits for an admin to validate them. Plain JavaScript, text set
// with textContent only; loaded before espace.js, which calls it per application.
(() => {
  const TOKEN_KEY = 'aptic.actor.token';
  const say = (text) => {
    document.getElementById('status').textContent = text;
  };
  const el = (tag, text, cls) => {
    const n = document.createElement(tag);
    if (text !== undefined) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  };
  async function call(method, path, body) {
    const headers = {
      authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`,
      'content-type': 'application/json',
    };
    const res = await fetch(path, { method, headers, body: JSON.stringify(body) });
    return { status: res.status, data: await res.json().catch(() => null) };
  }

  const STATUS = {
    submitted: 'Enregistrées : en attente de vérification par l’équipe.',
    validated: 'Vérifiées et validées par l’équipe.',
    rejected: 'À corriger : l’équipe n’a pas pu les valider.',
  };
  const FIELDS = [
    ['iban', 'IBAN', 'Tel qu’il figure sur le RIB de la structure, par exemple FR76 3000 6000 0112 3456 7890 189.'],
    ['bic', 'BIC', '8 ou 11 caractères, sur le même RIB (par exemple BNPAFRPP).'],
    ['titulaire', 'Nom du titulaire du compte', 'Tel qu’il figure sur le RIB (le nom de la structure, en général).'],
  ];

  /** The masked details as a description list (what the server returned; nothing else is kept in the page). */
  function summary(details, prefix) {
    const dl = el('dl', undefined, 'bank-summary');
    dl.id = `${prefix}-bank-summary`;
    for (const [term, value] of [
      ['IBAN', details.iban],
      ['BIC', details.bic],
      ['Titulaire', details.titulaire],
      ['État', STATUS[details.status] || details.status],
    ]) {
      dl.append(el('dt', term), el('dd', value || '—'));
    }
    return dl;
  }

  /** The form: one labelled input per field, a hint and an error line each, an error summary announced on failure. */
  function form(view, prefix, refresh, onCancel) {
    const f = el('form');
    f.noValidate = true;
    const errors = el('div', undefined, 'error-summary');
    errors.id = `${prefix}-bank-errors`;
    errors.tabIndex = -1;
    errors.hidden = true;
    f.appendChild(errors);
    const idFor = (name) => `${prefix}-bank-${name}`;
    for (const [name, label, hint] of FIELDS) {
      const wrap = el('div', undefined, 'field');
      const id = idFor(name);
      const l = el('label', label);
      l.htmlFor = id;
      const h = el('p', hint, 'hint');
      h.id = `${id}-hint`;
      const input = el('input');
      input.id = id;
      input.name = name;
      input.type = 'text';
      input.required = true;
      // Not remembered by the browser: the page is used on shared computers of public places.
      input.autocomplete = 'off';
      input.spellcheck = false;
      if (name !== 'titulaire') input.autocapitalize = 'characters';
      const err = el('p', '', 'error');
      err.id = `${id}-error`;
      input.setAttribute('aria-describedby', `${h.id} ${err.id}`);
      wrap.append(l, h, input, err);
      f.appendChild(wrap);
    }
    const actions = el('div', undefined, 'form-actions');
    const submit = el('button', 'Enregistrer mes coordonnées bancaires');
    submit.type = 'submit';
    actions.appendChild(submit);
    if (onCancel) {
      const cancel = el('button', 'Annuler', 'secondary');
      cancel.type = 'button';
      cancel.addEventListener('click', onCancel);
      actions.appendChild(cancel);
    }
    f.appendChild(actions);

    const clear = () => {
      errors.hidden = true;
      errors.removeAttribute('role');
      errors.replaceChildren();
      for (const n of f.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
      for (const n of f.querySelectorAll('.error')) n.textContent = '';
    };
    const value = (name) => f.querySelector(`#${idFor(name)}`).value.trim();

    f.addEventListener('submit', async (event) => {
      event.preventDefault();
      clear();
      // Empty fields are said here (the server says the same); everything else is the server's check (checksum,
      // country, lengths), so that the page and any other client give the same French messages.
      let issues = FIELDS.filter(([name]) => value(name) === '').map(([name, label]) => ({
        path: name,
        message: `${label} : ce champ est obligatoire.`,
      }));
      let message = null;
      if (issues.length === 0) {
        submit.disabled = true;
        const { status: code, data } = await call(
          'PUT',
          `/api/applications/${encodeURIComponent(view.id)}/bank-details`,
          { iban: value('iban'), bic: value('bic'), titulaire: value('titulaire') },
        ).catch(() => ({ status: 0, data: null }));
        submit.disabled = false;
        if (code === 200) {
          // The inputs go with the form: the full IBAN leaves the page as soon as the server has it.
          say('Vos coordonnées bancaires sont enregistrées : l’équipe va les vérifier.');
          refresh();
          return;
        }
        issues = (data && data.fields) || [];
        message = (data && data.message) || 'L’envoi n’a pas abouti : réessayez dans un moment.';
      }
      if (issues.length === 0) {
        errors.appendChild(el('p', message));
      } else {
        errors.appendChild(
          el('p', `Vos coordonnées bancaires ne sont pas enregistrées : ${issues.length} champ(s) à corriger.`),
        );
      }
      const ul = el('ul');
      let first = null;
      for (const issue of issues) {
        const input = f.querySelector(`#${idFor(String(issue.path).split('.')[0])}`);
        const li = el('li');
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          f.querySelector(`#${input.id}-error`).textContent = issue.message;
          const a = el('a', issue.message);
          a.href = `#${input.id}`;
          li.appendChild(a);
          first = first || input;
        } else li.textContent = issue.message;
        ul.appendChild(li);
      }
      if (issues.length > 0) errors.appendChild(ul);
      errors.hidden = false;
      errors.setAttribute('role', 'alert');
      (first || errors).focus();
    });
    return f;
  }

  /** « Coordonnées bancaires »: the form, or the masked details with a way to correct them until they are validated. */
  function bankSection(view, prefix, refresh) {
    const s = el('section', undefined, 'action');
    const h = el('h4', 'Coordonnées bancaires');
    h.id = `${prefix}-bank-title`;
    s.setAttribute('aria-labelledby', h.id);
    s.append(
      h,
      el(
        'p',
        'Le compte bancaire de la structure, pour recevoir les remboursements des pass #APTIC. Elles sont chiffrées ; seul l’administrateur qui les vérifie les voit en entier.' +
          (view.commitmentTerms && view.commitmentTerms.bankDetailsRequired
            ? ' La validation finale de votre demande les attend.'
            : ''),
      ),
    );
    const details = view.bankDetails;
    if (!details) {
      s.appendChild(form(view, prefix, refresh, null));
      return s;
    }
    if (details.status === 'rejected' && details.review && details.review.comment) {
      const q = el('blockquote', details.review.comment, 'request');
      q.id = `${prefix}-bank-review`;
      s.append(el('p', 'Le message de l’équipe :'), q);
    }
    s.appendChild(summary(details, prefix));
    if (details.status === 'validated') return s;
    const edit = el('button', 'Corriger mes coordonnées bancaires', 'secondary');
    edit.type = 'button';
    const slot = el('div');
    const open = (focus) => {
      edit.hidden = true;
      slot.replaceChildren(
        form(view, prefix, refresh, () => {
          slot.replaceChildren();
          edit.hidden = false;
          edit.focus();
        }),
      );
      if (focus) slot.querySelector('input').focus();
    };
    edit.addEventListener('click', () => open(true));
    s.append(edit, slot);
    // Rejected details: the form is open at once (without moving the focus on page load).
    if (details.status === 'rejected') open(false);
    return s;
  }

  window.AptiEspaceBank = { bankSection };
})();
