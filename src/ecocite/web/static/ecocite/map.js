// Portfolio map: real city boundaries coloured by label level, over an offline base layer the
// project ships (countries, China's provinces, and its prefectures once zoomed in). No tile is
// fetched unless the deployment sets a tile URL (ECOCITE_MAP_TILES).
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { zoomSnap: 0.25 }).setView([33, 112], 4);
  map.attributionControl.setPrefix(false);
  var colours = ["#b8c4bd", "#9ccc65", "#43a047", "#1b5e20"];
  function rank(value) {
    return Math.max(0, Math.min(value || 0, colours.length - 1));
  }
  map.createPane("basemap").style.zIndex = 250;
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";

  function loadJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
  }

  // Base layer ---------------------------------------------------------------------------
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.tilesCredit || "" }).addTo(map);
  } else if (el.dataset.basemap) {
    map.attributionControl.addAttribution(el.dataset.basemapCredit || "");
    var styles = {
      countries: { pane: "basemap", color: "#a9a293", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1, interactive: false },
      provinces: { pane: "basemap", color: "#8f8778", weight: 0.8, dashArray: "3 3", fill: false, interactive: false },
      prefectures: { pane: "basemap", color: "#c4bdb0", weight: 0.5, fill: false, interactive: false },
    };
    var layers = {};
    var load = function (name) {
      if (!layers[name]) {
        layers[name] = loadJSON(el.dataset.basemap + name + ".geojson").then(function (data) {
          return L.geoJSON(data, { style: styles[name], interactive: false });
        });
      }
      return layers[name];
    };
    load("countries").then(function (layer) {
      layer.addTo(map);
      layer.bringToBack();
      return load("provinces");
    }).then(function (layer) { layer.addTo(map); });
    // Prefecture outlines only where they can be told apart.
    var showPrefectures = function () {
      load("prefectures").then(function (layer) {
        if (map.getZoom() >= 6) layer.addTo(map); else layer.remove();
      });
    };
    map.on("zoomend", function () { if (map.getZoom() >= 6 || layers.prefectures) showPrefectures(); });
  }

  // Cities -------------------------------------------------------------------------------
  function summary(p) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = "/cities/" + encodeURIComponent(p.slug) + "/";
    a.textContent = p.name;
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
    return div;
  }
  function describe(p) {
    return p.name + ", " + (p.level_name ? p.level_name + " (" + p.year + ")" : el.dataset.noLevel);
  }

  var labels = [];
  loadJSON(el.dataset.source).then(function (data) {
    var outlines = L.geoJSON(data, {
      style: function (f) {
        return { color: "#1d2a24", weight: 1, fillOpacity: 0.75, fillColor: colours[rank(f.properties.rank)] };
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(summary(f.properties));
      },
    }).addTo(map);
    data.features.forEach(function (f) {
      var p = f.properties;
      if (!p.label) return;
      // A dot per city: a keyboard stop (Tab, Enter opens the summary), named on hover and focus.
      var dot = L.marker(p.label, {
        icon: L.divIcon({ className: "city-dot", iconSize: [12, 12] }),
        keyboard: true,
        title: describe(p),
        riseOnHover: true,
      }).addTo(map);
      dot.bindPopup(summary(p));
      // An element, never a string: Leaflet inserts a string as HTML (a city name is text).
      var tip = document.createElement("span");
      tip.textContent = p.name;
      dot.bindTooltip(tip, { direction: "top", offset: [0, -6] });
      var icon = dot.getElement();
      if (icon) icon.setAttribute("aria-label", describe(p));
      var label = L.marker(p.label, {
        pane: "labels",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "city-label", html: "", iconSize: null }),
      }).addTo(map);
      var text = label.getElement();
      text.textContent = p.name;
      text.setAttribute("aria-hidden", "true"); // the dot carries the name for screen readers
      labels.push({ marker: label, el: text, latlng: L.latLng(p.label), rank: p.rank || 0, dot: dot });
    });
    // Higher levels first: when two names collide, the better-rated city keeps its label.
    labels.sort(function (a, b) { return b.rank - a.rank || a.el.textContent.localeCompare(b.el.textContent); });
    if (data.features.length) map.fitBounds(outlines.getBounds(), { padding: [30, 30] });
    place();
    map.on("zoomend moveend resize", place);
    el.dataset.loaded = String(data.features.length);
  });

  // Label placement: each name tries the right, left, top and bottom of its dot and takes the
  // first place that overlaps no name already placed nor any dot; a name with no free place is
  // hidden (its dot still names the city on hover and focus).
  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }
  function place() {
    var dots = labels.map(function (l) {
      var p = map.latLngToLayerPoint(l.latlng);
      return { x: p.x - 7, y: p.y - 7, w: 14, h: 14 };
    });
    var taken = dots.slice();
    var placed = 0;
    labels.forEach(function (l) {
      l.el.style.display = "";
      var w = l.el.offsetWidth, h = l.el.offsetHeight;
      var p = map.latLngToLayerPoint(l.latlng);
      var options = [
        [p.x + 9, p.y - h / 2], [p.x - 9 - w, p.y - h / 2],
        [p.x - w / 2, p.y - 9 - h], [p.x - w / 2, p.y + 9],
      ];
      var box = null;
      for (var i = 0; i < options.length && !box; i++) {
        var candidate = { x: options[i][0], y: options[i][1], w: w, h: h };
        if (!taken.some(function (t) { return overlaps(candidate, t); })) box = candidate;
      }
      if (!box) { l.el.style.display = "none"; return; }
      taken.push(box);
      placed += 1;
      // The label's icon sits at the dot; shift it to the chosen place.
      l.el.style.marginLeft = box.x - p.x + "px";
      l.el.style.marginTop = box.y - p.y + "px";
    });
    el.dataset.labelsShown = String(placed);
  }
})();
