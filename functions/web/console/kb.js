// The FAQ knowledge base (docs/faq.md « Published versions »): edit a topic's label, answer and examples, try a
// question against the edits, publish a new version, roll back. Admin only (the API checks it too).
import { api, clear, errorMessage, fmtDate, h, renderNav, requireSession, showStatus } from './common.js';

const $ = (id) => document.getElementById(id);
let data = null;
/** topic id → { label, answer, examples } as edited on this page, not published yet. */
const edits = new Map();
let current = null;

const linesOf = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

function topicOf(id) {
  return data.topics.find((t) => t.id === id);
}

function saveForm() {
  if (!current) return;
  const t = topicOf(current);
  const edit = {
    id: current,
    label: $('topic-label').value,
    answer: $('topic-answer').value,
    examples: linesOf($('topic-examples').value),
  };
  const same =
    edit.label === t.label && edit.answer === t.answer && JSON.stringify(edit.examples) === JSON.stringify(t.examples);
  if (same) edits.delete(current);
  else edits.set(current, edit);
  $('edited').textContent =
    edits.size === 0
      ? 'Aucune modification en cours.'
      : `Modifié(s), pas encore publié(s) : ${[...edits.keys()].map((id) => topicOf(id).label).join(', ')}.`;
}

function fillForm(id) {
  current = id;
  const t = edits.get(id) || topicOf(id);
  $('topic-label').value = t.label;
  $('topic-answer').value = t.answer;
  $('topic-examples').value = t.examples.join('\n');
}

function render() {
  const f = data.inForce;
  $('kb-in-force').textContent =
    f.source === 'file'
      ? 'Le fichier livré avec l’application (aucune version publiée en vigueur).'
      : `Version publiée le ${fmtDate(f.at)} par ${f.by}${f.action === 'rollback' ? ' (retour en arrière)' : ''}.`;
  $('kb-rollback').disabled = f.source === 'file';
  const tbody = clear($('kb-versions').querySelector('tbody'));
  if (data.versions.length === 0) tbody.appendChild(h('tr', {}, h('td', { colspan: '4' }, 'Aucune version publiée.')));
  for (const v of data.versions) {
    const names = v.changedTopics.map((id) => topicOf(id)?.label || id).join(', ');
    tbody.appendChild(
      h(
        'tr',
        {},
        h('td', {}, fmtDate(v.publishedAt), v.versionId === f.versionId ? ' (en vigueur)' : ''),
        h('td', {}, v.by),
        h('td', {}, names),
        h('td', {}, v.note || '—'),
      ),
    );
  }
  const select = clear($('topic-select'));
  for (const t of data.topics) select.appendChild(h('option', { value: t.id }, t.label));
  select.value = current && topicOf(current) ? current : data.topics[0].id;
  fillForm(select.value);
  saveForm();
}

async function load() {
  data = await api('/api/console/kb');
  render();
}

$('topic-select').addEventListener('change', () => {
  saveForm();
  fillForm($('topic-select').value);
});
for (const id of ['topic-label', 'topic-answer', 'topic-examples']) $(id).addEventListener('input', saveForm);

$('preview-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  saveForm();
  const out = clear($('preview-result'));
  const question = $('preview-question').value.trim();
  if (!question) {
    out.appendChild(h('p', { class: 'status error', role: 'alert' }, 'Écrivez une question à essayer.'));
    $('preview-question').focus();
    return;
  }
  try {
    const r = await api('/api/console/kb/preview', {
      body: { question, ...(edits.size ? { topics: [...edits.values()] } : {}) },
    });
    out.appendChild(
      h(
        'p',
        {},
        r.topic ? `Sujet reconnu : « ${r.label} »` : 'Aucun sujet sûr : l’assistant déclinerait.',
        ` (score ${Number(r.score).toFixed(2)}).`,
      ),
    );
    if (r.suggestions.length)
      out.appendChild(h('p', {}, `Suggestions : ${r.suggestions.map((s) => `« ${s.label} »`).join(', ')}.`));
    if (r.answer) out.appendChild(h('blockquote', {}, r.answer));
  } catch (err) {
    out.appendChild(h('p', { class: 'status error', role: 'alert' }, errorMessage(err)));
  }
});

$('publish-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  saveForm();
  const errors = clear($('publish-errors'));
  if (edits.size === 0) {
    showStatus($('publish-status'), 'Rien à publier : modifiez d’abord un sujet.');
    return;
  }
  try {
    const note = $('publish-note').value.trim();
    await api('/api/console/kb/versions', {
      body: { baseVersionId: data.inForce.versionId, topics: [...edits.values()], ...(note ? { note } : {}) },
    });
    edits.clear();
    $('publish-note').value = '';
    await load();
    showStatus($('publish-status'), 'Version publiée : l’assistant l’utilise dans quelques secondes.', 'ok');
  } catch (err) {
    showStatus($('publish-status'), err.payload?.message || errorMessage(err));
    for (const f of err.payload?.fields || []) {
      const [, id, field] = /^topics\.([^.]+)\.?(.*)$/.exec(f.path) || [];
      const name = id ? topicOf(id)?.label || id : f.path;
      errors.appendChild(h('li', {}, `${name}${field ? ` (${field})` : ''} : ${f.message}`));
    }
  }
});

$('kb-rollback').addEventListener('click', async () => {
  try {
    await api('/api/console/kb/rollback', { body: { expectedVersionId: data.inForce.versionId } });
    await load();
    showStatus(
      $('rollback-status'),
      'Version précédente rétablie : l’assistant l’utilise dans quelques secondes.',
      'ok',
    );
  } catch (err) {
    showStatus($('rollback-status'), errorMessage(err));
  }
});

if (requireSession()) {
  renderNav('kb');
  load().catch((err) => showStatus($('kb-status'), errorMessage(err)));
}
