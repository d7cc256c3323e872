/* The index's finder: rows are kept or hidden by the search box (name, former name, pinyin initials,
   code; every word must match), the province and the prefecture. Data from the page's JSON; all text
   is compared, never written as HTML. */
(function () {
  "use strict";
  var table = document.getElementById("reports");
  var data = document.getElementById("finder-data");
  if (!table || !data) { return; }
  var byCode = {};
  JSON.parse(data.textContent).forEach(function (d) {
    byCode[d[0]] = {keys: d[1].toLowerCase(), province: d[2], prefecture: d[3]};
  });
  var q = document.getElementById("finder-q");
  var province = document.getElementById("finder-province");
  var prefecture = document.getElementById("finder-prefecture");
  var count = document.getElementById("finder-count");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var p = province.value, f = prefecture.value, shown = 0;
    Array.prototype.forEach.call(prefecture.options, function (o) {
      o.hidden = Boolean(o.value && p && o.getAttribute("data-province") !== p);
    });
    rows.forEach(function (row) {
      var d = byCode[row.cells[0].getAttribute("data-v")] || {keys: "", province: "", prefecture: ""};
      var ok = (!p || d.province === p) && (!f || d.prefecture === f) &&
        words.every(function (w) { return d.keys.indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "显示 " + shown + " / " + rows.length;
  }
  province.addEventListener("change", function () { prefecture.value = ""; apply(); });
  [q, prefecture].forEach(function (el) { el.addEventListener("input", apply); });
  if (window.location.hash.length > 1) { q.value = decodeURIComponent(window.location.hash.slice(1)); }
  apply();
})();
