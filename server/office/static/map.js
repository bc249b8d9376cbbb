// The office map with Leaflet (vendored in vendor/leaflet/): pan, zoom, one marker per house
// coloured by status, linking to the house. Tiles come from the server's setting
// (data-tile-url); without one the map is a plain ground with the markers. The data comes from
// /office/map/houses.json; no inline script (the pages run under a CSP without 'unsafe-inline').
// Without script the SVG plot inside the same figure stays.

const COLOURS = { flagged: "#b3261e", open: "#b06000", ok: "#1d5e20", candidate: "#5b2a86" };

async function start() {
  const holder = document.getElementById("leaflet-map");
  if (!holder || typeof L === "undefined") return;
  const response = await fetch(holder.dataset.source, { credentials: "same-origin" });
  if (!response.ok) return;
  const houses = await response.json();
  holder.hidden = false;
  document.getElementById("svg-map")?.remove();
  const map = L.map(holder, { preferCanvas: false, zoomControl: true });
  if (holder.dataset.tileUrl) {
    L.tileLayer(holder.dataset.tileUrl, { maxZoom: 18, attribution: holder.dataset.attribution || "" }).addTo(map);
  }
  const markers = houses.map((house) => L.circleMarker([house.lat, house.lon], {
    radius: 8, color: "#fff", weight: 2, fillColor: COLOURS[house.status] ?? "#333", fillOpacity: 1,
    className: `house-marker status-${house.status}`,
  }).bindTooltip(house.label).on("click", () => { if (house.href) window.location.href = house.href; }).addTo(map));
  if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.1));
  else map.setView([35.68, 139.76], 5);
  // The zoom level as an attribute: what a reader (or a test) can see change after pan and zoom.
  holder.dataset.zoom = String(map.getZoom());
  map.on("zoomend", () => { holder.dataset.zoom = String(map.getZoom()); });
  holder.dataset.ready = String(markers.length);
}

start().catch((error) => console.error("map", error));
