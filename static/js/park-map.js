// Read-only maps: a park's boundary with its companies, or the parks of a city as markers; both with a camera
// layer when the data holds cameras (markers from camera-markers.js, loaded with the legend in parks/_map.html).
// The data comes from a JSON block in the page (the CSP allows no inline script); tiles may fail to load
// (no network, tile server down): the boundary and markers still show on the blank background.
(function () {
  "use strict";

  function setUp(container) {
    var data = JSON.parse(document.getElementById(container.dataset.source).textContent);
    var map = L.map(container, { scrollWheelZoom: false }).setView([52.09, 5.12], 12);
    L.tileLayer(container.dataset.tiles, {
      attribution: container.dataset.attribution,
      maxZoom: 19,
    }).addTo(map);
    var layers = [];
    if (data.area) {
      layers.push(L.geoJSON(data.area, { style: { color: "#24578f", weight: 3, fillOpacity: 0.1 } }).addTo(map));
    }
    (data.companies || []).forEach(function (company) {
      var marker = L.circleMarker([company.lat, company.lon], {
        radius: 6,
        color: company.outside ? "#b3261e" : "#24578f",
        fillOpacity: 0.8,
      }).bindTooltip(company.name);
      layers.push(marker.addTo(map));
    });
    (data.parks || []).forEach(function (park) {
      var marker = L.marker([park.lat, park.lon], { title: park.name, alt: park.name });
      var link = document.createElement("a");
      link.href = container.dataset.parkUrl.replace("0", String(park.id));
      link.textContent = park.name + " (" + container.dataset.stepLabel + " " + park.step + ")";
      layers.push(marker.bindPopup(link).addTo(map));
    });
    // Cameras: only in the data for users who may see camera positions; a layer that can be switched off.
    if (data.cameras && data.cameras.length) {
      var cameras = L.layerGroup();
      data.cameras.forEach(function (camera) {
        // type by shape, state by colour and sign (camera-markers.js, with the legend below the map)
        var marker = window.vbCameraMarker(camera);
        cameras.addLayer(marker);
        layers.push(marker);
      });
      cameras.addTo(map);
      if (data.camera_layer) {
        var overlays = {};
        overlays[data.camera_layer] = cameras;
        L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      }
    }
    if (layers.length) {
      var bounds = L.featureGroup(layers).getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
      }
    }
  }

  document.querySelectorAll("[data-park-map]").forEach(setUp);
})();
