/* Atlas maps: the search results (GeoJSON clustered by the server for the zoom) or one point of a project sheet. */
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function remember(element, map) {
    var bounds = map.getBounds();
    var west = Math.max(-180, bounds.getWest()), east = Math.min(180, bounds.getEast());
    var south = Math.max(-90, bounds.getSouth()), north = Math.min(90, bounds.getNorth());
    var bbox = [west, south, east, north].map(function (value) { return value.toFixed(4); }).join(",");
    element.dataset.currentBbox = bbox;
    element.dataset.currentZoom = String(map.getZoom());
    var centre = map.getCenter();
    element.dataset.currentCenter = centre.lat.toFixed(4) + "," + centre.lng.toFixed(4);
    document.querySelectorAll('[data-map-bbox="' + element.id + '"]').forEach(function (input) { input.value = bbox; });
    document.querySelectorAll('[data-map-zoom="' + element.id + '"]').forEach(function (input) {
      input.value = String(map.getZoom());
    });
  }

  // The base map the site ships: Natural Earth's countries (world-atlas), drawn under the
  // tiles if there are any, alone otherwise (offline, behind a firewall, in the tests).
  var outlines = {};
  function outline(element, map) {
    var url = element.dataset.outlines;
    outlines[url] = outlines[url] || fetch(url).then(function (response) { return response.json(); });
    map.createPane("outlines").style.zIndex = 150;  // under the tiles (200) and the markers
    element.classList.add("cncd-map--outlined");
    outlines[url].then(function (topology) {
      var countries = topojson.feature(topology, topology.objects.countries);
      L.geoJSON(countries, {
        pane: "outlines",
        interactive: false,
        style: { color: "#ffffff", weight: 0.8, fillColor: "#dddddd", fillOpacity: 1 },
      }).addTo(map);
      element.dataset.outlinesDrawn = String(countries.features.length);
    });
  }

  function draw(element) {
    var map = L.map(element, { scrollWheelZoom: false, worldCopyJump: true, minZoom: 1, maxZoom: 18 });
    if (element.dataset.outlines) { outline(element, map); }
    if (element.dataset.tiles) {  // a tile server, when the site has one (CNCD_MAP_TILES)
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 18 }).addTo(map);
    }
    // The view as it is now, for "Save this map" forms (inputs data-map-bbox / data-map-zoom
    // naming this map) and for tests.
    map.on("moveend", function () { remember(element, map); });
    map.setView([20, 10], 2);
    var saved = element.dataset.view ? element.dataset.view.split(",").map(Number) : null;

    if (element.dataset.point) {
      var point = element.dataset.point.split(",").map(Number);
      L.marker(point).addTo(map);
      map.setView(point, 7);
    }
    if (element.dataset.bbox) {
      var box = element.dataset.bbox.split(",").map(Number); // west, south, east, north
      map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { animate: false });
    }
    if (element.dataset.features) {
      var inline = JSON.parse(document.getElementById(element.dataset.features).textContent);
      var group = L.markerClusterGroup({ animate: false }); // no fading: readable at once, and calm for everyone
      L.geoJSON(inline, {
        onEachFeature: function (feature, layer) {
          layer.bindPopup('<a href="#bourse-' + feature.id + '">' + escapeHtml(feature.properties.title) + "</a>");
        },
      }).eachLayer(function (layer) { group.addLayer(layer); });
      map.addLayer(group);
      element.dataset.markers = String(inline.features.length);
      if (inline.features.length) { map.fitBounds(group.getBounds(), { maxZoom: 6, padding: [20, 20], animate: false }); }
    }
    if (element.dataset.geojson) {
      // The server gathers the points for the map's zoom and sends only what is in view (a few
      // hundred features whatever the size of the Atlas): asked again after every move.
      var layer = L.layerGroup().addTo(map);
      var asked = 0, fitted = Boolean(element.dataset.bbox || saved);
      var label = element.dataset.clusterLabel || "projects";
      var load = function () {
        var number = ++asked;
        var url = element.dataset.geojson + (element.dataset.geojson.indexOf("?") < 0 ? "?" : "&") + "zoom=" + map.getZoom();
        if (fitted) { url += "&view=" + element.dataset.currentBbox; }
        fetch(url, { headers: { Accept: "application/geo+json", "Accept-Language": document.documentElement.lang || "fr" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (number !== asked) { return; } // a later move asked again
            layer.clearLayers();
            var bounds = L.latLngBounds([]);
            data.features.forEach(function (feature) {
              var lng = feature.geometry.coordinates[0], lat = feature.geometry.coordinates[1];
              var properties = feature.properties;
              if (properties.cluster) {
                var box = properties.bbox; // west, south, east, north
                var size = properties.count < 10 ? "small" : properties.count < 100 ? "medium" : "large";
                var text = properties.count + " " + label;
                var marker = L.marker([lat, lng], {
                  title: text,
                  icon: L.divIcon({
                    html: '<div><span aria-hidden="true">' + properties.count + "</span></div>",
                    className: "marker-cluster marker-cluster-" + size,
                    iconSize: L.point(40, 40),
                  }),
                });
                marker.on("click", function () {
                  map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { padding: [40, 40] }); // as far as they part
                });
                marker.on("keypress", function (event) { if (event.originalEvent.key === "Enter") { marker.fire("click"); } });
                marker.addTo(layer);
                bounds.extend([[box[1], box[0]], [box[3], box[2]]]);
              } else {
                var url = element.dataset.projectUrl + feature.id + "/";
                L.marker([lat, lng], { title: properties.title })
                  .bindPopup('<a href="' + url + '">' + escapeHtml(properties.title) + "</a>")
                  .addTo(layer);
                bounds.extend([lat, lng]);
              }
            });
            element.dataset.markers = String(data.count);
            if (!fitted) {
              fitted = true;
              if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 7, padding: [20, 20], animate: false }); }
            }
          });
      };
      map.on("moveend", load);
      remember(element, map);
      load();
    }
    if (element.dataset.area) {  // the area the search is limited to, outlined
      var area = element.dataset.area.split(",").map(Number);
      L.rectangle([[area[1], area[0]], [area[3], area[2]]], { color: "#000091", weight: 2, dashArray: "6 4", fill: false, interactive: false }).addTo(map);
    }
    document.querySelectorAll('[data-area-for="' + element.id + '"]').forEach(function (controls) { areaControls(controls, element, map); });
    if (saved) {
      // A saved map reopens on its own view: the centre of the area it showed (in the map's
      // projection, not the mean of the latitudes), at its zoom.
      var zoom = Number(element.dataset.zoom);
      var corners = map.project([saved[1], saved[0]], zoom).add(map.project([saved[3], saved[2]], zoom));
      map.setView(map.unproject(corners.divideBy(2), zoom), zoom, { animate: false });
    }
  }

  // The search's area chosen on the map: the area shown (moved and zoomed with the mouse or the
  // keyboard), or a rectangle drawn with the mouse. Either fills the form's bbox and sends it.
  function areaControls(controls, element, map) {
    var form = document.getElementById(controls.dataset.areaForm);
    var input = document.getElementById(controls.dataset.areaInput);
    var status = controls.querySelector("[data-area-status]");
    var drawButton = controls.querySelector("[data-area-draw]");
    if (!form || !input) { return; }
    controls.querySelector("[data-area-controls]").hidden = false;
    function send(bbox) {
      input.value = bbox;
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
    controls.querySelector("[data-area-visible]").addEventListener("click", function () {
      send(element.dataset.currentBbox);
    });
    var start = null, box = null, drawing = false;
    function stop() {
      drawing = false;
      start = null;
      if (box) { map.removeLayer(box); box = null; }
      map.dragging.enable();
      map.boxZoom.enable();
      element.classList.remove("cncd-map--drawing");
      drawButton.setAttribute("aria-pressed", "false");
      status.textContent = "";
    }
    drawButton.addEventListener("click", function () {
      if (drawing) { stop(); return; }
      drawing = true;
      map.dragging.disable();
      map.boxZoom.disable();
      element.classList.add("cncd-map--drawing");
      drawButton.setAttribute("aria-pressed", "true");
      status.textContent = status.dataset.drawText;
    });
    document.addEventListener("keydown", function (event) { if (drawing && event.key === "Escape") { stop(); } });
    // Pointer events on the map's container (mouse, pen or finger), captured while drawing.
    var container = map.getContainer();
    container.addEventListener("pointerdown", function (event) {
      if (!drawing || event.button !== 0) { return; }
      event.preventDefault();
      event.stopPropagation();
      container.setPointerCapture(event.pointerId);
      start = map.mouseEventToLatLng(event);
      box = L.rectangle(L.latLngBounds(start, start), { color: "#000091", weight: 2, dashArray: "6 4", fillOpacity: 0.1, interactive: false }).addTo(map);
    }, true);
    container.addEventListener("pointermove", function (event) {
      if (drawing && start) { box.setBounds(L.latLngBounds(start, map.mouseEventToLatLng(event))); }
    }, true);
    container.addEventListener("pointerup", function (event) {
      if (!drawing || !start) { return; }
      var bounds = L.latLngBounds(start, map.mouseEventToLatLng(event));
      var size = map.latLngToContainerPoint(bounds.getNorthEast()).subtract(map.latLngToContainerPoint(bounds.getSouthWest()));
      if (Math.abs(size.x) < 5 || Math.abs(size.y) < 5) { stop(); return; }  // a click, not an area
      var west = Math.max(-180, bounds.getWest()), east = Math.min(180, bounds.getEast());
      var south = Math.max(-90, bounds.getSouth()), north = Math.min(90, bounds.getNorth());
      send([west, south, east, north].map(function (value) { return value.toFixed(4); }).join(","));
    }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-atlas-map]").forEach(draw);
  });
})();
