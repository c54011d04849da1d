/* Atlas maps: the search results (GeoJSON, clustered markers) or one point of a project sheet. */
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function draw(element) {
    var map = L.map(element, { scrollWheelZoom: false, worldCopyJump: true });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 18 }).addTo(map);
    map.setView([20, 10], 2);

    if (element.dataset.point) {
      var point = element.dataset.point.split(",").map(Number);
      L.marker(point).addTo(map);
      map.setView(point, 7);
    }
    if (element.dataset.bbox) {
      var box = element.dataset.bbox.split(",").map(Number); // west, south, east, north
      map.fitBounds([[box[1], box[0]], [box[3], box[2]]]);
    }
    if (element.dataset.features) {
      var inline = JSON.parse(document.getElementById(element.dataset.features).textContent);
      var group = L.markerClusterGroup();
      L.geoJSON(inline, {
        onEachFeature: function (feature, layer) {
          layer.bindPopup('<a href="#bourse-' + feature.id + '">' + escapeHtml(feature.properties.title) + "</a>");
        },
      }).eachLayer(function (layer) { group.addLayer(layer); });
      map.addLayer(group);
      element.dataset.markers = String(inline.features.length);
      if (inline.features.length) { map.fitBounds(group.getBounds(), { maxZoom: 6, padding: [20, 20] }); }
    }
    if (element.dataset.geojson) {
      fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var cluster = L.markerClusterGroup();
          L.geoJSON(data, {
            onEachFeature: function (feature, layer) {
              var url = element.dataset.projectUrl + feature.id + "/";
              layer.bindPopup('<a href="' + url + '">' + escapeHtml(feature.properties.title) + "</a>");
            },
          }).eachLayer(function (layer) { cluster.addLayer(layer); });
          map.addLayer(cluster);
          element.dataset.markers = String(data.features.length);
          if (data.features.length && !element.dataset.bbox) {
            map.fitBounds(cluster.getBounds(), { maxZoom: 7, padding: [20, 20] });
          }
        });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-atlas-map]").forEach(draw);
  });
})();
