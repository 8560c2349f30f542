// The bank details card of the console's application page (docs/actor.md « Bank details »). Everyone sees the masked
// IBAN and the status; an admin can show the details in full (each read is audited server-side) and validate or
// refuse them. A separate module so that application.js stays as it is: it reads the application on its own.
import { api, clear, errorMessage, fmtDate, getRole, h, showStatus } from './common.js';

const id = new URLSearchParams(location.search).get('id') || '';
const card = document.getElementById('bank-card');
const STATUS_LABELS = {
  submitted: 'Saisies, à valider',
  validated: 'Validées',
  rejected: 'Refusées (le demandeur doit les corriger)',
};

function row(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function render(details) {
  const body = clear(document.getElementById('bank-body'));
  if (!details) {
    body.appendChild(h('p', { class: 'muted' }, 'Le demandeur n’a pas encore saisi ses coordonnées bancaires.'));
    return;
  }
  body.appendChild(
    h(
      'dl',
      { class: 'kv' },
      row('IBAN', details.iban),
      row('BIC', details.bic),
      row('Titulaire', details.titulaire),
      row('Statut', STATUS_LABELS[details.status] || details.status),
      row('Saisies le', fmtDate(details.submittedAt)),
      details.review?.comment ? row('Motif du refus', details.review.comment) : null,
    ),
  );
  if (getRole() !== 'admin') return;
  const out = h('p', { class: 'status', id: 'bank-status' });
  const full = h('dl', { class: 'kv', id: 'bank-full', hidden: true });
  const comment = h('textarea', { id: 'bank-comment', maxlength: '2000' });
  const reveal = h(
    'button',
    { type: 'button', class: 'secondary', id: 'bank-reveal' },
    'Afficher en clair (journalisé)',
  );
  reveal.addEventListener('click', async () => {
    try {
      const plain = await api(`/api/console/applications/${encodeURIComponent(id)}/bank-details`);
      clear(full).append(
        ...row('IBAN complet', plain.iban),
        ...row('BIC', plain.bic),
        ...row('Titulaire', plain.titulaire),
      );
      full.hidden = false;
    } catch (err) {
      showStatus(out, errorMessage(err));
    }
  });
  const decide = async (valid) => {
    const text = comment.value.trim();
    if (!valid && !text) return showStatus(out, 'Indiquez au demandeur ce qui ne va pas (commentaire).');
    try {
      const next = await api(`/api/console/applications/${encodeURIComponent(id)}/bank-details/validation`, {
        body: text ? { valid, comment: text } : { valid },
      });
      render(next);
      showStatus(
        document.getElementById('bank-status'),
        valid ? 'Coordonnées validées.' : 'Coordonnées refusées.',
        'ok',
      );
    } catch (err) {
      showStatus(out, errorMessage(err));
    }
  };
  const actions =
    details.status === 'validated'
      ? null
      : h(
          'div',
          {},
          h('label', {}, 'Commentaire au demandeur (obligatoire pour refuser) ', comment),
          h(
            'div',
            { class: 'buttons' },
            h(
              'button',
              { type: 'button', id: 'bank-validate', onclick: () => decide(true) },
              'Valider les coordonnées',
            ),
            h(
              'button',
              { type: 'button', class: 'danger', id: 'bank-reject', onclick: () => decide(false) },
              'Refuser',
            ),
          ),
        );
  body.append(h('p', {}, reveal), full, actions ?? '', out);
}

async function load() {
  try {
    const app = await api(`/api/applications/${encodeURIComponent(id)}`);
    if (!app.bankDetails && !['actor_commitments', 'final_approval'].includes(app.stage)) return;
    card.hidden = false;
    render(app.bankDetails);
  } catch {
    // The main module shows the page's errors; this card stays hidden.
  }
}

if (card && id) load();
