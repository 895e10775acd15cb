(function () {
  var el = document.getElementById("map");
  var data = document.getElementById("city-outline");
  if (!el || !data || typeof L === "undefined") return;
  var map = L.map(el, { attributionControl: false });
  var layer = L.geoJSON(JSON.parse(data.textContent), { style: { color: "#2e8b57", weight: 2, fillOpacity: 0.3 } }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [10, 10] });
})();
