// Loaded as a file, not inline, so the strict Content-Security-Policy holds on the API page too.
// No deep links (a link inside each operation's button is a nested interactive element); the server picker
// gets a name once Swagger UI has drawn it.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.dataset.schema, dom_id: "#swagger-ui", deepLinking: false,
    onComplete: function () {
      var servers = document.querySelector("#servers");
      if (servers) { servers.setAttribute("aria-label", "Server"); }
    }
  });
});
