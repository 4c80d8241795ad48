/**
 * The inspector's HTML shell. It holds no secret: the page reads its token from the URL's fragment
 * (`#token=`), which browsers never send to a server nor put in a `Referer`.
 */
export function inspectorHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>hise-webview inspector</title>
<link rel="stylesheet" href="inspector.css">
<script type="module" src="inspector.js"></script>
</head>
<body>
<noscript>The inspector needs JavaScript.</noscript>
</body>
</html>
`;
}

/**
 * Headers of every inspector answer: only its own scripts and styles run, it talks to its own
 * origin only, no site may frame it (clickjacking its console), and no referrer leaves it.
 */
export const INSPECTOR_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;
