// Loaded as a file, not inline, so the strict Content-Security-Policy holds on the API page too.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: document.body.dataset.schema, dom_id: "#swagger-ui", deepLinking: true });
});
