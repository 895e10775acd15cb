// Scenario sliders: as a slider moves, ask the server for the effect and redraw the results
// (text only, no HTML from the server). Without this script, "See the effect" reloads the page.
(function () {
  "use strict";
  var form = document.getElementById("sliders-form");
  if (!form) { return; }
  var url = form.getAttribute("data-evaluate");
  var pending = null;
  var latest = 0;

  function text(tag, value, attrs) {
    var el = document.createElement(tag);
    el.textContent = value;
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function redraw(data) {
    var body = document.querySelector("#effect-table tbody");
    if (!body || !data.indicators) { return; }
    var rows = body.querySelectorAll("tr");
    data.indicators.forEach(function (item, i) {
      var row = rows[i];
      if (!row) { return; }
      var cells = row.querySelectorAll("td");
      row.className = item.worse ? "worse" : "";
      cells[1].textContent = item.value;
      if (item.worse) {
        cells[1].appendChild(document.createTextNode(" "));
        cells[1].appendChild(text("strong", "(" + data.labels.worse + ")"));
      }
      cells[2].textContent = item.points ? (item.today_points + " → " + item.points) : "—";
    });
    var trade = document.getElementById("trade-offs");
    if (trade) { trade.textContent = data.trade_offs_text; }
    Object.keys(data.sliders || {}).forEach(function (key) {
      var out = document.getElementById("o-" + key);
      if (out) { out.textContent = data.sliders[key]; }
    });
    var circles = document.querySelectorAll("#circles-table tbody tr");
    (data.life_circles || []).forEach(function (c, i) {
      var row = circles[i];
      if (!row) { return; }
      var head = row.querySelector("th");
      head.textContent = c.added ? c.name + " (" + data.labels.added + ")" : c.name;
      row.querySelectorAll("td").forEach(function (cell, j) {
        var level = c.levels[j];
        cell.textContent = level.value;
        if (c.added) {
          cell.appendChild(document.createTextNode(" "));
          cell.appendChild(text("small", "(" + data.labels.today + " " + level.today + ")"));
        }
      });
    });
  }

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var ticket = ++latest;
    fetch(url + "?" + params.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && ticket === latest) { redraw(data); } })
      .catch(function () {});
    history.replaceState(null, "", "?" + params.toString());
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.type === "range") {
      var out = document.getElementById(target.getAttribute("data-output"));
      if (out) { out.textContent = target.value; }
      document.querySelectorAll("[data-mirror='" + target.id + "']").forEach(function (h) { h.value = target.value; });
    }
    clearTimeout(pending);
    pending = setTimeout(refresh, 120);
  });
  form.addEventListener("change", function () { clearTimeout(pending); pending = setTimeout(refresh, 10); });
})();
