import { randomUUID } from "node:crypto";
import type { DemoUser } from "./users.js";

/**
 * The demo IdP's HTML. Every page's <body> carries `data-page` (which page) and `data-render` (unique per
 * response), so automation can tell a fresh page from the one it just acted on. Form fields and buttons keep
 * stable names: `input[name=login]`, `input[name=password]`, `button[value=approve]`, `button[value=deny]`,
 * `input[name=user_code]`, `button[value=continue]`, `button[value=abort]`, `button[value=logout]`.
 */
export type PageName =
  | "login"
  | "consent"
  | "device-code"
  | "device-confirm"
  | "device-done"
  | "logout"
  | "logged-out"
  | "error";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#eef1f5;
  font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24}
main{width:min(420px,92vw);background:#fff;border-radius:10px;box-shadow:0 2px 12px rgba(20,30,50,.12);padding:28px 32px}
header{display:flex;align-items:center;gap:8px;margin-bottom:18px;font-size:13px;color:#5a6472}
header b{color:#0b5cad;white-space:nowrap}
.tag{margin-left:auto;white-space:nowrap;background:#fff4d6;color:#7a5200;border-radius:4px;padding:1px 6px;font-size:11px}
h1{font-size:21px;font-weight:600;margin:0 0 6px}
p{margin:6px 0 14px}
label{display:block;font-size:13px;color:#5a6472;margin:12px 0 4px}
input[type=text],input[type=password]{width:100%;padding:9px 10px;font-size:15px;border:1px solid #c5ccd6;border-radius:6px}
input:focus{outline:2px solid #0b5cad33;border-color:#0b5cad}
.actions{display:flex;gap:10px;margin-top:20px}
button{flex:1;padding:10px;font-size:15px;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}
.error{background:#fdecec;color:#a11a1a;border-radius:6px;padding:8px 10px;margin:10px 0}
.note{font-size:13px;color:#5a6472;background:#f5f7fa;border-radius:6px;padding:8px 10px;margin-top:18px}
ul.permissions{padding-left:20px;margin:8px 0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
.code{font:600 26px ui-monospace,monospace;letter-spacing:3px;text-align:center;margin:14px 0}
`;

/** `autoSubmit` is a script that moves on by itself; the body then says so (`data-auto`) to automation. */
export function page(name: PageName, title: string, body: string, autoSubmit = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · entra-tray demo</title><style>${STYLE}</style></head>
<body data-page="${name}" data-render="${randomUUID()}"${autoSubmit ? " data-auto" : ""}><main>
<header><b>entra-tray</b> demo identity provider<span class="tag">DEMO – not a real tenant</span></header>
${body}
</main>${autoSubmit ? `<script>${autoSubmit}</script>` : ""}</body></html>`;
}

const errorBox = (message: string | undefined): string =>
  message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : "";

export function loginPage(options: {
  action: string;
  users: readonly DemoUser[];
  clientName: string;
  prefill?: string;
  error?: string;
}): string {
  const { action, users, clientName, prefill, error } = options;
  const options_ = users.map((u) => `<option value="${escapeHtml(u.username)}">`).join("");
  const accounts = users
    .map((u) => `<li><code>${escapeHtml(u.username)}</code> / <code>${escapeHtml(u.password)}</code></li>`)
    .join("");
  return page(
    "login",
    "Sign in",
    `<h1>Sign in</h1><p>to continue to <b>${escapeHtml(clientName)}</b></p>${errorBox(error)}
<form method="post" action="${escapeHtml(action)}" autocomplete="off">
<label for="login">Username</label>
<input id="login" type="text" inputmode="email" name="login" list="demo-users" required value="${escapeHtml(prefill ?? "")}"
 ${prefill ? "" : "autofocus"}><datalist id="demo-users">${options_}</datalist>
<label for="password">Password</label>
<input id="password" type="password" name="password" required ${prefill ? "autofocus" : ""}>
<div class="actions"><button type="submit" value="sign-in">Sign in</button></div>
</form>
<div class="note">Demo accounts (username / password):<ul>${accounts}</ul></div>`,
  );
}

export function consentPage(options: {
  action: string;
  user: DemoUser;
  clientName: string;
  permissions: readonly string[];
}): string {
  const { action, user, clientName, permissions } = options;
  const items = permissions.map((p) => `<li>${escapeHtml(p)}</li>`).join("");
  return page(
    "consent",
    "Permissions requested",
    `<h1>Permissions requested</h1>
<p><b>${escapeHtml(clientName)}</b> wants to, as <b>${escapeHtml(user.username)}</b>:</p>
<ul class="permissions">${items}</ul>
<form method="post" action="${escapeHtml(action)}">
<div class="actions">
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
<button type="submit" name="decision" value="approve" autofocus>Approve</button>
</div></form>`,
  );
}

/** `form` is oidc-provider's form (id `op.deviceInputForm`, field `user_code`, CSRF token). */
export function deviceCodePage(form: string, error?: string): string {
  return page(
    "device-code",
    "Enter code",
    `<h1>Enter code</h1><p>Type the code shown on your device or terminal.</p>${errorBox(error)}
${form}
<div class="actions"><button type="submit" form="op.deviceInputForm" value="continue">Continue</button></div>`,
  );
}

/** `form` is oidc-provider's confirmation form (id `op.deviceConfirmForm`). */
export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    "device-confirm",
    "Confirm sign-in",
    `<h1>Are you signing in to ${escapeHtml(clientName)}?</h1>
<p>Continue only if your device or terminal shows this code:</p><div class="code">${escapeHtml(userCode)}</div>
${form}
<div class="actions">
<button type="submit" form="op.deviceConfirmForm" name="abort" value="abort" class="secondary">Cancel</button>
<button type="submit" form="op.deviceConfirmForm" value="continue" autofocus>Continue</button>
</div>`,
  );
}

export function deviceDonePage(clientName: string): string {
  return page(
    "device-done",
    "Signed in",
    `<h1>You're signed in</h1><p>You have signed in to <b>${escapeHtml(clientName)}</b> on your device. You can close this window.</p>`,
  );
}

/**
 * `form` is oidc-provider's logout form (id `op.logoutForm`). With `autoSubmit` (the app named the signed-in
 * account with `logout_hint` or `id_token_hint`) the page signs out at once, as Entra does; otherwise it asks.
 */
export function logoutPage(form: string, user: DemoUser | undefined, autoSubmit: boolean): string {
  const who = user ? ` as <b>${escapeHtml(user.username)}</b>` : "";
  return page(
    "logout",
    "Sign out",
    `<h1>Sign out?</h1><p>You are signed in${who}.</p>
${form}
<div class="actions">
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>
<button type="submit" form="op.logoutForm" name="logout" value="logout" autofocus>Sign out</button>
</div>`,
    autoSubmit ? `document.querySelector('button[value=logout]').click()` : "",
  );
}

export function loggedOutPage(): string {
  return page("logged-out", "Signed out", `<h1>You're signed out</h1><p>You can close this window.</p>`);
}

export function errorPage(error: string, description: string | undefined): string {
  return page(
    "error",
    "Sign-in error",
    `<h1>Something went wrong</h1>${errorBox(description ? `${description} (${error})` : error)}
<p>Close this window and try again from the app.</p>`,
  );
}
