// Walking-access run page: follow the background job, then draw the offline map.
(function () {
  var box = document.getElementById("progress-box");
  if (box) {
    var poll = function () {
      fetch(box.dataset.statusUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        document.getElementById("progress").value = s.progress;
        document.getElementById("progress-step").textContent = s.label + (s.step ? " · " + s.step : "");
        if (s.status === "finished" || s.status === "failed") { window.location.reload(); } else { setTimeout(poll, 1000); }
      }).catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 500);
  }
  var el = document.getElementById("access-map");
  if (!el || typeof L === "undefined") return;
  fetch(el.dataset.mapUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    if (!d.origins.length) return;
    var map = L.map(el, { attributionControl: false, preferCanvas: true });
    var renderer = L.canvas();
    var bounds = L.latLngBounds([]);
    // facilities underneath, homes on top: the deserts are what the map is for
    var facilities = L.layerGroup();
    d.facilities.forEach(function (f) {
      // A facility's name comes from OpenStreetMap: text, never HTML (Leaflet inserts strings as HTML).
      var label = document.createElement("span");
      label.textContent = f[2];
      L.circleMarker([f[0], f[1]], { renderer: renderer, radius: 2, color: "#1f4e9c", weight: 1, fillOpacity: 0.9 }).bindTooltip(label).addTo(facilities);
    });
    facilities.addTo(map);
    d.origins.forEach(function (o) {
      var colour = o[2] >= 1 ? "#1e7b45" : (o[2] >= d.desert_below ? "#e6a817" : "#c0392b");
      L.circleMarker([o[0], o[1]], { renderer: renderer, radius: 2.5, stroke: false, fillColor: colour, fillOpacity: 0.8 }).addTo(map);
      bounds.extend([o[0], o[1]]);
    });
    map.fitBounds(bounds, { padding: [10, 10] });
  });
})();
