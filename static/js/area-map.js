// The park's area on the map (step 1). Everyone who may see the park sees the boundary; with the edit form on
// the page, Geoman draws, edits, cuts (holes) and removes polygons, and every change is written as one GeoJSON
// geometry (Polygon, or MultiPolygon for several) into the form's text field. That field is also the way
// without a mouse: GeoJSON pasted there is drawn on the map. Tiles may fail to load (no network, tile server
// down): the map and the boundary still work on the blank background.
(function () {
  "use strict";

  var container = document.getElementById("area-map");
  if (!container || !window.L) {
    return;
  }
  var field = container.dataset.field ? document.getElementById(container.dataset.field) : null;
  var status = document.getElementById("area-status");
  var style = { color: "#24578f", weight: 3, fillOpacity: 0.15 };

  container.hidden = false;
  var map = L.map(container, { zoomControl: false }).setView([52.09, 5.12], 13);
  L.control.zoom({ zoomInTitle: container.dataset.zoomIn, zoomOutTitle: container.dataset.zoomOut }).addTo(map);
  L.tileLayer(container.dataset.tiles, { attribution: container.dataset.attribution, maxZoom: 19 }).addTo(map);

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return null;
    }
  }

  function isArea(feature) {
    var geometry = feature.geometry || feature;
    return /Polygon$/.test(geometry.type || "");
  }

  // The polygons on the map, without Geoman's temporary drawing layers.
  function polygons() {
    var found = [];
    map.eachLayer(function (layer) {
      if (layer instanceof L.Polygon && !layer._pmTempLayer) {
        found.push(layer);
      }
    });
    return found;
  }

  // Replace what the map shows with the polygons in `data`; false when it cannot be drawn.
  function show(data) {
    var layers;
    try {
      layers = L.geoJSON(data, { style: style, filter: isArea }).getLayers();
    } catch (error) {
      return false;
    }
    polygons().forEach(function (layer) {
      layer.remove();
    });
    layers.forEach(function (layer) {
      layer.addTo(map);
    });
    if (layers.length) {
      map.fitBounds(L.featureGroup(layers).getBounds(), { padding: [20, 20], maxZoom: 17 });
    }
    return true;
  }

  function write() {
    var parts = [];
    polygons().forEach(function (layer) {
      var geometry = layer.toGeoJSON().geometry;
      parts = parts.concat(geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates]);
    });
    var geometry =
      parts.length === 1 ? { type: "Polygon", coordinates: parts[0] } : { type: "MultiPolygon", coordinates: parts };
    field.value = parts.length ? JSON.stringify(geometry) : "";
    status.textContent = container.dataset.changed;
  }

  // Geoman puts each button's title on a wrapper; the button itself needs the name for screen readers.
  function nameButtons() {
    container.querySelectorAll(".button-container[title]").forEach(function (wrapper) {
      var button = wrapper.querySelector(".leaflet-buttons-control-button");
      if (button) {
        button.setAttribute("aria-label", wrapper.getAttribute("title"));
      }
    });
  }

  if (field && map.pm) {
    // Geoman's vertex handles are markers, which Leaflet makes unnamed keyboard buttons; they can only be dragged
    // with a mouse, so keep them out of the tab order (the GeoJSON field is the way without a mouse).
    L.Marker.mergeOptions({ keyboard: false });
    map.on("layeradd", function (event) {
      if (event.layer instanceof L.Polygon) {
        event.layer.on("pm:edit", write);
      }
    });
    map.pm.setLang(container.dataset.lang === "nl" ? "nl" : "en");
    map.pm.setGlobalOptions({ allowSelfIntersection: false, pathOptions: style });
    map.pm.addControls({
      position: "topleft",
      drawMarker: false,
      drawCircleMarker: false,
      drawPolyline: false,
      drawCircle: false,
      drawText: false,
      rotateMode: false,
    });
    nameButtons();
    map.on("pm:create pm:remove pm:cut", write);
    field.addEventListener("change", function () {
      var data = parse(field.value);
      if (data && show(data)) {
        status.textContent = container.dataset.changed;
      }
    });
  }

  // After a refused save the field holds what was sent, so the map shows that drawing to correct it.
  show((field && parse(field.value)) || parse(document.getElementById(container.dataset.source).textContent));
})();
