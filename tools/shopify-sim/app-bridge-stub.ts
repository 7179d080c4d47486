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

/** HTML of the simulated admin page framing the app. */
export function adminFramePage(options: { shopDomain: string; appUrl: string; idToken: string }): string {
  const name = options.shopDomain.replace(/\.myshopify\.com$/, "");
  const src = new URL(options.appUrl);
  src.searchParams.set("shop", options.shopDomain);
  src.searchParams.set("host", hostParam(name));
  src.searchParams.set("embedded", "1");
  src.searchParams.set("id_token", options.idToken);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)} · Shopify admin (simulator)</title>
<style>body{margin:0;font:14px system-ui}header{background:#1a1a1a;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
nav a{color:#e3e3e3;text-decoration:none;margin-right:12px}nav a[aria-current]{color:#fff;font-weight:600}iframe{border:0;width:100%;height:calc(100vh - 36px)}</style>
</head><body><header><span>Shopify admin simulator — ${escapeHtml(options.shopDomain)}</span><nav id="app-nav" aria-label="App"></nav></header>
<iframe name="app-iframe" title="app" src="${escapeHtml(src.toString())}"></iframe>
<script>
(() => {
  // The app's <ui-nav-menu> links, shown here as Shopify's admin shows them in its sidebar.
  const appOrigin = ${JSON.stringify(src.origin)};
  const frame = document.querySelector("iframe");
  const nav = document.getElementById("app-nav");
  window.addEventListener("message", (event) => {
    if (event.origin !== appOrigin || !event.data || event.data.type !== "shopify-sim:nav") return;
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
