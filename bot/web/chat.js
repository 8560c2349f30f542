// The chat page. Plain JavaScript, no framework, no third-party script. Bot text is inserted with textContent only:
// whatever the bot or the user wrote (HTML, emoji, bidi characters) is shown as text, never interpreted.
(() => {
  const root = document.getElementById('chat');
  const log = document.getElementById('messages');
  const quick = document.getElementById('quick-replies');
  const form = document.getElementById('composer');
  const input = document.getElementById('message');
  const status = document.getElementById('chat-status');
  const TOKEN_KEY = 'aptic.chat.token';
  const campaign = root.dataset.campaign || (location.pathname.match(/^\/go\/([A-Za-z0-9_-]{1,40})/) || [])[1] || '';
  // A network invitation's token (`/go/<code>?m=…`), put in the page by the server.
  const invite = /^[A-Za-z0-9_-]{10,100}$/.test(root.dataset.invite || '') ? root.dataset.invite : '';
  // Opened from the actor space (/espace) on one application: `?reprise=<id>`, with the actor token that page keeps
  // in this tab's sessionStorage. A new conversation is bound to that application by the server.
  const ACTOR_TOKEN_KEY = 'aptic.actor.token';
  const resumeId = new URLSearchParams(location.search).get('reprise');
  const actorToken = sessionStorage.getItem(ACTOR_TOKEN_KEY);
  const resume =
    resumeId && actorToken && /^[0-9a-f-]{36}$/.test(resumeId) ? { applicationId: resumeId, token: actorToken } : null;
  if (resumeId) history.replaceState(null, '', location.pathname);
  let token = resume ? null : sessionStorage.getItem(TOKEN_KEY);
  let socket = null;
  let socketFailures = 0;

  // Web addresses and the actor space's path in a bot message become links (built as elements: text stays text).
  const LINK = /(https?:\/\/[^\s<>«»"]+[^\s<>«»".,;:!?)])|(\/espace)(?![\w/])/g;
  function appendWithLinks(el, text) {
    let at = 0;
    for (const m of text.matchAll(LINK)) {
      const href = m[0];
      let ok = href === '/espace';
      if (!ok) {
        try {
          const u = new URL(href);
          ok = u.protocol === 'https:' || u.protocol === 'http:';
        } catch {
          ok = false;
        }
      }
      if (!ok) continue;
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      const a = document.createElement('a');
      a.href = href;
      a.textContent = href;
      if (href !== '/espace') {
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        a.setAttribute('aria-label', `${href} (nouvelle fenêtre)`);
      }
      el.appendChild(a);
      at = m.index + href.length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
  }

  // A long paragraph is hard to read on a phone (« walls of text »): a bot line over LONG characters is cut at
  // sentence ends into bubbles of about that size. Lists (several short lines) stay in one bubble.
  const LONG = 320;
  function chunks(text) {
    // A question with its numbered options (three short lines or more) stays whole, as does a short text.
    const lines = text.split('\n');
    if (text.length <= LONG || (lines.length >= 3 && lines.every((line) => line.length <= 120))) return [text];
    const out = [];
    let current = '';
    for (const line of text.split('\n')) {
      // Sentence ends: a stop followed by a space (« console.aptic.fr » or « 26/03/2019 » are not cut).
      const sentences = line.length > LONG ? line.split(/(?<=[.!?;])\s+/) : [line];
      for (const [i, sentence] of sentences.entries()) {
        const sep = current === '' ? '' : i === 0 ? '\n' : ' ';
        if (current !== '' && current.length + sep.length + sentence.length > LONG) {
          out.push(current.trim());
          current = sentence;
        } else current += sep + sentence;
      }
    }
    if (current.trim()) out.push(current.trim());
    return out;
  }

  /** Adds one message (several bubbles for a long bot text); returns the first bubble. */
  function add(text, who) {
    let first = null;
    for (const part of who === 'bot' ? chunks(text) : [text]) {
      const p = document.createElement('p');
      p.className = `msg msg--${who}`;
      if (who === 'bot') appendWithLinks(p, part);
      else p.textContent = part;
      log.appendChild(p);
      first = first || p;
    }
    // The log is role="log" (aria-live polite): screen readers announce each new message without focus moving, so
    // typing is never interrupted. Sighted users see it scrolled into view.
    log.scrollTop = log.scrollHeight;
    return first;
  }

  // Keeps the start of the last bot reply (the question) in view: when the reply is taller than the log (a long
  // question above nine quick replies on a phone), its top is shown rather than its end.
  function keepInView(first) {
    if (!first) {
      log.scrollTop = log.scrollHeight;
      return;
    }
    const replyHeight = log.scrollHeight - first.offsetTop;
    log.scrollTop = replyHeight > log.clientHeight ? first.offsetTop - 8 : log.scrollHeight;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  const legend = quick.querySelector('legend');
  // An empty « Réponses proposées » group would still be announced (and drawn): hidden when there is nothing in it.
  function clearQuick() {
    quick.replaceChildren(legend);
    quick.hidden = true;
  }

  function showQuickReplies(reply) {
    clearQuick();
    const options = reply?.quick_replies || [];
    if (options.length === 0) return;
    quick.hidden = false;
    const chosen = new Set();
    let hint = null;
    for (const option of options) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = option.title;
      if (reply.multiple) {
        b.setAttribute('aria-pressed', 'false');
        b.addEventListener('click', () => {
          if (chosen.has(option.payload)) chosen.delete(option.payload);
          else chosen.add(option.payload);
          b.setAttribute('aria-pressed', String(chosen.has(option.payload)));
          if (hint && chosen.size > 0) hint.textContent = '';
        });
      } else {
        b.addEventListener('click', () => send(option.payload, option.title));
      }
      quick.appendChild(b);
    }
    if (reply.multiple) {
      const ok = document.createElement('button');
      ok.type = 'button';
      ok.className = 'chat__validate';
      ok.textContent = 'Valider ma sélection';
      // role="alert" on a node already in the page: the message is announced when its text changes.
      hint = document.createElement('p');
      hint.id = 'quick-hint';
      hint.className = 'chat__hint';
      hint.setAttribute('role', 'alert');
      ok.setAttribute('aria-describedby', 'quick-hint');
      ok.addEventListener('click', () => {
        if (chosen.size === 0) {
          hint.textContent = 'Sélectionnez au moins une réponse avant de valider (ou écrivez votre réponse).';
          return;
        }
        const picked = options.filter((o) => chosen.has(o.payload));
        send(picked.map((o) => o.payload).join(', '), picked.map((o) => o.title).join(', '));
      });
      quick.appendChild(ok);
      quick.appendChild(hint);
    }
  }

  // Focus goes back to the input only when it was lost (the quick reply just pressed was removed) or was already
  // there: someone reading the log or tabbing through the page is not pulled away by an incoming message.
  function refocusInput() {
    const active = document.activeElement;
    if (!active || active === document.body || active === input || !document.contains(active)) input.focus();
  }

  // « Parler à quelqu’un »: while a request waits for the team's first answer (a reply says `support: 'waiting'`),
  // the page asks now and then (`poll`, no turn); the answer comes as a reply `from: 'staff'`.
  let pollTimer = null;
  function followSupport(replies) {
    const waiting = replies.some((r) => r && r.support === 'waiting');
    if (waiting && !pollTimer) pollTimer = setInterval(() => deliver({ type: 'poll' }), 20_000);
    if (!waiting && pollTimer && replies.some((r) => r && r.from === 'staff')) {
      clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function receive(replies) {
    followSupport(replies);
    let last = null;
    let lastFirst = null;
    for (const r of replies) {
      if (r && typeof r.text === 'string' && r.text !== '') {
        const first = add(r.text, r.from === 'staff' ? 'staff' : 'bot');
        if (r.from !== 'staff') {
          lastFirst = first;
          last = r;
        }
      }
    }
    // A poll with nothing new leaves the quick replies on screen as they were.
    if (last === null && replies.every((r) => !r || r.text === '' || r.from === 'staff')) {
      if (replies.some((r) => r && r.from === 'staff')) log.scrollTop = log.scrollHeight;
      return;
    }
    showQuickReplies(last);
    // The quick replies take room from the log: scroll again once they are in place, the question kept in view.
    keepInView(lastFirst);
    refocusInput();
  }

  async function newSession() {
    const res = await fetch('/api/chat/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...(campaign ? { campaign } : {}),
        ...(campaign && invite ? { invite } : {}),
        ...(resume ? { resume } : {}),
      }),
    });
    if ((res.status === 401 || res.status === 403) && resume) {
      add('Votre connexion a expiré : reconnectez-vous depuis votre espace demandeur (/espace).', 'note');
    }
    if (!res.ok) throw new Error(`session ${res.status}`);
    token = (await res.json()).token;
    sessionStorage.setItem(TOKEN_KEY, token);
  }

  async function viaWebhook(payload) {
    const res = await fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(payload),
    });
    if (res.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      await newSession();
      return viaWebhook(payload);
    }
    const body = await res.json().catch(() => null);
    if (Array.isArray(body)) receive(body);
    else if (body?.message) receive([{ text: body.message }]);
  }

  function deliver(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
    else
      viaWebhook(payload).catch(() =>
        add('Le message n’a pas pu être envoyé. Vérifiez votre connexion et réessayez.', 'note'),
      );
  }

  function send(text, shown) {
    const t = text.trim();
    if (!t) return;
    clearQuick();
    add(shown || t, 'user');
    deliver({ type: 'message', text: t });
  }

  function connect() {
    if (!('WebSocket' in window) || socketFailures >= 2) {
      setStatus('Connecté (mode simple)');
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const ws = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
      let opened = false;
      ws.addEventListener('open', () => {
        opened = true;
        socket = ws;
        socketFailures = 0;
        setStatus('Connecté');
        resolve(true);
      });
      ws.addEventListener('message', (event) => {
        try {
          const data = JSON.parse(event.data);
          if (data && data.type === 'replies' && Array.isArray(data.replies)) receive(data.replies);
        } catch {
          /* not for us */
        }
      });
      ws.addEventListener('close', (event) => {
        socket = null;
        if (!opened) {
          socketFailures++;
          resolve(false);
          return;
        }
        if (event.code === 4001) {
          setStatus('Conversation reprise dans une autre fenêtre.');
          add('Cette conversation continue dans une autre fenêtre ou un autre onglet.', 'note');
          return;
        }
        setStatus('Connexion interrompue, nouvel essai…');
        setTimeout(() => connect(), 2000);
      });
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(input.value);
    input.value = '';
    input.focus();
  });

  (async () => {
    try {
      if (!token) await newSession();
      const ws = await connect();
      if (!ws) setStatus('Connecté (mode simple)');
      deliver({ type: 'hello' });
    } catch {
      setStatus('Service indisponible pour le moment.');
      add('Le service est momentanément indisponible. Réessayez dans quelques minutes.', 'note');
    }
    refocusInput();
  })();
})();
