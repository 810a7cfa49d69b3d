// The chart of /compare: official fees and net cost per jurisdiction, one bar group per currency.
// Reads the figures the server rendered (#compare-data); draws nothing and leaves the tables alone
// when Chart.js is missing. Jurisdictions without an amount are left out of the chart, as the table says.
(function () {
  "use strict";
  var holder = document.getElementById("compare-data");
  var canvas = document.getElementById("compare-chart");
  if (!holder || !canvas || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var currencies = {};
  data.net.forEach(function (n) { Object.keys(n.amounts || {}).forEach(function (c) { currencies[c] = true; }); });
  var keep = data.columns.map(function (_k, i) { return Object.keys(data.net[i].amounts || {}).length > 0; });
  var labels = data.labels.filter(function (_l, i) { return keep[i]; }).map(function (l) { return l[data.lang] || l.en; });
  var datasets = [];
  Object.keys(currencies).sort().forEach(function (cur) {
    var pick = function (field) {
      return data.net.filter(function (_n, i) { return keep[i]; }).map(function (n) {
        var v = (n[field] || {})[cur]; return v === undefined ? null : Number(v);
      });
    };
    datasets.push({ label: data.fees + " (" + cur + ")", data: pick("fees"), backgroundColor: "#9bb7e8" });
    datasets.push({ label: data.netLabel + " (" + cur + ")", data: pick("amounts"), backgroundColor: "#1a7f37" });
  });
  window.ipkgCompareChart = new window.Chart(canvas, {
    type: "bar",
    data: { labels: labels, datasets: datasets },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } }
  });
  canvas.dataset.ready = "true";
})();
