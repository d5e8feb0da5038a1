/* Keyboard and screen-reader help on every page: scrolling tables reachable by keyboard, focus on the error
   summary after a refused form. Without this script the pages still work. */
(function () {
  "use strict";
  // A table box that scrolls sideways (narrow screens) must take the keyboard focus to be scrolled.
  document.querySelectorAll(".table-wrap, .chart-scroll").forEach(function (box) {
    if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
    if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      var caption = box.querySelector("caption");
      var heading = null;
      for (var el = box.previousElementSibling; el && !heading; el = el.previousElementSibling) {
        if (/^H[1-4]$/.test(el.tagName)) { heading = el; }
      }
      if (!heading && box.parentElement) { heading = box.parentElement.querySelector("h1, h2, h3, h4"); }
      var text = caption ? caption.textContent : (heading ? heading.textContent : "");
      box.setAttribute("aria-label", "Tabelle" + (text ? ": " + text.trim() : "") + " (seitlich verschiebbar)");
    }
  });
  // After a refused upload or form: the error summary first.
  var summary = document.querySelector(".refusal, [data-error-summary]");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
  }
}());
