/* countylib interactive county map (Leaflet). Polygons arrive as delta-encoded integer rings; every
   string from data is written with textContent, never as HTML. */
(function () {
  "use strict";
  function decode(ring, q) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < ring.length; i += 2) { x += ring[i]; y += ring[i + 1]; out.push([y * q, x * q]); }
    return out;
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function tooltip(props, fields) {
    var box = el("div");
    box.appendChild(el("b", props.name));
    fields.forEach(function (f) {
      var v = props[f[0]];
      if (v === undefined || v === null || v === "") { return; }
      var row = el("div");
      row.appendChild(el("span", f[1] + "：", "k"));
      row.appendChild(document.createTextNode(String(v)));
      box.appendChild(row);
    });
    return box;
  }
  function legend(spec) {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "countylib-map-legend");
      box.appendChild(el("b", spec.title));
      spec.items.forEach(function (item) {
        var row = el("div"), swatch = el("i");
        swatch.style.background = item[0];
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(item[1]));
        box.appendChild(row);
      });
      if (spec.note) { box.appendChild(el("div", spec.note, "note")); }
      return box;
    };
    return control;
  }
  window.countylibMap = function (id, spec) {
    var node = document.getElementById(id);
    if (!node || !window.L || node.countylibMap) { return; }
    node.textContent = "";  // the hint shown where scripts do not run
    var map = L.map(node, {zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: false});
    node.countylibMap = map;
    var base = {color: "#ffffff", weight: 0.7, opacity: 1, fillOpacity: 0.88};
    var layers = spec.features.map(function (f) {
      var latlngs = f.g.map(function (poly) { return poly.map(function (r) { return decode(r, spec.q); }); });
      // a unit with only a bound or an approximation: white with a dark outline, as on the static map
      var own = f.p.edge ? {weight: 1.6, color: f.p.edge} : {weight: base.weight, color: base.color};
      var layer = L.polygon(latlngs, L.extend({}, base, own, {fillColor: f.p.fill}));
      layer.bindTooltip(function () { return tooltip(f.p, spec.fields); }, {sticky: true, direction: "top", opacity: 0.96});
      layer.on("mouseover", function () { layer.setStyle({weight: 2.4, color: "#1f2328"}); layer.bringToFront(); });
      layer.on("mouseout", function () { layer.setStyle(own); });
      return layer.addTo(map);
    });
    map.fitBounds(L.featureGroup(layers).getBounds(), {padding: [6, 6]});
    L.control.scale({imperial: false}).addTo(map);
    legend(spec.legend).addTo(map);
    node.addEventListener("click", function () { map.scrollWheelZoom.enable(); });
    node.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); });
  };
})();
