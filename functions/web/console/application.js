import { drawPlaces } from '/carte/minimap.js';
import {
  ApiError,
  api,
  clear,
  confirmAction,
  errorMessage,
  findingTag,
  fmtDate,
  h,
  label,
  renderNav,
  requireSession,
  showStatus,
} from './common.js';

const id = new URLSearchParams(location.search).get('id') || '';
const status = document.getElementById('app-status');
let mapState = null;

function actorName(actor) {
  if (!actor) return 'système';
  if (actor.kind === 'staff') return actor.id || 'équipe';
  if (actor.kind === 'actor') return 'acteur';
  return 'système';
}

/** The actor's document, rendered as nested definition lists (text nodes only). */
function renderValue(v) {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, '—');
  if (typeof v === 'boolean') return document.createTextNode(v ? 'oui' : 'non');
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null))
      return document.createTextNode(v.map((x) => label('values', x)).join(' · ') || '—');
    return h(
      'ol',
      {},
      v.map((x) => h('li', {}, renderValue(x))),
    );
  }
  if (typeof v === 'object') {
    const dl = h('dl', { class: 'answers' });
    for (const [k, x] of Object.entries(v)) {
      dl.appendChild(h('dt', {}, label('fields', k)));
      dl.appendChild(h('dd', {}, renderValue(x)));
    }
    return dl;
  }
  return document.createTextNode(typeof v === 'string' ? label('values', v) : String(v));
}

function renderSummary(app) {
  const doc = app.document || {};
  const name = doc.structure?.nom || 'Demande';
  document.getElementById('app-title').textContent = name;
  document.title = `${name} · Console #APTIC`;
  const s = clear(document.getElementById('summary'));
  s.appendChild(
    h(
      'dl',
      { class: 'answers' },
      h('dt', {}, 'Étape'),
      h('dd', { id: 'stage' }, label('stages', app.stage)),
      h('dt', {}, 'Statut'),
      h('dd', { id: 'status' }, label('statuses', app.status)),
      h('dt', {}, 'Parcours'),
      h('dd', {}, label('routes', app.route)),
      h('dt', {}, 'Phase'),
      h('dd', {}, app.phase ?? '—'),
      h('dt', {}, 'SIRET'),
      h('dd', {}, app.siret || '—'),
      h('dt', {}, 'Départements'),
      h('dd', {}, (app.departements || []).join(', ') || '—'),
      h('dt', {}, 'Campagne'),
      h('dd', {}, app.campaign ? `${app.campaign.code || ''} ${app.campaign.label || ''}`.trim() : '—'),
      h('dt', {}, 'Déposée le'),
      h('dd', {}, fmtDate(app.createdAt)),
      h('dt', {}, 'Identifiant'),
      h('dd', {}, app.id),
    ),
  );
}

function renderFlags(app) {
  const box = clear(document.getElementById('flags'));
  const all = [...app.flags, ...app.reasons];
  if (all.length === 0) {
    box.appendChild(h('p', { class: 'muted' }, 'Aucun signalement.'));
    return;
  }
  box.appendChild(
    h(
      'ul',
      {},
      all.map((f) =>
        h(
          'li',
          { class: 'flag' },
          findingTag(f.code, f.soft ? 'soft' : ''),
          ' ',
          h('span', {}, f.explanation || f.message),
          f.kind === 'reason' ? h('span', { class: 'muted' }, ' (motif)') : null,
        ),
      ),
    ),
  );
}

function renderPlaces(app) {
  const box = clear(document.getElementById('places'));
  box.appendChild(
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Lieu'), h('th', {}, 'Adresse'), h('th', {}, 'Horaires'))),
      h(
        'tbody',
        {},
        app.places.map((p) =>
          h(
            'tr',
            { class: 'place' },
            h('td', {}, p.lieu.nom || ''),
            h('td', {}, `${p.lieu.adresse || ''}, ${p.lieu.code_postal || ''} ${p.lieu.commune || ''}`),
            h('td', { class: 'horaires' }, p.horairesTexte || p.lieu.horaires || '—'),
          ),
        ),
      ),
    ),
  );
  const note = document.getElementById('map-note');
  let drawn = { markers: 0 };
  try {
    // The map is kept across reloads of the data (Leaflet refuses to initialise a container twice).
    mapState = drawPlaces(
      document.getElementById('mini-map'),
      app.places.map((p) => p.row),
      mapState,
    );
    drawn = mapState;
  } catch {
    // The list above is enough without a map.
  }
  note.textContent =
    drawn.markers === 0
      ? 'Pas de coordonnées pour ces lieux : la carte montre la France, la liste ci-dessous fait foi.'
      : `${drawn.markers} lieu(x) placé(s).`;
}

function renderAnswers(app) {
  clear(document.getElementById('answers')).appendChild(renderValue(app.document));
}

