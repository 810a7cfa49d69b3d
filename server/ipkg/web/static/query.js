// The /sparql page: YASGUI over this endpoint only, with the catalogue as a grouped, searchable menu
// (not one tab per query), autocompletion from this server's /api/terms, results whose IRIs open the
// local pages, a "Chart" view of the results, a share link that reopens the same query and names the release
// (a link made on another release says so), and a "cite these results" box after each answer.
// Nothing leaves this server: the endpoint list holds just this endpoint, YASGUI's own class and
// property autocompleters (LOV) and its prefix.cc lookup stay off; ours read /api/terms.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (typeof window.Yasgui === "undefined" || !el) { return; }  // script missing: keep the plain form
  var Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;
  var endpoint = new URL(el.dataset.endpoint, window.location.href).href;
  var base = el.dataset.base;  // the graph's base IRI: IRIs under it have a page on this server
  var known = JSON.parse(el.dataset.prefixes || "{}");  // the project's prefixes, for IRIs the query does not prefix
  var terms = null;
  function loadTerms() {
    if (!terms) {
      terms = fetch(el.dataset.terms, { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error("GET /api/terms: " + r.status); } return r.json(); });
    }
    return terms;
  }
  // Autocompleters over the graph's own terms: forks of YASGUI's, reading /api/terms (bulk: fetched once).
  Yasqe.forkAutocompleter("prefixes", { name: "ipkgPrefixes", persistenceId: null, get: function () {
    return loadTerms().then(function (t) { return Object.keys(t.prefixes).sort().map(function (p) { return p + ": <" + t.prefixes[p] + ">"; }); });
  } }, false);
  Yasqe.forkAutocompleter("class", { name: "ipkgClasses", bulk: true, persistenceId: null, get: function () {
    return loadTerms().then(function (t) { return t.classes; });
  } }, false);
  Yasqe.forkAutocompleter("property", { name: "ipkgProperties", bulk: true, persistenceId: null, get: function () {
    return loadTerms().then(function (t) { return t.properties; });
  } }, false);
  var completers = ["ipkgPrefixes", "ipkgClasses", "ipkgProperties", "variables"];
  [Yasqe.defaults, Yasgui.defaults.yasqe].forEach(function (d) {
    d.autocompleters = completers.slice();  // Yasqe merges arrays index by index: set the shared defaults themselves
    d.prefixCcApi = null;
  });
  // IRIs open the local page in this window
  if (Yasr.plugins.table) { Yasr.plugins.table.defaults.openIriInNewWindow = false; }

  // The "Chart" view of YASR (bar / line), when Chart.js is installed.
  if (window.Chart && window.ipkgResultsChart) {
    var ChartPlugin = function (yasr) { this.yasr = yasr; this.priority = 5; this.label = "Chart"; };
    ChartPlugin.prototype.canHandleResults = function () {
      var r = this.yasr.results; return !!(r && r.getVariables && r.getVariables() && r.getVariables().length);
    };
    ChartPlugin.prototype.getIcon = function () { var s = document.createElement("span"); s.textContent = "▥"; return s; };
    ChartPlugin.prototype.draw = function () {
      var wrap = document.createElement("div"); wrap.className = "ipkg-chart";
      var controls = document.createElement("div"); controls.className = "chart-controls";
      var box = document.createElement("div"); box.className = "chart-box";
      var canvas = document.createElement("canvas"); canvas.id = "yasr-chart"; box.appendChild(canvas);
      wrap.appendChild(controls); wrap.appendChild(box); this.yasr.resultsEl.appendChild(wrap);
      var json = JSON.parse(this.yasr.results.getOriginalResponseAsString());
      window.ipkgResultsChart.mount(controls, canvas, json);
    };
    Yasr.registerPlugin("chart", ChartPlugin);
  }

  var examples = JSON.parse(document.getElementById("ipkg-examples").textContent);
  var byName = {};
  examples.forEach(function (ex) { byName[ex.name] = ex; });
  var shared = new URLSearchParams(window.location.hash.slice(1));
  var fromHash = shared.get("query");
  // The release a shared link was made on ("+" may arrive as a space when someone typed it unencoded): if it is not
  // the release served here, say so before the results, which may differ.
  var held = el.dataset.release;
  var sharedRelease = (shared.get("release") || "").replace(/ /g, "+");
  var mismatch = document.getElementById("release-mismatch");
  if (sharedRelease && sharedRelease !== held) {
    mismatch.querySelector(".message").textContent = mismatch.dataset.message.replace("{shared}", sharedRelease).replace("{held}", held);
    mismatch.hidden = false;
    mismatch.dataset.shared = sharedRelease;
  }
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: true,
    persistenceId: "ipkg-sparql-v2",  // not the old one, which kept a tab per catalogue query
    autofocus: false,
    corsProxy: undefined,
    yasqe: { value: document.getElementById("query").value, prefixCcApi: null, autocompleters: completers.slice() }
  });
  function current() { return yasgui.getTab(); }

  // Local links: IRIs of the graph open their page on this server, shortened like the query writes them.
  function localise(root) {
    root.querySelectorAll("a.iri").forEach(function (a) {
      var iri = a.getAttribute("href");
      if (a.dataset.local || !iri) { return; }
      if (iri.indexOf(base) !== 0) {  // another vocabulary's term (xsd:integer): shortened, left where it is
        a.dataset.local = "0";
        Object.keys(known).forEach(function (p) {
          var ns = known[p], rest = iri.slice(ns.length);
          if (a.textContent === iri && iri.indexOf(ns) === 0 && /^[\w.-]+$/.test(rest)) { a.textContent = p + ":" + rest; }
        });
        return;
      }
      a.dataset.local = "1";
      a.title = iri;
      a.setAttribute("href", "/" + iri.slice(base.length));
      a.removeAttribute("target");
      if (a.textContent === iri) { a.textContent = iri.slice(base.length + (iri.indexOf(base + "id/") === 0 ? 3 : 0)); }
    });
  }
  new MutationObserver(function () { localise(el); }).observe(el, { childList: true, subtree: true });

  // The catalogue menu: filter as you type; a click loads the query into the current tab and runs it.
  var menu = document.getElementById("catalogue-menu");
  var filter = document.getElementById("catalogue-filter");
  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    menu.querySelectorAll("a.item").forEach(function (a) {
      var hit = words.every(function (w) { return a.dataset.search.indexOf(w) >= 0; });
      a.parentElement.hidden = !hit;
    });
    menu.querySelectorAll(".menu-theme, .menu-family").forEach(function (g) {
      g.hidden = !g.querySelector("li:not([hidden])");
    });
  }
  filter.addEventListener("input", applyFilter);
  menu.addEventListener("toggle", function () { if (menu.open) { filter.focus(); } });
  menu.querySelectorAll("a.item").forEach(function (a) {
    a.addEventListener("click", function (event) {
      var ex = byName[a.dataset.name];
      if (!ex) { return; }  // follow the link to /queries/NAME
      event.preventDefault();
      menu.open = false;
      var tab = current();
      tab.setQuery(ex.text);
      tab.getYasqe().query();
      el.dataset.loaded = ex.name;
    });
  });

  // The share link: this page with the editor's query in the fragment (never sent to the server).
  var shareBox = document.getElementById("share-box");
  var shareLink = document.getElementById("share-link");
  shareBox.hidden = false;
  document.getElementById("share-button").addEventListener("click", function () {
    var url = window.location.origin + window.location.pathname + "#query=" + encodeURIComponent(current().getYasqe().getValue()) +
      "&release=" + encodeURIComponent(held);
    shareLink.value = url;
    shareLink.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(url).catch(function () {}); }
  });
  // "Cite these results": after each answer, the citation of the query that produced it, from /api/cite
  // (release, endpoint, query and share link, access date; text, BibTeX, CSL-JSON). The latest query wins.
  var citeBox = document.getElementById("cite-results");
  var asked = 0;
  function citeResults(query) {
    var mine = ++asked;
    var body = new URLSearchParams({ query: query, lang: el.dataset.lang || "en" });
    fetch(el.dataset.cite, { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (mine !== asked) { return; }
        if (!c) { citeBox.hidden = true; return; }
        function put(name, value) { citeBox.querySelector('[data-cite="' + name + '"]').textContent = value; }
        put("version", c.release); put("endpoint", c.endpoint); put("accessed", c.accessed); put("text", c.text);
        put("bibtex", c.bibtex); put("csl", JSON.stringify(c.csl, null, 2));
        var share = citeBox.querySelector('[data-cite="share"]');
        share.textContent = c.shareUrl; share.href = window.location.pathname + c.shareUrl.slice(c.shareUrl.indexOf("#"));
        citeBox.hidden = false;
        citeBox.dataset.query = query;
      })
      .catch(function () { if (mine === asked) { citeBox.hidden = true; } });
  }
  yasgui.on("queryResponse", function (instance, tab) { citeResults(tab.getYasqe().getValue()); });

  if (fromHash) {
    current().setQuery(fromHash);
    current().getYasqe().query();
  }

  document.getElementById("plain").hidden = true;
  el.dataset.ready = "true";
  window.ipkgYasgui = yasgui;
})();
