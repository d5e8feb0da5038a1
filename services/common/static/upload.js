/* Drag-and-drop for the upload forms. Without this script the plain file field and button still work. */
(function () {
  "use strict";

  function size(bytes) {
    if (bytes >= 1048576) { return (bytes / 1048576).toFixed(1) + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function setUp(form) {
    var zone = form.querySelector("[data-dropzone]");
    var input = form.querySelector("input[type=file]");
    var status = form.querySelector(".dz-status");
    var button = form.querySelector("button[type=submit]");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    if (!zone || !input) { return; }
    zone.classList.add("js");

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("dz-error", !!isError);
    }

    function acceptable(file) {
      if (max && file.size > max) {
        say("«" + file.name + "» ist zu gross (" + size(file.size) + "); höchstens " + size(max) + ".", true);
        return false;
      }
      return true;
    }

    function submit() {
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        if (event.dataTransfer) { event.dataTransfer.dropEffect = "copy"; }
        zone.classList.add("over");
      });
    });
    ["dragleave", "dragend", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || files.length === 0) { return; }
      if (files.length > 1) { say("Bitte nur eine Datei auf einmal hochladen.", true); return; }
      if (!acceptable(files[0])) { return; }
      input.files = files;
      say("«" + files[0].name + "» (" + size(files[0].size) + ")", false);
      submit();
    });
    input.addEventListener("change", function () {
      if (input.files.length && acceptable(input.files[0])) {
        say("«" + input.files[0].name + "» (" + size(input.files[0].size) + ") bereit", false);
      }
    });
    form.addEventListener("submit", function (event) {
      var file = input.files[0];
      if (file && !acceptable(file)) { event.preventDefault(); return; }
      form.classList.add("busy");
      if (button) { button.disabled = true; }
      say("Wird hochgeladen und geprüft …", false);
    });
  }

  document.querySelectorAll("form.upload").forEach(setUp);
  // Back from the result page (page cache): the form is usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.upload.busy").forEach(function (form) {
      form.classList.remove("busy");
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = false; }
    });
  });
  // A file dropped beside a drop zone must not make the browser leave the page.
  ["dragover", "drop"].forEach(function (name) {
    window.addEventListener(name, function (event) {
      if (!event.target.closest || !event.target.closest("[data-dropzone]")) { event.preventDefault(); }
    });
  });
}());
