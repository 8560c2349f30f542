// The actor space's actions (docs/actor.md « The actor space »): answer a change request, sign the commitments,
// download or erase one's data. Each calls the same API (and so the same use cases and validation) as the chat and any
// client. Plain JavaScript, text set with textContent only; loaded before espace.js, which calls it per application.
(() => {
  const TOKEN_KEY = 'aptic.actor.token';
  const status = () => document.getElementById('status');
  const say = (text) => {
    status().textContent = text;
  };
  const el = (tag, text, cls) => {
    const n = document.createElement(tag);
    if (text !== undefined) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  };
  const idOf = (prefix, path) => `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

  async function call(method, path, body) {
    const headers = { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await res.json().catch(() => null);
    return { status: res.status, data };
  }

  /** A labelled input bound to a document path, with its own error line (aria-describedby). */
  function field(prefix, path, label, value, opts = {}) {
    const wrap = el('div', undefined, 'field');
    const id = idOf(prefix, path);
    const l = el('label', label + (opts.optional ? ' (facultatif)' : ''));
    l.htmlFor = id;
    const input = el('input');
    input.id = id;
    input.name = path;
    input.type = opts.type || 'text';
    input.value = value == null ? '' : String(value);
    if (opts.autocomplete) input.autocomplete = opts.autocomplete;
    if (!opts.optional) input.required = true;
    const err = el('p', '', 'error');
    err.id = `${id}-error`;
    input.setAttribute('aria-describedby', err.id);
    if (opts.hint) {
      const hint = el('p', opts.hint, 'hint');
      hint.id = `${id}-hint`;
      input.setAttribute('aria-describedby', `${hint.id} ${err.id}`);
      wrap.append(l, hint, input, err);
    } else wrap.append(l, input, err);
    return wrap;
  }

  const getPath = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
  function setPath(obj, path, value) {
    const keys = path.split('.');
    let o = obj;
    for (const k of keys.slice(0, -1)) {
      if (o[k] == null) o[k] = {};
      o = o[k];
    }
    const last = keys[keys.length - 1];
    if (value === undefined) delete o[last];
    else o[last] = value;
  }

  /** The change request: the staff's words, then the fields the actor may correct, sent with PUT (same validation). */
  function changeForm(view, prefix, refresh) {
    const s = el('section', undefined, 'action');
    const h = el('h4', 'Répondre à la demande de modifications');
    h.id = `${prefix}-changes-title`;
    s.setAttribute('aria-labelledby', h.id);
    s.appendChild(h);
    const request = view.changeRequest && view.changeRequest.comment;
    const quote = el('blockquote', request || 'L’équipe n’a pas laissé de commentaire : vérifiez vos informations.');
    quote.className = 'request';
    quote.id = `${prefix}-request`;
    s.appendChild(quote);
    const form = el('form');
    form.noValidate = true;
    form.setAttribute('aria-describedby', quote.id);
    const summary = el('div', undefined, 'error-summary');
    summary.id = `${prefix}-summary`;
    summary.tabIndex = -1;
    summary.hidden = true;
    form.appendChild(summary);
    const doc = view.document || {};
    const fields = [];
    const add = (path, label, opts) => {
      fields.push({ path, optional: !!(opts && opts.optional) });
      return field(prefix, path, label, getPath(doc, path), opts);
    };
    const structure = el('fieldset');
    structure.append(
      el('legend', 'Structure'),
      add('structure.nom', 'Nom de la structure', { autocomplete: 'organization' }),
      add('structure.representant_legal.nom', 'Nom du ou de la représentant·e légal·e', { autocomplete: 'name' }),
      add('structure.representant_legal.courriel', 'Adresse e-mail du ou de la représentant·e légal·e', {
        type: 'email',
        autocomplete: 'email',
      }),
    );
    form.appendChild(structure);
    (doc.lieux || []).forEach((lieu, i) => {
      const fs = el('fieldset');
      const base = `lieux.${i}`;
      fs.append(
        el('legend', `Lieu ${i + 1} : ${lieu.nom || ''}`),
        add(`${base}.nom`, 'Nom du lieu'),
        add(`${base}.adresse`, 'Adresse', { autocomplete: 'off' }),
        add(`${base}.complement_adresse`, 'Complément d’adresse', { optional: true }),
        add(`${base}.code_postal`, 'Code postal', { autocomplete: 'off' }),
        add(`${base}.commune`, 'Commune'),
        add(`${base}.horaires`, 'Horaires d’ouverture', {
          optional: true,
          hint: 'Par exemple : Mo-Fr 09:00-12:00,14:00-18:00 (lundi à vendredi), ou en toutes lettres.',
        }),
        add(`${base}.telephone`, 'Téléphone du lieu', { optional: true, type: 'tel' }),
      );
      form.appendChild(fs);
    });
    const submit = el('button', 'Renvoyer ma demande corrigée');
    submit.type = 'submit';
    form.appendChild(submit);

    const clear = () => {
      summary.hidden = true;
      summary.replaceChildren();
      for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
      for (const n of form.querySelectorAll('.error')) n.textContent = '';
    };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clear();
      const next = structuredClone(doc);
      for (const f of fields) {
        const input = form.querySelector(`#${idOf(prefix, f.path)}`);
        const v = input.value.trim();
        setPath(next, f.path, v === '' && f.optional ? undefined : v);
      }
      submit.disabled = true;
      const { status: code, data } = await call('PUT', `/api/applications/${encodeURIComponent(view.id)}`, next);
      submit.disabled = false;
      if (code === 200) {
        say('Votre demande corrigée est envoyée : l’équipe va l’examiner à nouveau.');
        refresh();
        return;
      }
      const issues = (data && data.fields) || [];
      if (issues.length === 0) {
        say((data && data.message) || 'L’envoi n’a pas abouti : réessayez dans un moment.');
        return;
      }
      summary.appendChild(el('p', `La demande n’est pas envoyée : ${issues.length} champ(s) à corriger.`));
      const ul = el('ul');
      let first = null;
      for (const issue of issues) {
        const input = form.querySelector(`#${idOf(prefix, issue.path)}`);
        const li = el('li');
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          document.getElementById(`${input.id}-error`).textContent = issue.message;
          const a = el('a', issue.message);
          a.href = `#${input.id}`;
          li.appendChild(a);
          first = first || input;
        } else li.textContent = issue.message;
        ul.appendChild(li);
      }
      summary.appendChild(ul);
      summary.hidden = false;
      summary.setAttribute('role', 'alert');
      (first || summary).focus();
    });
    s.appendChild(form);
    return s;
  }

  /** The commitments: the versioned Charte and CGU (linked), the Kit's price and period in force, one form. */
  function commitmentsForm(view, prefix, refresh) {
    const terms = view.commitmentTerms;
    const s = el('section', undefined, 'action');
    const h = el('h4', 'Signer les engagements');
    h.id = `${prefix}-commit-title`;
    s.setAttribute('aria-labelledby', h.id);
    const form = el('form');
    form.noValidate = true;
    const box = (name, children) => {
      const wrap = el('div', undefined, 'check');
      const input = el('input');
      input.type = 'checkbox';
      input.id = `${prefix}-${name}`;
      input.name = name;
      const l = el('label');
      l.htmlFor = input.id;
      l.append(...children);
      wrap.append(input, l);
      return wrap;
    };
    const doc = (d) => {
      const a = el('a', `${d.title} (version ${d.version})`);
      a.href = d.url;
      a.target = '_blank';
      a.rel = 'noopener';
      a.append(el('span', ' — s’ouvre dans un nouvel onglet', 'visually-hidden'));
      return a;
    };
    const price = `${String(terms.kit.priceHtEur).replace('.', ',')} € HT par ${terms.kit.period}`;
    const err = el('p', '', 'error');
    err.id = `${prefix}-commit-error`;
    err.setAttribute('aria-live', 'polite');
    const submit = el('button', 'Signer mes engagements');
    submit.type = 'submit';
    form.append(
      box('charte', ['J’ai lu et j’accepte la ', doc(terms.charte)]),
      box('cgu', ['J’ai lu et j’accepte les ', doc(terms.cgu)]),
      box('abonnement', [
        `Je confirme l’abonnement au Kit #APTIC : ${price}, facturé à partir de la qualification de ma structure.`,
      ]),
      err,
      submit,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      err.textContent = '';
      const checked = (n) => form.querySelector(`#${prefix}-${n}`).checked;
      const missing = ['charte', 'cgu', 'abonnement'].find((n) => !checked(n));
      if (missing) {
        err.textContent = 'Cochez les trois cases pour signer vos engagements.';
        form.querySelector(`#${prefix}-${missing}`).focus();
        return;
      }
      submit.disabled = true;
      const { status: code, data } = await call(
        'POST',
        `/api/applications/${encodeURIComponent(view.id)}/commitments`,
        {
          charte: true,
          cgu: true,
          abonnement: 'oui',
          versions: { charte: terms.charte.version, cgu: terms.cgu.version },
          canal: 'espace',
        },
      );
      submit.disabled = false;
      if (code === 200) {
        say('Vos engagements sont enregistrés : l’équipe fait maintenant la validation finale.');
        refresh();
        return;
      }
      err.textContent = (data && data.message) || 'L’envoi n’a pas abouti : réessayez dans un moment.';
    });
    s.append(h, form);
    return s;
  }

  /** My data: download the export (JSON), or ask for erasure after a confirmation dialog. */
  function myData(app, prefix, refresh) {
    const s = el('section', undefined, 'action');
    const h = el('h4', 'Mes données');
    h.id = `${prefix}-data-title`;
    s.setAttribute('aria-labelledby', h.id);
    const download = el('button', 'Télécharger mes données (JSON)', 'secondary');
    download.type = 'button';
    download.addEventListener('click', async () => {
      const { status: code, data } = await call('GET', `/api/applications/${encodeURIComponent(app.id)}/export`);
      if (code !== 200) {
        say((data && data.message) || 'Le téléchargement n’a pas abouti.');
        return;
      }
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = el('a');
      a.href = url;
      a.download = `mes-donnees-aptic-${app.id.slice(0, 8)}.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      say('Vos données sont téléchargées.');
    });
    const erase = el('button', 'Demander l’effacement de mes données', 'danger');
    erase.type = 'button';
    erase.addEventListener('click', () => {
      const dialog = document.getElementById('erase-dialog');
      const confirm = document.getElementById('erase-confirm');
      const onConfirm = async () => {
        dialog.close();
        const { data } = await call('POST', `/api/applications/${encodeURIComponent(app.id)}/erasure`);
        say((data && data.message) || 'La demande d’effacement n’a pas abouti.');
        refresh();
      };
      confirm.onclick = onConfirm;
      dialog.onclose = () => erase.focus();
      dialog.showModal();
      document.getElementById('erase-cancel').focus();
    });
    s.append(
      h,
      el('p', 'Tout ce que nous gardons sur cette demande : le document, l’historique, les messages, la discussion.'),
      download,
      erase,
    );
    return s;
  }

  window.AptiEspaceActions = { changeForm, commitmentsForm, myData };
})();
