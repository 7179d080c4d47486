/**
 * Local stand-ins for Shopify's admin: an App Bridge script defining `window.shopify`
 * (idToken, toast, loading, config, environment, user) and an admin page that frames the app
 * URL with `?shop=…&host=…&embedded=1&id_token=…`, so the embedded app can be opened and
 * browser-tested without Shopify.
 */

/**
 * JavaScript served at /app-bridge.js. It fetches fresh session tokens from the simulator at
 * `simulatorUrl` (baked in, so the script also works when a browser test serves it in place of
 * https://cdn.shopify.com/shopifycloud/app-bridge.js).
 */
export function appBridgeScript(simulatorUrl: string): string {
  return `(() => {
  const script = document.currentScript;
  const simOrigin = ${JSON.stringify(simulatorUrl)};
  const params = new URLSearchParams(location.search);
  const shop = params.get("shop") || "";
  const apiKey = (script && script.dataset.apiKey) || "";
  const toastHost = () => {
    let el = document.getElementById("shopify-sim-toasts");
    if (!el) {
      el = document.createElement("div");
      el.id = "shopify-sim-toasts";
      el.setAttribute("role", "status");
      el.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:99999;font:14px system-ui";
      document.body.appendChild(el);
    }
    return el;
  };
  let toastSeq = 0;
  window.shopify = {
    config: { apiKey, shop, host: params.get("host") || "", locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: simOrigin,
    async idToken() {
      const response = await fetch(simOrigin + "/session-token?shop=" + encodeURIComponent(shop));
      if (!response.ok) throw new Error("shopify-sim: session token request failed (" + response.status + ")");
      return response.text();
    },
    async user() { return { id: 1, name: "Sim Merchant", accountAccess: "Account owner" }; },
    toast: {
      show(message, options) {
        const id = "toast-" + (++toastSeq);
        const el = document.createElement("div");
        el.dataset.toastId = id;
        el.dataset.error = String(Boolean(options && options.isError));
        el.textContent = message;
        el.style.cssText = "background:#303030;color:#fff;padding:8px 16px;border-radius:8px;margin-top:8px";
        toastHost().appendChild(el);
        setTimeout(() => el.remove(), (options && options.duration) || 5000);
        return id;
      },
      hide(id) { const el = document.querySelector('[data-toast-id="' + id + '"]'); if (el) el.remove(); },
    },
    loading(isLoading) { document.documentElement.dataset.shopifyLoading = String(Boolean(isLoading)); },
    saveBar: { show: async () => {}, hide: async () => {}, toggle: async () => {}, leaveConfirmation: async () => {} },
    modal: { show: async () => {}, hide: async () => {}, toggle: async () => {} },
    resourcePicker: async () => undefined,
  };
  // Like App Bridge, <ui-nav-menu> (what @shopify/app-bridge-react's NavMenu renders) is not
  // shown in the app: its links go to the admin's navigation, and a click there comes back as
  // a "shopify:navigate" event, which shopify-app-remix's AppProvider turns into a route change.
  const hideNav = document.createElement("style");
  hideNav.textContent = "ui-nav-menu{display:none}";
  document.head.appendChild(hideNav);
  if (window.customElements && !customElements.get("ui-nav-menu")) {
    customElements.define("ui-nav-menu", class extends HTMLElement {
      connectedCallback() {
        const publish = () => {
          const items = Array.from(this.querySelectorAll("a"))
            .filter((a) => a.getAttribute("rel") !== "home")
            .map((a) => ({ label: (a.textContent || "").trim(), href: a.getAttribute("href") }));
          if (window.parent !== window) window.parent.postMessage({ type: "shopify-sim:nav", items }, simOrigin);
        };
        publish();
        new MutationObserver(publish).observe(this, { subtree: true, childList: true, characterData: true });
      }
    });
  }
  window.addEventListener("message", (event) => {
    if (event.origin !== simOrigin || !event.data || event.data.type !== "shopify-sim:navigate") return;
    const link = document.createElement("a");
    link.setAttribute("href", event.data.href);
    document.body.appendChild(link);
    link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    link.remove();
  });
  // Like App Bridge, keep the admin's address in step with the app's: every route change is
  // reported to the admin page, which puts the app's path in its own URL (so a reload or a
  // shared link opens the same app page).
  const reportLocation = () => {
    if (window.parent === window) return;
    const search = new URLSearchParams(location.search);
    for (const key of ["shop", "host", "embedded", "id_token", "locale", "hmac", "timestamp", "session"]) search.delete(key);
    const query = search.toString();
    window.parent.postMessage({ type: "shopify-sim:location", path: location.pathname + (query ? "?" + query : "") }, simOrigin);
  };
  for (const method of ["pushState", "replaceState"]) {
    const original = history[method].bind(history);
    history[method] = (...args) => {
      const result = original(...args);
      reportLocation();
      return result;
    };
  }
  window.addEventListener("popstate", reportLocation);
  reportLocation();
  // Like App Bridge, add a fresh session token to the app's own fetch calls.
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.url, location.href);
    if (url.origin !== location.origin) return originalFetch(input, init);
    const headers = new Headers((init && init.headers) || (typeof input !== "string" ? input.headers : undefined));
    if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await window.shopify.idToken()));
    return originalFetch(input, { ...init, headers });
  };
})();
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** `host` parameter Shopify passes to embedded apps: base64url of "admin.shopify.com/store/<name>". */
export function hostParam(shopName: string): string {
  return Buffer.from(`admin.shopify.com/store/${shopName}`).toString("base64url");
}

/** The admin's languages the simulator offers (the app's own: en, nl, da). */
export const ADMIN_LOCALES = ["en", "nl", "da"] as const;

/**
 * HTML of the simulated admin page framing the app at `appUrl`. As in Shopify's admin:
 * - the app's path is kept in the admin URL, `/store/<name>/apps/<key>/<path below appRoot>`
 *   (the app reports each route change, app-bridge.js above), so a reload reopens that page
 *   with fresh `shop`, `host` and `id_token` parameters;
 * - the admin's language (`?locale=`, a switch in the header) is passed to the app.
 * `appRoot` is the app's URL as configured (default `appUrl`); the admin URL's own query
 * (`locale` and the app's parameters) is carried into the frame.
 */
export function adminFramePage(options: { shopDomain: string; appUrl: string; idToken: string; appRoot?: string }): string {
  const name = options.shopDomain.replace(/\.myshopify\.com$/, "");
  const src = new URL(options.appUrl);
  src.searchParams.set("shop", options.shopDomain);
  src.searchParams.set("host", hostParam(name));
  src.searchParams.set("embedded", "1");
  src.searchParams.set("id_token", options.idToken);
  const root = new URL(options.appRoot ?? options.appUrl);
  const locales = ADMIN_LOCALES.map((l) => `<option value="${l}">${l}</option>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)} · Shopify admin (simulator)</title>
