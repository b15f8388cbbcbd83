/* The 15-minute service circle: the "use my position" button, and the Leaflet map when tiles are set. */
(function () {
  "use strict";
  var form = document.getElementById("circle-form");
  if (form) {
    var lat = form.querySelector("input[name=lat]");
    var lng = form.querySelector("input[name=lng]");
    var building = form.querySelector("select[name=building]");
    var button = document.getElementById("use-position");
    var status = document.getElementById("position-status");
    if (building) {
      building.addEventListener("change", function () { lat.value = ""; lng.value = ""; });
    }
    if (button && navigator.geolocation) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          lat.value = pos.coords.latitude.toFixed(6);
          lng.value = pos.coords.longitude.toFixed(6);
          if (building) { building.value = ""; }
          form.submit();
        }, function () {
          status.textContent = button.dataset.refused;
        }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
  }

  var holder = document.getElementById("service-map");
  var dataNode = document.getElementById("service-map-data");
  if (!holder || !dataNode || typeof L === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var options = { attribution: data.tiles.attribution || "", maxZoom: 18 };
  if (data.tiles.subdomains) { options.subdomains = data.tiles.subdomains; }
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer(data.tiles.url, options).addTo(map);
  if (data.tiles.labels) { L.tileLayer(data.tiles.labels, options).addTo(map); }
  var bounds = [];
  if (data.origin) {
    L.circle([data.origin.lat, data.origin.lng], {
      radius: data.radius, color: "#c8102e", weight: 2, dashArray: "6 4", fillOpacity: 0.05
    }).addTo(map);
    L.circleMarker([data.origin.lat, data.origin.lng], { radius: 7, color: "#000", fillColor: "#000", fillOpacity: 1 })
      .bindTooltip(data.origin.label).addTo(map);
    // The ring's own bounds need a map view; the centre's square of the same size does not.
    bounds.push(L.latLng(data.origin.lat, data.origin.lng).toBounds(data.radius * 2));
  }
  data.points.forEach(function (p) {
    var text = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name;
    text.appendChild(title);
    [p.kind_label, p.distance_text, p.address, p.hours, p.phone].forEach(function (line) {
      if (line) { var row = document.createElement("div"); row.textContent = line; text.appendChild(row); }
    });
    L.circleMarker([p.lat, p.lng], { radius: 8, color: "#fff", weight: 2, fillColor: p.colour, fillOpacity: 0.95 })
      .bindPopup(text).addTo(map);
    bounds.push(L.latLngBounds([[p.lat, p.lng], [p.lat, p.lng]]));
  });
  if (bounds.length) {
    var all = bounds[0];
    bounds.forEach(function (b) { all.extend(b); });
    map.fitBounds(all, { padding: [12, 12] });
  } else {
    map.setView([35.0, 105.0], 4);
  }
  holder.dataset.ready = "true";
}());
