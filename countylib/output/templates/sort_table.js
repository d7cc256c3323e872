/* Sort the reports table by a column when its heading is clicked: numeric columns as numbers, other
   columns in Chinese collation; missing values always last. Values come from each cell's data-v. */
(function () {
  "use strict";
  var table = document.getElementById("reports");
  if (!table) { return; }
  var collator = new Intl.Collator("zh-CN", {numeric: true});
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, i) {
    var numeric = th.classList.contains("num");
    function value(row) {
      var cell = row.cells[i], raw = cell.getAttribute("data-v");
      if (raw === null) { raw = cell.textContent; }
      if (raw === "") { return null; }
      return numeric ? parseFloat(raw) : raw;
    }
    th.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (r1, r2) {
        var a = value(r1), b = value(r2);
        if (a === null || b === null) { return a === b ? 0 : (a === null ? 1 : -1); }
        return dir * (numeric ? a - b : collator.compare(a, b));
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
