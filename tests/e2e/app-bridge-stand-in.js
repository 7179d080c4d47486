// A minimal stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js, served by the
// browser test's request interception (the real script cannot load offline).
//
// It does the one thing the app depends on App Bridge for: every same-origin fetch carries
// the session token as `Authorization: Bearer …`, the way App Bridge adds a fresh token from
// the admin. Here the token is the `id_token` the page was opened with. Navigation menus,
// title bars and toasts are inert.
(function () {
  var params = new URLSearchParams(window.location.search);
  // App Bridge moves these elements into the admin's own chrome; they never show in the page.
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu, ui-title-bar, ui-save-bar, ui-modal { display: none !important; }";
  document.head.appendChild(style);
  var token = params.get("id_token");
  var script = document.currentScript;
  window.shopify = {
    config: {
      apiKey: script ? script.getAttribute("data-api-key") : null,
      shop: params.get("shop"),
      host: params.get("host"),
      locale: params.get("locale"),
    },
    idToken: function () {
      return Promise.resolve(token);
    },
    loading: function () {},
    toast: { show: function () {}, hide: function () {} },
  };
  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    if (token && new URL(request.url).origin === window.location.origin && !request.headers.has("Authorization")) {
      var headers = new Headers(request.headers);
      headers.set("Authorization", "Bearer " + token);
      request = new Request(request, { headers: headers });
    }
    return originalFetch(request);
  };
})();
