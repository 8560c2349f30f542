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

  function add(text, who) {
    const p = document.createElement('p');
    p.className = `msg msg--${who}`;
    p.textContent = text;
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  const legend = quick.querySelector('legend');
  function clearQuick() {
    quick.replaceChildren(legend);
  }

  function showQuickReplies(reply) {
    clearQuick();
    const options = reply?.quick_replies || [];
    if (options.length === 0) return;
    const chosen = new Set();
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
      ok.addEventListener('click', () => {
        if (chosen.size === 0) return;
        const picked = options.filter((o) => chosen.has(o.payload));
        send(picked.map((o) => o.payload).join(', '), picked.map((o) => o.title).join(', '));
      });
      quick.appendChild(ok);
    }
  }

  function receive(replies) {
    let last = null;
    for (const r of replies) {
      if (r && typeof r.text === 'string') {
        add(r.text, 'bot');
        last = r;
      }
    }
    showQuickReplies(last);
    input.focus();
  }

  async function newSession() {
    const res = await fetch('/api/chat/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...(campaign ? { campaign } : {}), ...(resume ? { resume } : {}) }),
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
    input.focus();
  })();
})();
