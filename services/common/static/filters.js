/* Filter forms marked data-autosubmit apply a choice at once; without this script the button does it. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.name === "jahr") {
          var month = form.querySelector("select[name=monat]");
          if (month) { month.value = ""; }
        }
        form.submit();
      });
    });
  });
}());
