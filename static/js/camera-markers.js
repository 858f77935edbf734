// Camera markers on the maps (point-map.js, park-map.js): the camera's type by shape (a circle for a fixed camera, a
// diamond for a flexible one, a square for a number-plate camera) and its state by colour and a sign (online,
// offline, defect, removed), as the legend beside the map (templates/cameras/_map_legend.html) explains in words.
// The shapes and colours are CSS classes in static/css/app.css; the marker is a keyboard-focusable button named by
// its label (code, type, state).
(function () {
  "use strict";

  var KINDS = ["vast", "flexibel", "anpr"];
  var STATES = ["online", "offline", "defect", "verwijderd"];

  function icon(kind, state) {
    var element = document.createElement("span");
    element.className =
      "vb-camera-marker vb-camera-marker--" +
      (KINDS.indexOf(kind) >= 0 ? kind : "vast") +
      " vb-camera-marker--" +
      (STATES.indexOf(state) >= 0 ? state : "online");
    var shape = document.createElement("span");
    shape.className = "vb-camera-marker__shape";
    var sign = document.createElement("span");
    sign.className = "vb-camera-marker__sign";
    element.appendChild(shape);
    element.appendChild(sign);
    return L.divIcon({ html: element, className: "vb-camera-marker-icon", iconSize: [22, 22], iconAnchor: [11, 11] });
  }

  // A marker for {lat, lon, kind, state, label}; `url` makes its popup a link to the camera.
  function marker(point) {
    var made = L.marker([point.lat, point.lon], { icon: icon(point.kind, point.state), title: point.label });
    if (point.url) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.label;
      made.bindPopup(link);
    } else {
      var text = document.createElement("span");
      text.textContent = point.label;
      made.bindPopup(text);
    }
    made.on("add", function () {
      var element = made.getElement();
      if (element) {
        element.setAttribute("aria-label", point.label);
      }
    });
    return made;
  }

  window.vbCameraMarker = marker;
})();
