/* The work queue: one box marks every warning of the page (without this script each is marked by hand). */
(function () {
  "use strict";
  var all = document.getElementById("mark-all");
  if (!all) { return; }
  var boxes = document.querySelectorAll("input[name=befund]");
  document.getElementById("mark-all-row").hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
}());
