// « Parler à quelqu’un »: the support requests from the chat, their excerpt, the staff answer (docs/console.md
// « Support requests »). Everything the actor wrote is shown as text (h() / textContent).
import { api, clear, errorMessage, fmtDate, fmtWait, h, renderNav, requireSession, showStatus } from './common.js';

const $ = (id) => document.getElementById(id);
const TRIGGERS = { typed: 'Écrit', button: 'Bouton', misunderstood: 'Proposé après incompréhension' };
let requests = [];
let openId = null;

function state(r) {
  if (r.erased) return 'Effacée';
  return r.status === 'open' ? 'En attente de réponse' : 'Répondue';
}

function firstAnswer(r) {
  if (r.firstAnswerSeconds === null || r.firstAnswerSeconds === undefined) return '—';
  return r.firstAnswerSeconds < 60 ? 'moins d’une minute' : fmtWait(r.firstAnswerSeconds);
}

function applicationCell(r) {
  if (!r.application) return 'Aucune';
  const label = r.application.nom || 'Voir la demande';
  return h('a', { href: `/console/application.html?id=${encodeURIComponent(r.application.id)}` }, label);
}

function renderList() {
  const tbody = clear($('support-list').querySelector('tbody'));
  if (requests.length === 0) {
    tbody.appendChild(h('tr', {}, h('td', { colspan: '6' }, 'Aucune demande pour le moment.')));
    return;
  }
  for (const r of requests) {
    tbody.appendChild(
      h(
        'tr',
        {},
        h('td', {}, fmtDate(r.createdAt)),
        h('td', {}, state(r)),
        h('td', {}, TRIGGERS[r.trigger] || r.trigger),
        h('td', {}, applicationCell(r)),
        h('td', {}, firstAnswer(r)),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => show(r.id),
              'aria-label': `Ouvrir la demande du ${fmtDate(r.createdAt)}`,
            },
            'Ouvrir',
          ),
        ),
      ),
    );
  }
}

function show(id) {
  const r = requests.find((x) => x.id === id);
  if (!r) return;
  openId = id;
  $('support-detail').hidden = false;
  $('detail-title').textContent = `Demande du ${fmtDate(r.createdAt)}`;
  const linked = r.application ? ` · demande liée : ${r.application.nom || r.application.id}` : '';
  const mail = r.reachableByMail
    ? 'réponse aussi envoyée par e-mail'
    : 'pas d’adresse : réponse dans la conversation seulement';
  $('detail-meta').textContent = `${state(r)} · ${TRIGGERS[r.trigger] || r.trigger}${linked} · ${mail}`;
  $('detail-message').textContent = r.erased ? '(effacé avec la demande de qualification)' : r.message;
  const ol = clear($('detail-excerpt'));
  if (r.excerpt.length === 0) ol.appendChild(h('li', {}, 'Aucun message avant la demande.'));
  for (const line of r.excerpt) {
    ol.appendChild(
      h(
        'li',
        { class: `excerpt--${line.who}` },
        h('strong', {}, line.who === 'actor' ? 'La personne : ' : 'L’assistant : '),
        line.text,
      ),
    );
  }
  const ul = clear($('detail-answers'));
  if (r.answers.length === 0) ul.appendChild(h('li', {}, 'Pas encore de réponse.'));
  for (const a of r.answers) {
    ul.appendChild(
      h(
        'li',
        {},
        `${fmtDate(a.at)}, ${a.by} : `,
        a.text,
        h(
          'span',
          { class: 'muted' },
          ` (${a.shownInChat ? 'lue dans la conversation' : 'pas encore affichée dans la conversation'} ; e-mail : ${a.mail})`,
        ),
      ),
    );
  }
  $('answer-form').hidden = Boolean(r.erased);
  clear($('answer-status'));
  $('detail-title').focus();
}

async function load() {
  const res = await api('/api/console/support');
  requests = res.requests;
  const median =
    res.medianFirstAnswerSeconds === null
      ? 'pas encore de réponse'
      : firstAnswer({ firstAnswerSeconds: res.medianFirstAnswerSeconds });
  $('support-summary').textContent =
    `${res.open} demande(s) en attente de réponse · délai médian de première réponse : ${median}.`;
  renderList();
}

$('answer-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('answer-text').value.trim();
  if (!text) {
    showStatus($('answer-status'), 'Écrivez la réponse avant de l’envoyer.');
    $('answer-text').focus();
    return;
  }
  try {
    await api(`/api/console/support/${encodeURIComponent(openId)}/answer`, { body: { text } });
    $('answer-text').value = '';
    await load();
    show(openId);
    showStatus($('answer-status'), 'Réponse envoyée.', 'ok');
  } catch (err) {
    showStatus($('answer-status'), errorMessage(err));
  }
});

if (requireSession()) {
  renderNav('support');
  load().catch((err) => showStatus($('support-status'), errorMessage(err)));
}
