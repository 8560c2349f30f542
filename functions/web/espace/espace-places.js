// The actor space after qualification (docs/actor.md « After qualification »): edit one's places (hours, contact, show
// or hide on the map, add, remove) and the services offered (the national schema's `services` enumeration, one list for
// every place) with PUT /api/applications/:id/places, or end the qualification after a
// confirmation dialog. Same API (and validation) as any client. Plain JavaScript, text set with textContent only;
// loaded before espace.js, which calls it for a qualified application.
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
    const headers = { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, data: await res.json().catch(() => null) };
  }

  const TEXT_FIELDS = [
    ['nom', 'Nom du lieu', {}],
    ['adresse', 'Adresse', {}],
    ['complement_adresse', 'Complément d’adresse', { optional: true }],
    ['code_postal', 'Code postal', {}],
    ['commune', 'Commune', {}],
    [
      'horaires',
      'Horaires d’ouverture',
      {
        optional: true,
        hint: 'En toutes lettres (« du lundi au vendredi de 9h à 12h et de 14h à 17h ») ou au format OpenStreetMap (Mo-Fr 09:00-12:00).',
      },
    ],
    ['telephone', 'Téléphone du lieu', { optional: true, type: 'tel' }],
  ];
  const BLANK = { nom: '', adresse: '', code_postal: '', commune: '', accueil_inconditionnel: true };

  /** « Mes lieux sur la carte »: one fieldset per place, rebuilt from `places` after an add or a removal. */
  function placesSection(view, prefix, refresh) {
    const s = el('section', undefined, 'action');
    const h = el('h4', 'Mes lieux sur la carte');
    h.id = `${prefix}-places-title`;
    s.setAttribute('aria-labelledby', h.id);
    s.append(
      h,
      el(
        'p',
        'Modifiez vos lieux : les changements sont publiés sur la carte dès l’enregistrement, avec la date du jour.',
      ),
    );
    const form = el('form');
    form.noValidate = true;
    const summary = el('div', undefined, 'error-summary');
    summary.id = `${prefix}-places-summary`;
    summary.tabIndex = -1;
    summary.hidden = true;
    const list = el('div');
    const add = el('button', 'Ajouter un lieu', 'secondary');
    add.type = 'button';
    const save = el('button', 'Enregistrer mes lieux');
    save.type = 'submit';
    const services = servicesFieldset(view, prefix);
    form.append(summary, services, list, add, save);
    let places = ((view.document && view.document.lieux) || []).map((l) => ({ ...l }));
    const idFor = (i, name) => `${prefix}-place-${i}-${name}`;

    /** The inputs' values back into `places` (before a rebuild or a send). */
    function sync() {
      places = places.map((p, i) => {
        const next = { ...p };
        for (const [name, , opts] of TEXT_FIELDS) {
          const v = form.querySelector(`#${idFor(i, name)}`).value.trim();
          if (v === '' && opts.optional) delete next[name];
          else next[name] = v;
        }
        next.accueil_inconditionnel = form.querySelector(`#${idFor(i, 'accueil')}`).checked;
        if (form.querySelector(`#${idFor(i, 'publie')}`).checked) delete next.publie;
        else next.publie = false;
        // The pin: sent only when the actor ticked « cette position est juste » with two numbers.
        const lat = Number(
          form
            .querySelector(`#${idFor(i, 'position')}`)
            .value.trim()
            .replace(',', '.'),
        );
        const lon = Number(
          form
            .querySelector(`#${idFor(i, 'longitude')}`)
            .value.trim()
            .replace(',', '.'),
        );
        const pinned = form.querySelector(`#${idFor(i, 'pin')}`).checked;
        const typed = form.querySelector(`#${idFor(i, 'position')}`).value.trim() !== '';
        if (pinned && typed) next.position = { latitude: lat, longitude: lon };
        else delete next.position;
        return next;
      });
    }

    function checkbox(i, name, label, checked) {
      const wrap = el('div', undefined, 'check');
      const input = el('input');
      input.type = 'checkbox';
      input.id = idFor(i, name);
      input.checked = checked;
      const l = el('label', label);
      l.htmlFor = input.id;
      wrap.append(input, l);
      return wrap;
    }

    const onMap = new Map(((view && view.onMap) || []).map((m) => [m.index, m]));
    const HOW = { pin: 'd’après votre épingle', address: 'd’après son adresse', commune: 'au centre de sa commune' };
    const fr = (x) => String(Math.round(x * 1e5) / 1e5).replace('.', ',');

    /** « Position sur la carte »: where the map puts the place, in words, to confirm or correct (docs/places-geo.md). */
    function positionGroup(i, p) {
      const box = el('fieldset', undefined, 'position');
      box.appendChild(el('legend', 'Position sur la carte'));
      const known = p.position || onMap.get(i);
      const at = known && known.latitude != null ? known : null;
      let text = 'Ce lieu n’est pas encore situé : enregistrez pour qu’il le soit d’après son adresse.';
      if (p.position)
        text = `Position confirmée par vous : latitude ${fr(at.latitude)}, longitude ${fr(at.longitude)}.`;
      else if (at) {
        text = `Nous situons ce lieu à ${p.commune || 'sa commune'} (latitude ${fr(at.latitude)}, longitude ${fr(at.longitude)}, ${HOW[at.precision] || 'au centre de sa commune'}) : est-ce juste ?`;
      }
      const said = el('p', text, 'position-text');
      said.id = `${idFor(i, 'position')}-said`;
      box.appendChild(said);
      if (at) {
        const look = el('a', `Voir cet endroit sur OpenStreetMap (lieu ${i + 1})`);
        look.href = `https://www.openstreetmap.org/?mlat=${at.latitude}&mlon=${at.longitude}#map=18/${at.latitude}/${at.longitude}`;
        box.appendChild(el('p')).appendChild(look);
      }
      const hint = el(
        'p',
        'Pour corriger, copiez les coordonnées du lieu depuis adresse.data.gouv.fr ou OpenStreetMap (ex. 45.8336 et 1.2611).',
        'hint',
      );
      hint.id = `${idFor(i, 'position')}-hint`;
      box.appendChild(hint);
      for (const [name, label, value] of [
        ['position', 'Latitude', at ? at.latitude : ''],
        ['longitude', 'Longitude', at ? at.longitude : ''],
      ]) {
        const wrap = el('div', undefined, 'field');
        const input = el('input');
        input.id = idFor(i, name);
        input.type = 'text';
        input.inputMode = 'decimal';
        input.value = value === '' ? '' : String(value);
        const l = el('label', `${label} (facultatif)`);
        l.htmlFor = input.id;
        const err = el('p', '', 'error');
        err.id = `${input.id}-error`;
        input.setAttribute('aria-describedby', `${hint.id} ${err.id}`);
        wrap.append(l, input, err);
        box.appendChild(wrap);
      }
      box.appendChild(checkbox(i, 'pin', 'Cette position est juste : l’utiliser sur la carte', Boolean(p.position)));
      return box;
    }

    function render() {
      list.replaceChildren();
      places.forEach((p, i) => {
        const fs = el('fieldset');
        fs.appendChild(el('legend', `Lieu ${i + 1}${p.nom ? ` : ${p.nom}` : ''}`));
        for (const [name, label, opts] of TEXT_FIELDS) {
          const wrap = el('div', undefined, 'field');
          const id = idFor(i, name);
          const l = el('label', label + (opts.optional ? ' (facultatif)' : ''));
          l.htmlFor = id;
          const input = el('input');
          input.id = id;
          input.type = opts.type || 'text';
          input.value = p[name] == null ? '' : String(p[name]);
          if (!opts.optional) input.required = true;
          const err = el('p', '', 'error');
          err.id = `${id}-error`;
          if (opts.hint) {
            const hint = el('p', opts.hint, 'hint');
            hint.id = `${id}-hint`;
            input.setAttribute('aria-describedby', `${hint.id} ${err.id}`);
            wrap.append(l, hint, input, err);
          } else {
            input.setAttribute('aria-describedby', err.id);
            wrap.append(l, input, err);
          }
          fs.appendChild(wrap);
        }
        fs.append(
          checkbox(i, 'accueil', 'Accueil de toute personne, sans condition', p.accueil_inconditionnel !== false),
          checkbox(i, 'publie', 'Afficher ce lieu sur la carte', p.publie !== false),
        );
        fs.appendChild(positionGroup(i, p));
        const remove = el('button', `Retirer le lieu ${i + 1}`, 'secondary');
        remove.type = 'button';
        remove.addEventListener('click', () => {
          sync();
          places.splice(i, 1);
          render();
          say(`Lieu retiré de la liste : enregistrez pour le retirer de la carte.`);
          add.focus();
        });
        fs.appendChild(remove);
        list.appendChild(fs);
      });
    }

    function clear() {
      summary.hidden = true;
      summary.replaceChildren();
      for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
      for (const n of form.querySelectorAll('.error')) n.textContent = '';
    }

    function showErrors(data) {
      const fields = (data && data.fields) || [];
      summary.appendChild(el('p', (data && data.message) || 'Vos lieux n’ont pas été enregistrés.'));
      const ul = el('ul');
      let first = null;
      for (const f of fields) {
        if (/^(activite\.)?services/.test(f.path || '')) {
          // The services are one group of checkboxes: the error goes on the group, the focus on its first box.
          const first_ = services.querySelector('input');
          services.querySelector('.error').textContent = f.message;
          const li = el('li');
          const a = el('a', f.message);
          a.href = `#${first_.id}`;
          li.appendChild(a);
          ul.appendChild(li);
          first = first || first_;
          continue;
        }
        const m = /^lieux\.(\d+)\.([a-z_]+)/.exec(f.path || '');
        const name = m && (m[2] === 'accueil_inconditionnel' ? 'accueil' : m[2]);
        const input = m ? form.querySelector(`#${idFor(Number(m[1]), name)}`) : null;
        const li = el('li');
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          const err = form.querySelector(`#${input.id}-error`);
          if (err) err.textContent = f.message;
          const a = el('a', `Lieu ${Number(m[1]) + 1} : ${f.message}`);
          a.href = `#${input.id}`;
          li.appendChild(a);
          first = first || input;
        } else li.textContent = f.message;
        ul.appendChild(li);
      }
      summary.appendChild(ul);
      summary.hidden = false;
      (first || summary).focus();
    }

    add.addEventListener('click', () => {
      sync();
      places.push({ ...BLANK });
      render();
      form.querySelector(`#${idFor(places.length - 1, 'nom')}`).focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clear();
      sync();
      save.disabled = true;
      const chosen = [...services.querySelectorAll('input[type=checkbox]')]
        .filter((c) => c.checked)
        .map((c) => c.value);
      const { status: code, data } = await call('PUT', `/api/applications/${encodeURIComponent(view.id)}/places`, {
        lieux: places,
        services: chosen,
      });
      save.disabled = false;
      if (code === 200) {
        const n = data.published.length;
        say(`Vos lieux sont enregistrés : ${n} lieu${n > 1 ? 'x' : ''} sur la carte.`);
        refresh();
        return;
      }
      showErrors(data);
    });
    render();
    s.append(form, endQualification(view, prefix, refresh));
    return s;
  }

  /**
   * The services offered, as checkboxes of the national schema's enumeration (from the view: one source, the domain's).
   * The document holds one list for every place; the domain refuses an empty one with its French message.
   */
  function servicesFieldset(view, prefix) {
    const fs = el('fieldset', undefined, 'services');
    const legend = el('legend', 'Types d’accompagnement proposés (pour tous vos lieux)');
    const err = el('p', '', 'error');
    err.id = `${prefix}-services-error`;
    fs.setAttribute('aria-describedby', err.id);
    fs.appendChild(legend);
    const current = new Set((view.document && view.document.activite && view.document.activite.services) || []);
    const options = (view.choices && view.choices.services) || [...current];
    options.forEach((value, i) => {
      const wrap = el('div', undefined, 'check');
      const input = el('input');
      input.type = 'checkbox';
      input.id = `${prefix}-service-${i}`;
      input.value = value;
      input.checked = current.has(value);
      const l = el('label', value);
      l.htmlFor = input.id;
      wrap.append(input, l);
      fs.appendChild(wrap);
    });
    fs.appendChild(err);
    return fs;
  }

  /** « Mettre fin à ma qualification »: a native modal dialog asks the reason and confirms; focus comes back after. */
  function endQualification(view, prefix, refresh) {
    const wrap = el('div', undefined, 'end-qualification');
    const open = el('button', 'Mettre fin à ma qualification', 'danger');
    open.type = 'button';
    const dialog = el('dialog');
    const title = el('h2', 'Mettre fin à votre qualification #APTIC ?');
    title.id = `${prefix}-end-title`;
    const text = el(
      'p',
      'Vos lieux quittent la carte tout de suite et l’abonnement au Kit s’arrête. C’est définitif : pour être à nouveau qualifié·e, il faudra faire une nouvelle demande.',
    );
    text.id = `${prefix}-end-text`;
    dialog.setAttribute('aria-labelledby', title.id);
    dialog.setAttribute('aria-describedby', text.id);
    const form = el('form');
    form.noValidate = true;
    const label = el('label', 'Pourquoi arrêtez-vous ? (gardé dans l’historique)');
    const reason = el('textarea');
    reason.id = `${prefix}-end-reason`;
    reason.rows = 3;
    reason.required = true;
    label.htmlFor = reason.id;
    const err = el('p', '', 'error');
    err.id = `${reason.id}-error`;
    reason.setAttribute('aria-describedby', err.id);
    const actions = el('div', undefined, 'dialog-actions');
    const cancel = el('button', 'Annuler', 'secondary');
    cancel.type = 'button';
    const confirm = el('button', 'Oui, mettre fin à ma qualification', 'danger');
    confirm.type = 'submit';
    actions.append(cancel, confirm);
    form.append(label, reason, err, actions);
    dialog.append(title, text, form);
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => open.focus());
    open.addEventListener('click', () => {
      err.textContent = '';
      reason.removeAttribute('aria-invalid');
      dialog.showModal();
      cancel.focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      confirm.disabled = true;
      const { status: code, data } = await call(
        'POST',
        `/api/applications/${encodeURIComponent(view.id)}/end-qualification`,
        { reason: reason.value.trim() },
      );
      confirm.disabled = false;
      if (code === 200) {
        dialog.close();
        say('Votre qualification est terminée : vos lieux ne sont plus sur la carte.');
        refresh();
        return;
      }
      const field = data && data.fields && data.fields[0];
      err.textContent = (field && field.message) || (data && data.message) || 'L’envoi n’a pas abouti.';
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
    });
    wrap.append(open, dialog);
    return wrap;
  }

  window.AptiEspacePlaces = { placesSection };
})();
