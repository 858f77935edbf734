// A map of points on a park (schouw findings, cameras): the park's boundary with the points as dots, and on a form a
// map on which a click, or dragging the marker, chooses the place. The data comes from a JSON block in the page (the
// CSP allows no inline script): {area, points: [{lat, lon, label, url, muted}], current: {lat, lon}}; a point with a
// `kind` and `state` is a camera, drawn by camera-markers.js. The latitude
// and longitude fields stay the way without a mouse: the map writes them, and what is typed there moves the marker.
// Tiles may fail to load (no network, tile server down): the boundary and the dots still show.
(function () {
  "use strict";

  var AREA_STYLE = { color: "#24578f", weight: 3, fillOpacity: 0.1 };
  var DECIMALS = 6;

  function number(text) {
    var value = parseFloat(String(text || "").trim().replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function setUp(container) {
    var data = JSON.parse(document.getElementById(container.dataset.source).textContent);
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false, zoomControl: false }).setView([52.09, 5.12], 13);
    L.control.zoom({ zoomInTitle: container.dataset.zoomIn, zoomOutTitle: container.dataset.zoomOut }).addTo(map);
    L.tileLayer(container.dataset.tiles, { attribution: container.dataset.attribution, maxZoom: 19 }).addTo(map);

    var layers = [];
    if (data.area) {
      layers.push(L.geoJSON(data.area, { style: AREA_STYLE, interactive: false }).addTo(map));
    }
    (data.points || []).forEach(function (point) {
      // a camera (with its type and state) gets its own marker, from camera-markers.js
      if (point.kind && window.vbCameraMarker) {
        layers.push(window.vbCameraMarker(point).addTo(map));
        return;
      }
      var dot = L.circleMarker([point.lat, point.lon], {
        radius: 7,
        color: point.muted ? "#595959" : "#b3261e",
        fillOpacity: 0.8,
      });
      if (point.url) {
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.label;
        dot.bindPopup(link);
      } else {
        dot.bindTooltip(point.label);
      }
      layers.push(dot.addTo(map));
    });

    var latField = container.dataset.latField ? document.getElementById(container.dataset.latField) : null;
    var lonField = container.dataset.lonField ? document.getElementById(container.dataset.lonField) : null;
    var picking = Boolean(latField && lonField);
    var status = container.dataset.status ? document.getElementById(container.dataset.status) : null;
    var start = data.current ? [data.current.lat, data.current.lon] : null;
    var chosen = null;

    function write(latlng) {
      var lat = latlng.lat.toFixed(DECIMALS);
      var lon = latlng.lng.toFixed(DECIMALS);
      latField.value = lat;
      lonField.value = lon;
      if (status) {
        status.textContent = container.dataset.picked + " " + lat + ", " + lon;
      }
    }

    function place(lat, lon) {
      if (chosen) {
        chosen.setLatLng([lat, lon]);
        return;
      }
      var label = container.dataset.markerLabel || "";
      chosen = L.marker([lat, lon], { draggable: picking, keyboard: false, title: label, alt: label }).addTo(map);
      if (picking) {
        chosen.on("dragend", function () {
          write(chosen.getLatLng());
        });
      }
    }

    if (picking) {
      container.classList.add("vb-point-map--pick");
      // after a refused save the fields hold what was sent: show that point
      var typedLat = number(latField.value);
      var typedLon = number(lonField.value);
      if (typedLat !== null && typedLon !== null) {
        start = [typedLat, typedLon];
      }
      map.on("click", function (event) {
        write(event.latlng);
        place(event.latlng.lat, event.latlng.lng);
      });
      var follow = function () {
        var lat = number(latField.value);
        var lon = number(lonField.value);
        if (lat !== null && lon !== null) {
          place(lat, lon);
          map.panTo([lat, lon]);
        }
      };
      latField.addEventListener("change", follow);
      lonField.addEventListener("change", follow);
    }
    if (start) {
      place(start[0], start[1]);
      layers.push(chosen);
    }
    if (layers.length) {
      var bounds = L.featureGroup(layers).getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
      }
    }
  }

  if (window.L) {
    document.querySelectorAll("[data-point-map]").forEach(setUp);
  }
})();
