/* npvr report renderer: draws every <div data-fig="ID"> from window.NPVR_FIGS[ID].
   GeoJSON sentinels like "@gemeente" are replaced by window.NPVR_GEO["gemeente"]; a line trace with
   lon "@outlines" gets the region outlines from window.NPVR_GEO.outlines.
   A <select data-map-for="DIVID"> switches the figure shown in that div (value = figure id). */
(function () {
  "use strict";
  var CONFIG = {responsive: true, displaylogo: false, locale: document.documentElement.lang || "nl"};
  function resolve(fig) {
    (fig.data || []).forEach(function (tr) {
      if (typeof tr.geojson === "string" && tr.geojson.charAt(0) === "@") {
        tr.geojson = window.NPVR_GEO[tr.geojson.slice(1)];
      }
      if (tr.locations === "@codes") { tr.locations = window.NPVR_GEO.codes; }
      if (tr.customdata === "@names") { tr.customdata = window.NPVR_GEO.names; }
      if (tr.lon === "@outlines" && window.NPVR_GEO.outlines) {  /* region outlines, embedded once */
        tr.lon = window.NPVR_GEO.outlines.lon;
        tr.lat = window.NPVR_GEO.outlines.lat;
      }
    });
    return fig;
  }
  function draw(div, id, react) {
    var spec = window.NPVR_FIGS[id];
    if (!spec) { return; }
    var fig = resolve(JSON.parse(JSON.stringify(spec)));
    (react ? Plotly.react : Plotly.newPlot)(div, fig.data, fig.layout, CONFIG);
    div.setAttribute("data-rendered", id);
  }
  function init() {
    document.querySelectorAll("div[data-fig]").forEach(function (div) {
      draw(div, div.getAttribute("data-fig"), false);
    });
    document.querySelectorAll("select[data-map-for]").forEach(function (sel) {
      sel.addEventListener("change", function () {
        var target = sel.getAttribute("data-map-for");
        draw(document.getElementById(target), sel.value, true);
        var twin = sel.getAttribute("data-twin");  /* a second figure that follows, e.g. the region map */
        if (twin) { draw(document.getElementById(twin), "r" + sel.value, true); }
        var opt = sel.options[sel.selectedIndex];
        ["png", "csv"].forEach(function (kind) {
          var a = document.getElementById(target + "-" + kind);
          if (a && opt.getAttribute("data-" + kind)) { a.setAttribute("href", opt.getAttribute("data-" + kind)); }
        });
      });
    });
    document.body.setAttribute("data-npvr-ready", "1");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
