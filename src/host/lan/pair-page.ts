/**
 * The page a pairing QR code opens: reads the code from the URL's fragment (never sent to a server,
 * never in a log), drops it from the address bar, exchanges it for the device cookie, then opens
 * the webview. The answer's message says why when it is refused.
 */
export const PAIR_PAGE = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pairing…</title><p id="s" style="font:18px system-ui;margin:2em">Pairing…</p><script>
(async () => {
  const s = document.getElementById('s');
  const code = new URLSearchParams(location.hash.slice(1)).get('code');
  history.replaceState(null, '', location.pathname);
  if (!code) { s.textContent = 'No pairing code here: scan the QR code the host shows.'; document.title = 'Not paired'; return; }
  try {
    const r = await fetch(location.pathname, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
    const a = await r.json();
    document.title = r.ok ? 'Paired' : 'Not paired: ' + a.code;
    s.textContent = r.ok ? 'Paired as ' + a.role + '.' : a.message;
    if (r.ok) location.replace('/');
  } catch (e) { s.textContent = 'Pairing failed: ' + e; document.title = 'Not paired'; }
})();
</script>`;
