// A chart of SPARQL JSON results (bar or line) with Chart.js, shared by the /sparql editor's "Chart"
// view and the /queries pages. The reader picks the label column, the value column and the kind of
// chart; columns whose every value is a number are offered as values. Nothing is drawn (and the
// caller's table stays) when Chart.js is missing. A map of provinces and prefectures is not offered:
// the graph holds no boundaries or coordinates of its places, and none are fetched from elsewhere.
(function () {
  "use strict";
  function isNumber(term) {
    return term && term.type !== "uri" && term.type !== "bnode" && term.value.trim() !== "" && isFinite(Number(term.value));
  }
  function tail(iri) { return iri.replace(/[#\/]+$/, "").split(/[#\/]/).pop(); }
  function text(term) { return !term ? "" : term.type === "uri" ? tail(term.value) : term.value; }
  function option(select, value, label, selected) {
    var o = document.createElement("option"); o.value = value; o.textContent = label; o.selected = !!selected; select.appendChild(o);
  }
  function labelled(labelText, control) {
    var l = document.createElement("label"); l.textContent = labelText + " "; l.appendChild(control); return l;
  }
  function mount(controls, canvas, results) {
    if (typeof window.Chart === "undefined" || !results || !results.head) { return null; }
    var vars = results.head.vars || [], rows = (results.results || {}).bindings || [];
    var numeric = vars.filter(function (v) { var vals = rows.filter(function (r) { return r[v]; }); return vals.length && vals.every(function (r) { return isNumber(r[v]); }); });
    controls.innerHTML = "";
    if (!numeric.length) {
      var p = document.createElement("p"); p.className = "muted chart-none"; p.textContent = "No column of these results holds only numbers, so there is nothing to chart.";
      controls.appendChild(p); canvas.hidden = true; return null;
    }
    canvas.hidden = false;
    var kind = document.createElement("select"); kind.className = "chart-kind";
    option(kind, "bar", "bar", true); option(kind, "line", "line");
    var label = document.createElement("select"); label.className = "chart-label";
    var others = vars.filter(function (v) { return numeric.indexOf(v) < 0; });
    (others.length ? others : vars).forEach(function (v, i) { option(label, v, v, i === 0); });
    var value = document.createElement("select"); value.className = "chart-value";
    // the amount rather than a line number or a year: a column named like a quantity first, else the first numeric one
    var preferred = numeric.filter(function (v) { return /amount|value|count|total|sum|^n$|fee/i.test(v); })[0] ||
      numeric.filter(function (v) { return !/line|year|ordinal|rank/i.test(v); })[0] || numeric[0];
    numeric.forEach(function (v) { option(value, v, v, v === preferred); });
    controls.appendChild(labelled("chart", kind)); controls.appendChild(labelled("labels", label)); controls.appendChild(labelled("values", value));
    var chart = null;
    function draw() {
      if (chart) { chart.destroy(); }
      chart = new window.Chart(canvas, {
        type: kind.value,
        data: { labels: rows.map(function (r) { return text(r[label.value]); }),
                datasets: [{ label: value.value, data: rows.map(function (r) { return r[value.value] ? Number(r[value.value].value) : null; }),
                             backgroundColor: "#4a78c2", borderColor: "#4a78c2" }] },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } }
      });
      canvas.dataset.ready = "true"; canvas.dataset.kind = kind.value;
    }
    [kind, label, value].forEach(function (s) { s.addEventListener("change", draw); });
    draw();
    return { redraw: draw };
  }
  window.ipkgResultsChart = { mount: mount };
})();
