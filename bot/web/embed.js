// One script tag for partner sites: <script src="https://<our host>/embed.js" data-campaign="CODE" async></script>
// Adds a button that opens our chat page in an iframe. Loads nothing else, from nowhere else; our origin is taken
// from this script's own URL.
(() => {
  const me = document.currentScript;
  if (!me?.src) return;
  const origin = new URL(me.src).origin;
  const code = (me.dataset.campaign || '').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);
  const src = code ? `${origin}/go/${code}` : `${origin}/`;
  const label = me.dataset.label || 'Devenir lieu #APTIC : discuter avec l’assistant';

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.style.cssText =
    'position:fixed;right:1rem;bottom:1rem;z-index:2147483646;padding:.75rem 1rem;border:0;border-radius:2rem;background:#000091;color:#fff;font:600 1rem/1.2 system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)';

  let frame = null;
  button.addEventListener('click', () => {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = src;
      frame.title = 'Assistant #APTIC';
      frame.style.cssText =
        'position:fixed;right:1rem;bottom:4.5rem;z-index:2147483647;width:min(26rem,calc(100vw - 2rem));height:min(40rem,calc(100vh - 6rem));border:1px solid #ccc;border-radius:.75rem;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.3)';
      frame.setAttribute('referrerpolicy', 'no-referrer');
      document.body.appendChild(frame);
      button.setAttribute('aria-expanded', 'true');
      frame.focus();
      return;
    }
    const open = frame.style.display === 'none';
    frame.style.display = open ? 'block' : 'none';
    button.setAttribute('aria-expanded', String(open));
  });
  document.body.appendChild(button);
})();
