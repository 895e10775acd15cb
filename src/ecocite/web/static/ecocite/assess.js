// The assessment form says, as the framework, stage or year changes, how many indicators of
// that year have a value, before anything runs (the server warns again on submit).
(function () {
  "use strict";
  var form = document.getElementById("assess-form");
  var data = document.getElementById("assess-coverage-data");
  var hint = document.getElementById("assess-coverage");
  if (!form || !data || !hint) return;
  var table = JSON.parse(data.textContent);
  function fill(template, c) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(c[key]); });
  }
  function update() {
    var key = form.elements.framework.value + "|" + form.elements.stage.value;
    var c = (table[key] || {})[form.elements.year.value];
    if (!c) { hint.textContent = ""; hint.className = ""; return; }
    var id = c.complete ? "assess-coverage-complete" : "assess-coverage-partial";
    hint.textContent = fill(document.getElementById(id).content.textContent.trim(), c);
    hint.className = c.complete ? "" : "message warning";
  }
  ["framework", "stage", "year"].forEach(function (name) {
    form.elements[name].addEventListener("change", update);
  });
})();
