// Portfolio map: real city boundaries coloured by label level. No tiles are fetched: the map works offline.
(function () {
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 }).setView([33, 112], 4);
  var colours = ["#b8c4bd", "#9ccc65", "#43a047", "#1b5e20"];
  function rank(value) {
    return Math.max(0, Math.min(value || 0, colours.length - 1));
  }
  fetch(el.dataset.source, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      // A few cities are named on the map; a national portfolio shows names on hover only.
      var named = data.features.length <= 30;
      var layer = L.geoJSON(data, {
        style: function (f) {
          return { color: "#1d2a24", weight: 1, fillOpacity: 0.7, fillColor: colours[rank(f.properties.rank)] };
        },
        onEachFeature: function (f, l) {
          var p = f.properties;
          var a = document.createElement("a");
          a.href = "/cities/" + encodeURIComponent(p.slug) + "/";
          a.textContent = p.name;
          var div = document.createElement("div");
          div.appendChild(a);
          div.appendChild(document.createElement("br"));
          div.appendChild(document.createTextNode(p.level_name ? p.level_name + " (" + p.year + ")" : el.dataset.noLevel));
          if (p.illustrative) {
            var tag = document.createElement("span");
            tag.className = "illustrative";
            tag.textContent = el.dataset.illustrative;
            div.appendChild(document.createTextNode(" "));
            div.appendChild(tag);
          }
          l.bindPopup(div);
          // An element, never a string: Leaflet inserts a string as HTML (a city name is text).
          var label = document.createElement("span");
          label.textContent = p.name;
          l.bindTooltip(label, { permanent: named, direction: "right", className: "city-label" });
        },
      }).addTo(map);
      if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [20, 20] });
      el.dataset.loaded = String(data.features.length);
    });
})();
