/* Suggestions for a place field as it is typed (input[data-suggest] with a datalist), from the public localities
   API (Quelle: swisstopo). Without this script the field takes a postcode or a place as typed. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var timer = null;
    var pending = null;
    var shown = "";
    if (!list) { return; }

    function fill(localities) {
      var options = localities.map(function (loc) {
        var option = document.createElement("option");
        option.value = loc.label;
        option.label = loc.canton;
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    function ask(text) {
      if (pending) { pending.abort(); }
      pending = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json" }, signal: pending ? pending.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { localities: [] };
      }).then(function (data) {
        shown = text;
        fill(data.localities || []);
      }).catch(function () { /* aborted or offline: the field still takes what is typed */ });
    }

    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      if (text.length < 2) { fill([]); shown = ""; return; }
      if (text === shown) { return; }
      timer = window.setTimeout(function () { ask(text); }, 150);
    });
  });
}());
