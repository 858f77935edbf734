// Maps of the inspection walk (schouw): the park's boundary with the findings as dots, and on a finding's form a map
// on which a click chooses the finding's place. The data comes from a JSON block in the page (the CSP allows no
// inline script). The latitude and longitude fields stay the way without a mouse: a click writes them, and what is
// typed there moves the dot. Tiles may fail to load (no network, tile server down): the boundary and the dots
// still show on the blank background.
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
    (data.findings || []).forEach(function (finding) {
      var dot = L.circleMarker([finding.lat, finding.lon], {
        radius: 7,
        color: finding.resolved ? "#1b5e20" : "#b3261e",
        fillOpacity: 0.8,
      });
      if (finding.url) {
        var link = document.createElement("a");
        link.href = finding.url;
        link.textContent = finding.label;
        dot.bindPopup(link);
      } else {
        dot.bindTooltip(finding.label);
      }
      layers.push(dot.addTo(map));
    });

    var chosen = null;
    function place(lat, lon) {
      if (chosen) {
        chosen.setLatLng([lat, lon]);
      } else {
        chosen = L.circleMarker([lat, lon], {
          radius: 10,
          color: "#24578f",
          weight: 4,
          fillOpacity: 0.4,
          interactive: false,
        }).addTo(map);
      }
    }
    var start = data.current ? [data.current.lat, data.current.lon] : null;

    var latField = container.dataset.latField ? document.getElementById(container.dataset.latField) : null;
    var lonField = container.dataset.lonField ? document.getElementById(container.dataset.lonField) : null;
    var status = container.dataset.status ? document.getElementById(container.dataset.status) : null;
    if (latField && lonField) {
      container.classList.add("vb-inventory-map--pick");
      // after a refused save the fields hold what was sent: show that point
      var typedLat = number(latField.value);
      var typedLon = number(lonField.value);
      if (typedLat !== null && typedLon !== null) {
        start = [typedLat, typedLon];
      }
      map.on("click", function (event) {
        var lat = event.latlng.lat.toFixed(DECIMALS);
        var lon = event.latlng.lng.toFixed(DECIMALS);
        latField.value = lat;
        lonField.value = lon;
        place(Number(lat), Number(lon));
        if (status) {
          status.textContent = container.dataset.picked + " " + lat + ", " + lon;
        }
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
    document.querySelectorAll("[data-inventory-map]").forEach(setUp);
  }
})();
