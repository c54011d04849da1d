/* Atlas maps: the search results (GeoJSON, clustered markers) or one point of a project sheet. */
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

  function draw(element) {
    var map = L.map(element, { scrollWheelZoom: false, worldCopyJump: true });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 18 }).addTo(map);
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
      fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json", "Accept-Language": document.documentElement.lang || "fr" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var cluster = L.markerClusterGroup({ animate: false });
          L.geoJSON(data, {
            onEachFeature: function (feature, layer) {
              var url = element.dataset.projectUrl + feature.id + "/";
              layer.bindPopup('<a href="' + url + '">' + escapeHtml(feature.properties.title) + "</a>");
            },
          }).eachLayer(function (layer) { cluster.addLayer(layer); });
          map.addLayer(cluster);
          element.dataset.markers = String(data.features.length);
          if (data.features.length && !element.dataset.bbox && !saved) {
            map.fitBounds(cluster.getBounds(), { maxZoom: 7, padding: [20, 20], animate: false });
          }
        });
    }
    if (saved) {
      // A saved map reopens on its own view: the centre of the area it showed (in the map's
      // projection, not the mean of the latitudes), at its zoom.
      var zoom = Number(element.dataset.zoom);
      var corners = map.project([saved[1], saved[0]], zoom).add(map.project([saved[3], saved[2]], zoom));
      map.setView(map.unproject(corners.divideBy(2), zoom), zoom, { animate: false });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-atlas-map]").forEach(draw);
  });
})();