function renderTimeline(app) {
  const ol = clear(document.getElementById('timeline'));
  for (const e of app.history) {
    ol.appendChild(
      h(
        'li',
        { class: `event ${e.type}` },
        h('span', { class: 'when muted' }, fmtDate(e.at)),
        ' — ',
        h('span', { class: 'who' }, actorName(e.actor)),
        ' — ',
        h('span', { class: 'what' }, label('events', e.type)),
        e.stage ? h('span', { class: 'muted' }, ` (${label('stages', e.stage)})`) : null,
        e.comment ? h('div', { class: 'comment' }, e.comment) : null,
      ),
    );
  }
}

function renderMessages(app) {
  const box = clear(document.getElementById('messages'));
  if (app.messages.length === 0) box.appendChild(h('p', { class: 'muted' }, 'Aucun message.'));
  for (const m of app.messages) {
    box.appendChild(
      h(
        'details',
        {},
        h('summary', {}, `${fmtDate(m.at)} — ${m.subject}`),
        h('p', { class: 'comment', style: null }, m.text),
      ),
    );
  }
}

function renderDecision(app) {
  const card = document.getElementById('decision-card');
  const task = app.openTask;
  card.hidden = !(task && task.decidable);
  if (card.hidden) return;
  document.getElementById('decision-step').textContent =
    `Étape ouverte : ${label('stages', task.step)}${task.assignee ? ` — assignée à ${task.assignee}` : ''}`;
  document.getElementById('request-changes').hidden = task.step === 'waitlisted';
  card.dataset.taskId = task.taskId;
}

async function decide(decision) {
  const card = document.getElementById('decision-card');
  const out = document.getElementById('decision-status');
  const comment = document.getElementById('decision-comment').value.trim();
  if (decision !== 'approve' && !comment) {
    showStatus(out, 'Un commentaire est obligatoire pour refuser ou demander des corrections.');
    return;
  }
  // Every decision is confirmed (the actor is told at once and the first decision wins: no undo).
  const name = document.getElementById('app-title').textContent;
  const confirmed = await confirmAction({
    title: `${label('decisions', decision)} : ${name}`,
    message:
      decision === 'approve'
        ? 'L’étape sera validée et la demande passera à la suite. Cette décision ne peut pas être annulée.'
        : 'L’acteur sera prévenu avec votre commentaire. Cette décision ne peut pas être annulée.',
    confirmLabel: label('decisions', decision),
    danger: decision === 'reject',
  });
  if (!confirmed) return;
  for (const b of card.querySelectorAll('button')) b.disabled = true;
  try {
    await api(`/api/console/tasks/${encodeURIComponent(card.dataset.taskId)}/decision`, {
      body: comment ? { decision, comment } : { decision },
    });
    showStatus(out, 'Décision enregistrée.', 'ok');
    document.getElementById('decision-comment').value = '';
    setTimeout(load, 400);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409 && err.payload.error === 'bank_details_not_validated') {
      // Not a race: the final approval waits for validated bank details (the card below).
      showStatus(out, errorMessage(err));
    } else if (err instanceof ApiError && err.status === 409) {
      const p = err.payload;
      const who = p.by ? ` par ${p.by}` : '';
      const when = p.at ? ` le ${fmtDate(p.at)}` : '';
      showStatus(out, `Cette étape a déjà été décidée${who}${when}.`);
    } else showStatus(out, errorMessage(err));
  } finally {
    for (const b of card.querySelectorAll('button')) b.disabled = false;
  }
}

document.getElementById('approve').addEventListener('click', () => decide('approve'));
document.getElementById('reject').addEventListener('click', () => decide('reject'));
document.getElementById('request-changes').addEventListener('click', () => decide('request_changes'));

const commentBox = document.getElementById('comment');
commentBox.addEventListener('input', () => {
  document.getElementById('comment-count').textContent = `${commentBox.value.length} / 4000`;
});
document.getElementById('comment-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = document.getElementById('comment-status');
  try {
    await api(`/api/console/applications/${encodeURIComponent(id)}/comments`, { body: { comment: commentBox.value } });
    commentBox.value = '';
    showStatus(out, 'Commentaire ajouté.', 'ok');
    await load();
  } catch (err) {
    showStatus(out, errorMessage(err));
  }
});

async function load() {
  try {
    const app = await api(`/api/console/applications/${encodeURIComponent(id)}`);
    document.getElementById('app').hidden = false;
    renderSummary(app);
    renderDecision(app);
    renderFlags(app);
    renderPlaces(app);
    renderAnswers(app);
    renderTimeline(app);
    renderMessages(app);
    document.body.dataset.loaded = 'true';
  } catch (err) {
    showStatus(status, errorMessage(err));
  }
}

if (requireSession()) {
  renderNav('inbox');
  if (document.readyState === 'complete') load();
  else window.addEventListener('load', load);
}
