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
  // While a fault is described, matching self-help articles are offered (R.47–R.51): small
  // problems get solved without a report. Without this file the form simply has no suggestions.
  var kb = document.querySelector("[data-kb-suggest]");
  if (kb && window.fetch) {
    var kbForm = kb.previousElementSibling;
    var kbTimer = null, kbLast = "";
    var kbAsk = function () {
      var words = [];
      ["title", "description"].forEach(function (n) {
        var el = kbForm && kbForm.querySelector("[name='" + n + "']");
        if (el && el.value) words.push(el.value);
      });
      var q = words.join(" ").trim().slice(0, 500);
      if (q === kbLast) return;
      kbLast = q;
      if (q.length < 3) { kb.hidden = true; return; }
      fetch("/api/v1/kb/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) {
          if (q !== kbLast) return;
          var list = kb.querySelector("ul");
          while (list.firstChild) list.removeChild(list.firstChild);
          (data.items || []).forEach(function (it) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = it.url; a.textContent = it.title; a.target = "_blank"; a.rel = "noopener";
            li.appendChild(a);
            if (it.excerpt) { var p = document.createElement("p"); p.textContent = it.excerpt; li.appendChild(p); }
            list.appendChild(li);
          });
          kb.hidden = list.children.length === 0;
        })
        .catch(function () { kb.hidden = true; });
    };
    document.addEventListener("input", function (e) {
      if (!kbForm || !kbForm.contains(e.target)) return;
      clearTimeout(kbTimer);
      kbTimer = setTimeout(kbAsk, 250);
    });
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
