// Label: draw the pilot site on the map. Each click adds a corner; the polygon is written as
// GeoJSON into the pilot-site field, which stays the keyboard's way (paste or type GeoJSON).
(function () {
  "use strict";
  var el = document.getElementById("site-map");
  var field = document.getElementById("id_pilot_site");
  if (!el || !field || typeof L === "undefined") return;
  var map = L.map(el).setView([31, 112], 4);
  map.attributionControl.setPrefix(false);
  if (el.dataset.basemap) {
    map.attributionControl.addAttribution(el.dataset.basemapCredit || "");
    ["countries", "provinces"].forEach(function (name) {
      fetch(el.dataset.basemap + name + ".geojson", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          L.geoJSON(data, {
            interactive: false,
            style: name === "countries"
              ? { color: "#a9a293", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }
              : { color: "#8f8778", weight: 0.8, dashArray: "3 3", fill: false },
          }).addTo(map).bringToBack();
        });
    });
  }
  var points = [];
  var shape = null;
  function show() {
    if (shape) shape.remove();
    shape = null;
    if (points.length >= 2) shape = L.polygon(points, { color: "#277a4c" }).addTo(map);
  }
  function write() {
    if (points.length < 3) return;
    var ring = points.map(function (p) { return [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]; });
    ring.push(ring[0]);
    field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }
  // A polygon already in the field is shown (and can be redrawn).
  try {
    var current = JSON.parse(field.value || "null");
    if (current && current.type === "Polygon") {
      points = current.coordinates[0].slice(0, -1).map(function (c) { return L.latLng(c[1], c[0]); });
      show();
      map.fitBounds(shape.getBounds(), { padding: [20, 20] });
    }
  } catch (e) { /* not GeoJSON yet: the server says so on submit */ }
  map.on("click", function (e) {
    points.push(e.latlng);
    show();
    write();
  });
  var clear = document.getElementById("site-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      points = [];
      show();
      field.value = "";
    });
  }
})();
