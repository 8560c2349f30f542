// Shared helpers of the console pages. Rules that keep actor-supplied text inert:
// - every text goes through textContent / createTextNode (h() below); no API that parses HTML is used;
// - links get an href only when it is a same-origin path;
// - the staff token lives in sessionStorage and goes in the Authorization header: no cookie, so no CSRF.

const TOKEN_KEY = 'aptic.console.token';
const ROLE_KEY = 'aptic.console.role';

export const getToken = () => sessionStorage.getItem(TOKEN_KEY);
export const getRole = () => sessionStorage.getItem(ROLE_KEY);

export function setSession(token, role) {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(ROLE_KEY, role);
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ROLE_KEY);
}

export class ApiError extends Error {
  constructor(status, payload) {
    super(payload?.message || `Erreur ${status}`);
    this.status = status;
    this.payload = payload || {};
  }
}

/** Calls the console API with the session token; a 401 sends the user back to the sign-in page. */
export async function api(path, options = {}) {
  const headers = { accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let body;
  if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv; charset=utf-8';
    body = options.csv;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.headers) Object.assign(headers, options.headers);
  const res = await fetch(path, { method: options.method || (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = { message: text };
  }
  if (res.status === 401 && !options.noRedirect) {
    clearSession();
    const next = location.pathname + location.search;
    location.assign(`/console?next=${encodeURIComponent(next)}`);
    throw new ApiError(401, payload);
  }
  if (!res.ok) throw new ApiError(res.status, payload);
  return payload;
}

const SAFE_HREF = /^\/(?!\/)[\w\-./?=&%#:]*$/;

/**
 * Builds an element. `attrs`: class, href (same-origin paths only), on* handlers as functions, `dataset`, any other
 * attribute set with setAttribute. Children: strings (text nodes), numbers, nodes, arrays, null (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'href') {
      if (SAFE_HREF.test(String(v))) el.setAttribute('href', String(v));
    } else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'required') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export const dateFmt = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

export function fmtDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateFmt.format(d);
}

export function fmtWait(seconds) {
  const s = Number(seconds) || 0;
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min`;
  if (s < 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} j`;
}

/**
 * The French labels of every code (GET /api/labels, shared/domain/labels.ts): loaded once per page before any
 * page script runs (top-level await), so no page keeps its own copy. Without an answer, codes show as they are.
 */
async function loadLabels() {
  try {
    const res = await fetch('/api/labels', { headers: { accept: 'application/json' } });
    if (res.ok) return await res.json();
  } catch {
    // The pages still work with raw codes.
  }
  return {};
}
export const LABELS = await loadLabels();

/** The label of `code` in the catalogue `kind` (stages, statuses, routes, findings, fields, values, events…). */
export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '—';
  return LABELS[kind]?.[code] ?? String(code);
}

export const STEP_LABELS = { ...(LABELS.stages || {}) };
export const ROUTE_LABELS = { ...(LABELS.routes || {}) };

/** A flag or reason: its French label, the code kept in the title and a data attribute (filters, tests). */
export function findingTag(code, extraClass = '') {
  return h('span', { class: `tag ${extraClass}`.trim(), title: code, dataset: { code } }, label('findings', code));
}

/** Shows an error message (text only) in a status element. */
export function showStatus(el, message, kind = 'error') {
  clear(el);
  el.className = `status ${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.appendChild(document.createTextNode(message));
}

export function errorMessage(err) {
  if (err instanceof ApiError) {
    const fields = Array.isArray(err.payload.fields) ? err.payload.fields.map((f) => f.message).join(' ') : '';
    return [err.message, fields].filter(Boolean).join(' ');
  }
  return 'Le serveur ne répond pas. Vérifiez votre connexion.';
}

/** Top navigation; admin pages only for admins (the API enforces roles anyway). */
export function renderNav(current) {
  const nav = document.getElementById('nav');
  if (!nav) return;
  clear(nav);
  const links = [
    ['/console', 'Boîte de réception', 'inbox'],
    ['/console/search.html', 'Recherche', 'search'],
    ['/console/outbox.html', 'Messages', 'outbox'],
    ['/console/campaigns.html', 'Campagnes', 'campaigns'],
    ['/console/coverage.html', 'Couverture', 'coverage'],
    ['/console/injections.html', 'Injections et prospects', 'injections'],
    ['/console/territoires.html', 'Territoires', 'territories'],
    ['/console/support.html', 'Demandes de contact', 'support'],
  ];
  if (getRole() === 'admin') links.push(['/console/admin.html', 'Administration', 'admin']);
  if (getRole() === 'admin') links.push(['/console/kb.html', 'Base de connaissances', 'kb']);
  if (getRole() === 'admin') links.push(['/console/staff.html', 'Comptes', 'staff']);
  for (const [href, label, id] of links) {
    nav.appendChild(
      h('a', { href, class: id === current ? 'current' : '', 'aria-current': id === current ? 'page' : null }, label),
    );
  }
  nav.appendChild(
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        id: 'logout',
        onclick: async () => {
          try {
            await api('/api/console/logout', { method: 'POST', noRedirect: true });
          } catch {
            // Signing out locally is enough if the server is unreachable.
          }
          clearSession();
          location.assign('/console');
        },
      },
      'Se déconnecter',
    ),
  );
}

/** Pages other than the sign-in page need a token. */
export function requireSession() {
  if (!getToken()) {
    location.assign(`/console?next=${encodeURIComponent(location.pathname + location.search)}`);
    return false;
  }
  return true;
}

/**
 * Wide data tables scroll inside their card instead of widening the page (RGAA 10.11 / WCAG 1.4.10 exempts tables
 * from reflow, not from staying inside the screen). Each table goes in a named region that joins the Tab order only
 * while it actually scrolls, so keyboard users can scroll it (axe scrollable-region-focusable) and nobody gets an
 * empty tab stop otherwise.
 */
function scrollableTables() {
  const sync = (wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute('tabindex', '0');
    else wrap.removeAttribute('tabindex');
  };
  const resized =
    'ResizeObserver' in window
      ? new ResizeObserver((entries) => {
          for (const e of entries) {
            const wrap = e.target.closest('.table-wrap');
            if (wrap) sync(wrap);
          }
        })
      : null;
  const wrapAll = () => {
    let heading = null;
    for (const el of document.querySelectorAll('main h1, main h2, main h3, main table')) {
      if (el.tagName !== 'TABLE') {
        heading = el;
        continue;
      }
      if (el.parentElement?.classList.contains('table-wrap')) continue;
      // Named after the table's own label, else the heading it sits under.
      const name = (el.getAttribute('aria-label') || el.caption?.textContent || heading?.textContent || '').trim();
      const wrap = h('div', { class: 'table-wrap', role: 'region', 'aria-label': `Tableau : ${name}` });
      el.replaceWith(wrap);
      wrap.appendChild(el);
      resized?.observe(wrap);
      resized?.observe(el);
    }
    for (const wrap of document.querySelectorAll('.table-wrap')) sync(wrap);
  };
  wrapAll();
  // Tables and rows drawn later (the application's places, every list) are wrapped and measured as they come.
  new MutationObserver(wrapAll).observe(document.querySelector('main') || document.body, {
    childList: true,
    subtree: true,
  });
}
scrollableTables();

/**
 * Asks before an action that cannot be undone (a decision, a release, a bulk action): a modal <dialog> (focus moves
 * into it, Escape cancels, focus returns to the button that opened it). Resolves true only on « confirmLabel ».
 */
export function confirmAction({ title, message, confirmLabel = 'Confirmer', danger = false }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = `confirm-title-${Date.now()}`;
    const ok = h('button', { type: 'button', class: danger ? 'danger' : '', id: 'confirm-ok' }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'confirm-cancel' }, 'Annuler');
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      message ? h('p', {}, message) : null,
      h('div', { class: 'buttons' }, ok, ' ', cancel),
    );
    let answer = false;
    const close = (value) => {
      answer = value;
      dialog.close();
    };
    ok.addEventListener('click', () => close(true));
    cancel.addEventListener('click', () => close(false));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && typeof opener.focus === 'function') opener.focus();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
