// Surveys: show a conditional question only when the answer it depends on holds (the server
// checks again), and let a map question be answered by clicking the map; the text box below each
// map stays the keyboard route and the value sent. The results page shows the places given.
(function () {
  "use strict";

  // Conditional questions -------------------------------------------------------------------
  var form = document.querySelector("form.survey-form");
  function answerOf(field, kind) {
    if (!form) return [];
    var inputs = form.querySelectorAll('[name="' + field + '"]');
    var out = [];
    Array.prototype.forEach.call(inputs, function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.type === "radio" || input.type === "checkbox") {
        var label = input.parentNode.textContent.trim();
        out.push(kind === "scale" ? input.value : label);
      } else if (input.value.trim()) {
        out.push(input.value.trim());
      }
    });
    return out;
  }
  function matches(box) {
    var wanted = box.dataset.is.trim();
    var kind = box.dataset.ifKind;
    var parent = document.getElementById(box.dataset.if + "-box");
    if (!parent || parent.hidden) return false;
    return answerOf(box.dataset.if, kind).some(function (value) {
      if (kind === "scale" || kind === "number") {
        return parseFloat(value.replace(",", ".")) === parseFloat(wanted.replace(",", "."));
      }
      return value === wanted;
    });
  }
  function refresh() {
    var boxes = form.querySelectorAll("fieldset[data-if]");
    Array.prototype.forEach.call(boxes, function (box) {
      var show = matches(box);
      box.hidden = !show;
      Array.prototype.forEach.call(box.querySelectorAll("input, select, textarea"), function (el) {
        el.disabled = !show;
      });
    });
  }
  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll(".condition"), function (p) { p.hidden = true; });
    form.addEventListener("change", refresh);
    form.addEventListener("input", refresh);
    refresh();
  }

  if (typeof L === "undefined") return;
  var areaNode = document.getElementById("survey-area");
  var area = areaNode ? JSON.parse(areaNode.textContent) : null;
  function baseMap(el) {
    var map = L.map(el, { attributionControl: false });
    if (area) {
      var outline = L.geoJSON(area, { style: { color: "#2e8b57", weight: 2, fillOpacity: 0.08 }, interactive: false }).addTo(map);
      map.fitBounds(outline.getBounds(), { padding: [10, 10] });
    } else {
      map.setView([30, 112], 4);
    }
    return map;
  }

  // Map questions: click to place a point, or clicks to draw an area ---------------------------
  Array.prototype.forEach.call(document.querySelectorAll(".survey-map[data-target]"), function (el) {
    var box = document.getElementById(el.dataset.target);
    if (!box) return;
    var map = baseMap(el);
    var layer = L.layerGroup().addTo(map);
    var vertices = [];
    var tools = el.nextElementSibling;
    if (tools) tools.hidden = false;
    function fmt(x) { return Math.round(x * 1e6) / 1e6; }
    function show() {
      layer.clearLayers();
      try {
        var text = box.value.trim();
        if (!text) return;
        var m = text.match(/^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$/);
        var geometry = m ? { type: "Point", coordinates: [parseFloat(m[1]), parseFloat(m[2])] } : JSON.parse(text);
        L.geoJSON(geometry, { style: { color: "#0072B2" } }).addTo(layer);
      } catch (e) { /* the server explains malformed input */ }
    }
    map.on("click", function (e) {
      var lon = fmt(e.latlng.lng), lat = fmt(e.latlng.lat);
      if (el.dataset.mapKind === "point") {
        box.value = lon + ", " + lat;
      } else {
        vertices.push([lon, lat]);
        if (vertices.length >= 3) {
          box.value = JSON.stringify({ type: "Polygon", coordinates: [vertices.concat([vertices[0]])] });
        } else {
          box.value = "";
          vertices.forEach(function (v) { L.circleMarker([v[1], v[0]], { radius: 4 }).addTo(layer); });
          return;
        }
      }
      show();
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var clear = tools ? tools.querySelector(".survey-map-clear") : null;
    if (clear) {
      clear.addEventListener("click", function () { vertices = []; box.value = ""; show(); });
    }
    box.addEventListener("change", show);
    show();
  });

  // Results: the places given -----------------------------------------------------------------
  var results = document.getElementById("survey-results-map");
  if (results) {
    var map = baseMap(results);
    fetch(results.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 5, color: "#0072B2" }); },
          style: { color: "#D55E00", weight: 1, fillOpacity: 0.15 },
          onEachFeature: function (f, l) {
            var span = document.createElement("span");
            span.textContent = "#" + f.properties.respondent + " · Q" + f.properties.question;
            l.bindTooltip(span);
          },
        }).addTo(map);
        if (!area && data.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      });
  }
})();
