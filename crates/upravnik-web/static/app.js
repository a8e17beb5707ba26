// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search field of the page (UI.md: keyboard).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var s = document.querySelector("[data-search]");
    if (s) { e.preventDefault(); s.focus(); s.select(); }
  });
  // A print button appears only where it works (the printable knowledge-base page).
  var printButtons = document.querySelectorAll("[data-print]");
  for (var p = 0; p < printButtons.length; p++) {
    printButtons[p].hidden = false;
    printButtons[p].addEventListener("click", function () { window.print(); });
  }
  // Destructive actions ask once and name what will happen.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    var q = f && f.getAttribute && f.getAttribute("data-confirm");
    if (q && !window.confirm(q)) e.preventDefault();
  });
  // "All on this page" ticks every row too, so the choice is visible; without this file the
  // server reads that box itself and takes every row of the page.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.hasAttribute && t.hasAttribute("data-row-check") && !t.checked && t.form) {
      var all = t.form.querySelector("[data-select-all]");
      if (all) all.checked = false;
      return;
    }
    if (!t || !t.hasAttribute || !t.hasAttribute("data-select-all")) return;
    var boxes = t.form ? t.form.querySelectorAll("[data-row-check]") : [];
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = t.checked;
  });
})();