<style>body{margin:0;font:14px system-ui}header{background:#1a1a1a;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
nav a{color:#e3e3e3;text-decoration:none;margin-right:12px}nav a[aria-current]{color:#fff;font-weight:600}iframe{border:0;width:100%;height:calc(100vh - 36px)}
header label{margin-left:auto}header select{margin-left:6px}</style>
</head><body><header><span>Shopify admin simulator — ${escapeHtml(options.shopDomain)}</span><nav id="app-nav" aria-label="App"></nav>
<label>Language<select id="admin-locale">${locales}</select></label></header>
<iframe name="app-iframe" title="app" src="${escapeHtml(src.toString())}"></iframe>
<script>
(() => {
  const appOrigin = ${JSON.stringify(src.origin)};
  const appRootPath = ${JSON.stringify(root.pathname.replace(/\/$/, ""))};
  const frame = document.querySelector("iframe");
  const nav = document.getElementById("app-nav");
  // The admin URL's base: /store/<name>/apps/<key>, whatever app path follows it.
  const basePath = new RegExp("^/store/[^/]+/apps/[^/]+").exec(location.pathname);
  const adminBase = basePath ? basePath[0] : location.pathname;
  const adminQuery = new URLSearchParams(location.search);
  // The admin's language and the app's own parameters reach the app on every (re)load.
  const initial = new URL(frame.src);
  let changed = false;
  for (const [key, value] of adminQuery) {
    if (!initial.searchParams.has(key)) {
      initial.searchParams.set(key, value);
      changed = true;
    }
  }
  if (changed) frame.src = initial.toString();
  const localeSwitch = document.getElementById("admin-locale");
  localeSwitch.value = adminQuery.get("locale") || "en";
  localeSwitch.addEventListener("change", () => {
    const next = new URL(location.href);
    next.searchParams.set("locale", localeSwitch.value);
    location.assign(next.toString());
  });
  window.addEventListener("message", (event) => {
    if (event.origin !== appOrigin || !event.data) return;
    if (event.data.type === "shopify-sim:location") {
      // The app's path below its root, in the admin's address (as admin.shopify.com does).
      const appUrl = new URL(event.data.path, appOrigin);
      let below = appUrl.pathname.startsWith(appRootPath) ? appUrl.pathname.slice(appRootPath.length) : appUrl.pathname;
      while (below.startsWith("/")) below = below.slice(1);
      const query = new URLSearchParams(appUrl.search);
      const locale = adminQuery.get("locale");
      if (locale) query.set("locale", locale);
      const search = query.toString();
      history.replaceState(null, "", adminBase + (below ? "/" + below : "") + (search ? "?" + search : ""));
      return;
    }
    if (event.data.type !== "shopify-sim:nav") return;
    // The app's <ui-nav-menu> links, shown here as Shopify's admin shows them in its sidebar.
    nav.replaceChildren(...event.data.items.map((item) => {
      const a = document.createElement("a");
      a.href = "#";
      a.textContent = item.label;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        nav.querySelectorAll("a").forEach((x) => x.removeAttribute("aria-current"));
        a.setAttribute("aria-current", "page");
        frame.contentWindow.postMessage({ type: "shopify-sim:navigate", href: item.href }, appOrigin);
      });
      return a;
    }));
  });
})();
</script></body></html>`;
}
