// City maps of the consultations, with no network: the base layer built from the city's
// OpenStreetMap extract (web/maps), the heritage layer, then either
// - the place widget of a proposal form: draw a point, line or polygon (Leaflet-Geoman), or find
//   a street, place or address in a combobox (ARIA 1.2 pattern) — both write the GeoJSON box;
// - a process map: the proposals' markers, grouped in clusters (Leaflet.markercluster).
// Text from people or from OSM goes into the page as text nodes, never as HTML.
(function () {
  "use strict";
  if (typeof L === "undefined") return;

  function loadJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function textNode(tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }

  var STREET_ZOOM = 15; // buildings and small streets from this zoom on

  // The base layer of a city: whole layers, then cells of buildings and lanes as they come into
  // view. Returns a promise of the map's bounds (the site's, else the built area's).
  function baseMap(map, el) {
    map.attributionControl.setPrefix(false);
    map.createPane("basemap").style.zIndex = 250;
    var canvas = L.canvas({ pane: "basemap", padding: 0.3 });
    var styles = {
      parks: { renderer: canvas, stroke: false, fillColor: "#c8e6bd", fillOpacity: 1, interactive: false },
      water: { renderer: canvas, color: "#7fb5c9", weight: 1, fillColor: "#aad3df", fillOpacity: 1, interactive: false },
      buildings: { renderer: canvas, color: "#bfb3a8", weight: 0.6, fillColor: "#dcd3ca", fillOpacity: 1, interactive: false },
      streets: { renderer: canvas, color: "#e8b458", weight: 4, interactive: false },
      lanes: function (f) {
        return f.properties.k === "path"
          ? { renderer: canvas, color: "#9a8f84", weight: 1, dashArray: "3 3", interactive: false }
          : { renderer: canvas, color: "#ffffff", weight: 2.5, interactive: false };
      },
    };
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.tilesCredit || "" }).addTo(map);
    }
    var site = el.dataset.site || (el.closest(".place-widget") || el).dataset.site;
    var siteLayer = null;
    if (site) {
      siteLayer = L.geoJSON(JSON.parse(site), {
        style: { color: "#1d2a24", weight: 2, dashArray: "6 4", fill: false, interactive: false },
      }).addTo(map);
    }
    if (!el.dataset.manifest) {
      if (siteLayer) return Promise.resolve(siteLayer.getBounds());
      return Promise.resolve(null);
    }
    return loadJSON(el.dataset.manifest).then(function (m) {
      el.classList.add("city-map");
      map.attributionControl.addAttribution(el.dataset.credit || m.attribution);
      var bounds = L.latLngBounds([m.bounds[1], m.bounds[0]], [m.bounds[3], m.bounds[2]]);
      if (!el.dataset.tiles) {
        ["parks", "water", "streets"].forEach(function (name) {
          loadJSON(m.base + name + ".geojson").then(function (data) {
            L.geoJSON(data, { style: styles[name] }).addTo(map);
          });
        });
        var cells = {};
        var present = {};
        Object.keys(m.tiles).forEach(function (layer) {
          present[layer] = {};
          m.tiles[layer].forEach(function (c) { present[layer][c[0] + "_" + c[1]] = true; });
        });
        var street = L.layerGroup();
        var loadCell = function (layer, key) {
          return loadJSON(m.base + "tiles/" + key + ".geojson").then(function (data) {
            street.addLayer(L.geoJSON(data, { style: styles[layer] }));
            el.dataset.cells = String(Object.keys(cells).length);
          });
        };
        var showCells = function () {
          if (map.getZoom() < STREET_ZOOM) { street.remove(); return; }
          street.addTo(map);
          var b = map.getBounds(), d = m.cell_deg;
          var x0 = Math.floor(b.getWest() / d), x1 = Math.floor(b.getEast() / d);
          var y0 = Math.floor(b.getSouth() / d), y1 = Math.floor(b.getNorth() / d);
          if ((x1 - x0 + 1) * (y1 - y0 + 1) > 40) return;
          Object.keys(present).forEach(function (layer) {
            for (var x = x0; x <= x1; x++) {
              for (var y = y0; y <= y1; y++) {
                var key = layer + "/" + x + "_" + y;
                if (cells[key] || !present[layer][x + "_" + y]) continue;
                cells[key] = loadCell(layer, key);
              }
            }
          });
        };
        map.on("moveend zoomend", showCells);
        map.whenReady(showCells);
      }
      loadJSON(m.base + "heritage.geojson").then(function (data) {
        var heritage = L.geoJSON(data, {
          style: { color: "#6a3d9a", weight: 2, fillOpacity: 0.15, dashArray: "4 3" },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: 5, color: "#6a3d9a", weight: 2, fillColor: "#ffffff", fillOpacity: 1 });
          },
          onEachFeature: function (f, layer) {
            var name = f.properties.name || f.properties.historic || f.properties.heritage;
            if (name) layer.bindTooltip(textNode("span", name));
          },
        }).addTo(map);
        var overlays = {};
        overlays[el.dataset.labelHeritage || "Heritage"] = heritage;
        L.control.layers(null, overlays, { collapsed: false }).addTo(map);
        el.dataset.heritage = String(data.features.length);
      });
      return siteLayer ? siteLayer.getBounds() : bounds;
    }).catch(function () {
      return siteLayer ? siteLayer.getBounds() : null;
    });
  }

  function newMap(el) {
    var map = L.map(el, { zoomSnap: 0.5, maxZoom: 19 }).setView([20, 0], 2);
    var ready = baseMap(map, el).then(function (bounds) {
      if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
      el.dataset.ready = "1";
      return bounds;
    });
    return { map: map, ready: ready };
  }

  function geomCentre(geometry) {
    return L.geoJSON(geometry).getBounds().getCenter();
  }

  // The place widget of a form ---------------------------------------------------------------
  function placeWidget(box) {
    var text = box.querySelector("textarea.place-geojson");
    var mapEl = box.querySelector(".place-map");
    var status = box.querySelector(".place-status");
    var made = newMap(mapEl);
    var map = made.map;
    var drawn = L.featureGroup().addTo(map);
    function say(message) { if (status) status.textContent = message; }
    function show(geometry) {
      drawn.clearLayers();
      L.geoJSON(geometry, {
        pointToLayer: function (f, latlng) { return L.marker(latlng); },
      }).eachLayer(function (layer) { drawn.addLayer(layer); });
    }
    function write() {
      var layers = drawn.getLayers();
      text.value = layers.length ? JSON.stringify(layers[layers.length - 1].toGeoJSON(6).geometry) : "";
      mapEl.dataset.drawn = layers.length ? "1" : "";
    }
    if (text.value.trim()) {
      try {
        show(JSON.parse(text.value));
        made.ready.then(function () {
          if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 17 });
        });
      } catch (e) { /* the server names what is wrong with the text */ }
    }
    if (map.pm) {
      var lang = (document.documentElement.lang || "fr").slice(0, 2);
      map.pm.setLang(lang === "zh" ? "zh" : lang === "en" ? "en" : "fr");
      map.pm.setGlobalOptions({ layerGroup: drawn, allowSelfIntersection: true });
      map.pm.addControls({
        position: "topleft",
        drawMarker: true, drawPolyline: true, drawPolygon: true,
        drawCircleMarker: false, drawCircle: false, drawRectangle: false, drawText: false,
        cutPolygon: false, rotateMode: false, editMode: true, dragMode: true, removalMode: true,
      });
      // Geoman's buttons are icons: give each the name its container shows on hover.
      mapEl.querySelectorAll(".leaflet-buttons-control-button").forEach(function (a) {
        var holder = a.closest("[title]");
        if (holder) a.setAttribute("aria-label", holder.getAttribute("title"));
      });
      map.on("pm:create", function (e) {
        drawn.getLayers().forEach(function (l) { if (l !== e.layer) drawn.removeLayer(l); });
        e.layer.on("pm:edit pm:dragend", write);
        write();
        say(mapEl.dataset.labelDrawn);
      });
      map.on("pm:remove", write);
    }
    combobox(box, function (place) {
      text.value = JSON.stringify(place.geometry);
      show(place.geometry);
      map.setView(geomCentre(place.geometry), Math.max(map.getZoom(), 17));
      say(mapEl.dataset.labelChosen + " " + place.label);
    }, say, mapEl);
  }

  // Combobox with a list box popup (WAI-ARIA 1.2): the input keeps focus, the arrow keys move
  // the active option (aria-activedescendant), Enter chooses it, Escape closes the list.
  function combobox(box, choose, say, mapEl) {
    var input = box.querySelector("input.place-query");
    var list = box.querySelector(".place-results");
    var find = box.querySelector(".place-find");
    var url = box.dataset.placesUrl;
    if (!input || !list || !url) return;
    var bbox = "";
    if (box.dataset.site) {
      var b = L.geoJSON(JSON.parse(box.dataset.site)).getBounds();
      bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(",");
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var results = [], active = -1, timer = null, asked = "";
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(i) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && items[i]) {
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function pick(i) {
      var place = results[i];
      if (!place) return;
      input.value = place.label;
      asked = place.label;
      close();
      choose(place);
    }
    function render(data) {
      results = data.results;
      list.textContent = "";
      results.forEach(function (place, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(textNode("span", place.label));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(textNode("span", place.kind_label, "kind"));
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { pick(i); });
        list.appendChild(li);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        say(results.length + " " + mapEl.dataset.labelFound);
      } else {
        close();
        say(mapEl.dataset.labelNone);
      }
      mark(-1);
    }
    function search(now) {
      var q = input.value.trim();
      clearTimeout(timer);
      if (q.length < 2) { close(); results = []; return; }
      if (q === asked && !now) return;
      timer = setTimeout(function () {
        asked = q;
        var query = url + "?q=" + encodeURIComponent(q) + (bbox ? "&bbox=" + bbox : "");
        loadJSON(query).then(function (data) {
          if (input.value.trim() === q) render(data);
        });
      }, now ? 0 : 200);
    }
    input.addEventListener("input", function () { search(false); });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden && results.length;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) { search(true); return; }
        mark((active + 1) % results.length);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (open) mark(active <= 0 ? results.length - 1 : active - 1);
      } else if (e.key === "Enter") {
        // Never send the whole form from the search box: choose, or search.
        e.preventDefault();
        if (open && active >= 0) pick(active);
        else search(true);
      } else if (e.key === "Escape") {
        if (open) { e.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    if (find) {
      find.hidden = false;
      find.addEventListener("click", function (e) {
        e.preventDefault();
        input.focus();
        search(true);
      });
    }
  }

  // A process map: the proposals' markers, clustered ---------------------------------------
  function processMap(el) {
    var made = newMap(el);
    var map = made.map;
    var group = L.markerClusterGroup
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 })
      : L.featureGroup();
    group.addTo(map);
    var shapes = L.featureGroup().addTo(map);
    var statuses = JSON.parse(el.dataset.statuses || "{}");
    loadJSON(el.dataset.markers).then(function (data) {
      data.features.forEach(function (f) {
        var p = f.properties;
        var where = f.geometry.type === "Point"
          ? L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0])
          : geomCentre(f.geometry);
        if (f.geometry.type !== "Point") {
          L.geoJSON(f.geometry, { style: { color: "#1f4e9c", weight: 3, fillOpacity: 0.1 }, interactive: false }).addTo(shapes);
        }
        var marker = L.marker(where, { title: p.title, alt: p.title, keyboard: true });
        var box = document.createElement("div");
        var a = textNode("a", p.title);
        a.href = el.dataset.proposalUrl.replace("/0/", "/" + f.id + "/");
        box.appendChild(a);
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(statuses[p.status] || ""));
        if (p.illustrative) {
          box.appendChild(document.createTextNode(" "));
          box.appendChild(textNode("span", el.dataset.illustrative || "", "illustrative"));
        }
        marker.bindPopup(box);
        group.addLayer(marker);
      });
      el.dataset.loaded = String(data.features.length);
      made.ready.then(function (bounds) {
        if (!el.dataset.site && data.features.length && !bounds) {
          map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 16 });
        }
      });
    });
  }

  document.querySelectorAll(".place-widget").forEach(placeWidget);
  document.querySelectorAll(".process-map").forEach(processMap);
})();
