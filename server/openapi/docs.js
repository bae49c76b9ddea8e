// The API reference page's initializer (GET /api/docs/docs.js). A file of its own, not an inline script:
// the console's Content-Security-Policy is script-src 'self'. It reads the OpenAPI document with the
// console's session cookie and hands it to Swagger UI; without a session it says to sign in first.
(() => {
  const status = document.getElementById('docs-status');
  const say = (text, link) => {
    status.textContent = text;
    if (link) {
      const a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      status.append(' ', a);
    }
    status.hidden = false;
  };

  /** cookie-authenticated mutations must be JSON, bodyless ones too (rotate, revoke, sign-out) */
  const asJson = (request) => {
    const method = (request.method || 'GET').toUpperCase();
    const headers = request.headers || {};
    const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
    if (method !== 'GET' && method !== 'HEAD' && !hasType)
      request.headers = { ...headers, 'Content-Type': 'application/json' };
    return request;
  };

  fetch('/api/openapi.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then((res) => {
      if (res.status === 401) {
        say('Sign in to the console to read the API reference.', { href: '/', text: 'Open the console' });
        return undefined;
      }
      if (!res.ok) {
        say(`The API reference could not be loaded (HTTP ${res.status}).`);
        return undefined;
      }
      return res.json();
    })
    .then((spec) => {
      if (!spec) return;
      status.hidden = true;
      window.ui = window.SwaggerUIBundle({
        spec,
        dom_id: '#swagger-ui',
        deepLinking: true,
        presets: [window.SwaggerUIBundle.presets.apis],
        layout: 'BaseLayout',
        // no call to the public validator service: these machines reach no other host
        validatorUrl: null,
        requestInterceptor: asJson,
      });
    })
    .catch((err) => say(`The API reference could not be loaded: ${err.message}`));
})();
