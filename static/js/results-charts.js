/* The results pages' charts: uPlot bars drawn on load, again on resize, and at A4 width before printing
   (the browser prints a canvas as it was last drawn). Also the printed pages' running header and the Print button. */
(function () {
  "use strict";

  var PRINT_WIDTH = 660;  // A4 (210 mm) less the 15 mm margins of print, in CSS px, less a little for the border
  var COLOR = "#2f7d4f";
  var source = document.getElementById("chart-data");
  if (!source) { return; }
  var payload = JSON.parse(source.textContent);
  var words = payload.words || {};
  var drawn = [];
  var printing = false;

  function cssString(text) {
    // A CSS string literal: backslash, quote and line breaks as hex escapes.
    return '"' + String(text).replace(/[\\"\n\r]/g, function (c) { return "\\" + c.charCodeAt(0).toString(16) + " "; }) + '"';
  }

  // The campaign's name and dates on every printed page, in @page margin boxes. The page's CSP allows no inline
  // style, so the rule goes into a constructed stylesheet.
  function runningHeader() {
    var el = document.getElementById("print-running");
    if (!el || !("adoptedStyleSheets" in document) || typeof CSSStyleSheet !== "function") { return; }
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync("@page { @top-left { content: " + cssString(el.dataset.title) + "; } " +
                        "@top-right { content: " + cssString(el.dataset.span) + "; } }");
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    } catch (e) { /* an older browser prints without the running header */ }
  }

  function number(value, digits) {
    return value.toLocaleString(document.documentElement.lang || "zh-Hans",
                                { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function short(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  var INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7,
                    5e7, 1e8, 2e8, 5e8, 1e9];

  function options(el, spec, width) {
    var labels = spec.labels, n = labels.length, horizontal = el.dataset.kind === "hbars";
    var percent = el.dataset.chart === "counties";
    var digits = percent ? 1 : 0;
    var longest = labels.reduce(function (m, l) { return Math.max(m, short(l, 12).length); }, 1);
    var labelSize = horizontal ? Math.min(200, 14 + longest * 13) : 28;
    var plotWidth = Math.max(60, width - (horizontal ? labelSize : 70));
    // Every label where there is room, else every k-th: a day label needs ~44 px, an hour's ~24.
    var step = horizontal ? 1 : Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotWidth / (12 + longest * 7)))));
    var ticks = [];
    for (var i = 0; i < n; i += step) { ticks.push(i); }
    var max = Math.max.apply(null, spec.values.concat([0]));
    var min = Math.min.apply(null, spec.values.concat([0]));
    var valueAxis = {
      side: horizontal ? 2 : 3, size: horizontal ? 30 : 70, stroke: "#4b5a52", grid: { stroke: "#e3e7e4" },
      // Whole yuan (tenths of a percent) only, so an empty chart's axis reads 0 and 1, not 0, 0, 0, 1, 1, 1; and
      // room for "110,000" between ticks along the bottom.
      incrs: percent ? [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50] : INCREMENTS, space: horizontal ? 90 : 40,
      values: function (u, splits) { return splits.map(function (v) { return number(v, percent && v % 1 ? 1 : 0); }); }
    };
    var categoryAxis = {
      side: horizontal ? 3 : 2, size: labelSize, stroke: "#4b5a52", grid: { show: false }, gap: 4,
      splits: function () { return ticks; },
      values: function (u, splits) { return splits.map(function (v) { return labels[v] === undefined ? "" : short(labels[v], 12); }); }
    };
    return {
      width: width, height: Number(el.dataset.height) || 220,
      legend: { show: false }, cursor: { show: false },
      scales: {
        x: { time: false, ori: horizontal ? 1 : 0, dir: horizontal ? -1 : 1, range: function () { return [-0.5, n - 0.5]; } },
        y: { ori: horizontal ? 0 : 1, dir: 1,
             range: function () { return [min < 0 ? min * 1.1 : 0, max > 0 ? max * (horizontal ? 1.25 : 1.1) : 1]; } }
      },
      axes: [categoryAxis, valueAxis],
      series: [{}, { label: percent ? words.percent : words.yuan, fill: COLOR, stroke: COLOR, fillTo: 0,
                     paths: uPlot.paths.bars({ size: [0.7, 48], align: 0 }), points: { show: false } }],
      hooks: { draw: horizontal ? [function (u) { valueLabels(u, spec, digits, percent); }] : [] }
    };
  }

  // Horizontal bars carry their value at their end, so the printed page reads without a tooltip.
  function valueLabels(u, spec, digits, percent) {
    var ctx = u.ctx, ratio = uPlot.pxRatio;
    ctx.save();
    ctx.fillStyle = "#1f2b25";
    ctx.font = (12 * ratio) + "px sans-serif";
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";  // uPlot leaves its axes' alignment on the context
    spec.values.forEach(function (v, i) {
      // valToPos without canvas pixels is CSS px inside the plotting area; bbox is in canvas pixels.
      var x = u.bbox.left + (u.valToPos(Math.max(v, 0), "y") + 6) * ratio;
      var y = u.bbox.top + u.valToPos(i, "x") * ratio;
      ctx.fillText(number(v, digits) + (percent ? "%" : ""), x, y);
    });
    ctx.restore();
  }

  function widthOf(el) {
    return printing ? PRINT_WIDTH : Math.max(200, el.clientWidth || el.parentNode.clientWidth || 600);
  }

  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = payload.charts[el.dataset.chart];
      if (!spec || !spec.labels.length) { return; }
      var width = widthOf(el);
      var found = drawn.filter(function (d) { return d.el === el; })[0];
      // A new plot each time: its axes' label room and tick spacing depend on the width.
      if (found) {
        if (found.width === width) { return; }
        found.plot.destroy();
        drawn.splice(drawn.indexOf(found), 1);
      }
      var plot = new uPlot(options(el, spec, width), [spec.labels.map(function (_l, i) { return i; }), spec.values], el);
      drawn.push({ el: el, plot: plot, width: width });
    });
  }

  function toPrint(on) {
    if (printing === on) { return; }
    printing = on;
    draw();
  }

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending || printing) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; draw(); });
  });
  window.addEventListener("beforeprint", function () { toPrint(true); });
  window.addEventListener("afterprint", function () { toPrint(false); });
  if (window.matchMedia) {
    var media = window.matchMedia("print");
    var follow = function (event) { toPrint(event.matches); };
    if (media.addEventListener) { media.addEventListener("change", follow); } else if (media.addListener) { media.addListener(follow); }
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { toPrint(true); window.print(); });
  });
  runningHeader();
  draw();
})();
