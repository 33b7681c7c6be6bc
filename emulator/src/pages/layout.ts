export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1f36;background:#f6f9fc}
main{max-width:30rem;margin:2rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
main.wide{max-width:72rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.1rem .5rem;border-radius:4px;background:#ffde92;color:#7a4e00}
label{display:block;margin:.75rem 0 .25rem;font-weight:500}input{width:100%;padding:.6rem;border:1px solid #c9d1db;border-radius:6px;font:inherit}
input:focus{outline:2px solid #635bff;outline-offset:1px}fieldset{border:0;padding:0;margin:0}legend{font-weight:600;margin-top:1rem}
.row{display:flex;gap:.75rem;align-items:flex-end}.row>div{flex:1}
button{margin-top:1.25rem;width:100%;padding:.75rem;border:0;border-radius:6px;background:#635bff;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#e3e8ee;color:#1a1f36}
table{width:100%;border-collapse:collapse;margin:.5rem 0}td,th{padding:.4rem;border-bottom:1px solid #e3e8ee;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}.total{font-size:1.2rem;font-weight:600}
[role=alert]{margin:1rem 0;padding:.75rem;border-radius:6px;background:#fde8e8;color:#9b1c1c;border:1px solid #f5b5b5}
.note{color:#5e6c84;font-size:.9rem}a{color:#635bff}code{font-size:.9em}
a.button{display:block;margin-top:.75rem;padding:.65rem;border-radius:6px;background:#e3e8ee;color:#1a1f36;text-align:center;text-decoration:none;font-weight:600}
[role=status]{margin:1rem 0;padding:.75rem;border-radius:6px;background:#e6f4ea;color:#1e4620;border:1px solid #b7dfc2}
.pill{display:inline-block;font-size:.8rem;font-weight:600;padding:.05rem .5rem;border-radius:999px;background:#e3e8ee}
.pill.ok{background:#d7f7c2;color:#05690d}.pill.warn{background:#fcedb9;color:#a82c00}.pill.bad{background:#ffe7f2;color:#b3093c}
section{margin-top:1.5rem}h2{font-size:1.1rem;margin:0 0 .5rem}h3{font-size:1rem;margin:.25rem 0}
.inline{display:flex;gap:.5rem;align-items:flex-end}.inline>div{flex:1}.inline button{width:auto;margin-top:0;padding:.6rem 1rem}
`;

/** A complete HTML document; every page is server-rendered and works without JavaScript. */
export function layout(
  title: string,
  body: string,
  options: { wide?: boolean; refreshSeconds?: number } = {},
): string {
  const refresh = options.refreshSeconds
    ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main${options.wide ? ' class="wide"' : ''}>
${body}
</main>
</body>
</html>`;
}

/**
 * The test page standing in for the card issuer's 3-D Secure 2 challenge: Complete and Fail
 * post `outcome` to `action` while `status` is `requires_action`.
 */
export function challengePage(action: string, status: string, purpose: string, noun: string): string {
  const form = (outcome: string, label: string, cls: string) =>
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="outcome" value="${outcome}"><button type="submit" class="${cls}">${label}</button></form>`;
  const body =
    status === 'requires_action'
      ? `<p>This is a test page standing in for the card issuer's 3-D Secure 2 challenge for ${purpose}.</p>${form('complete', 'Complete', '')}${form('fail', 'Fail', 'secondary')}`
      : `<p>This ${noun} no longer needs authentication (status: ${escapeHtml(status)}).</p>`;
  return layout(
    '3D Secure 2 Test Page',
    `<span class="badge">TEST MODE</span><h1>3D Secure 2 Test Page</h1>${body}`,
  );
}
