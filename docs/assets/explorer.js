/* The Explorer page: any two quantities of models.json on log scales, filtered, shareable, exportable.
 *
 * Libraries (docs/assets/vendor/, versions in VENDORED.json): Observable Plot draws the chart,
 * Tablesort sorts the table. Numbers are written by window.book.format (macros/format.py's
 * rules) and weight memory is computed by window.book.formulas.weight_bytes, the book's own
 * formula compiled to JavaScript. The view (axes, colour, filters, precision) lives in the URL's
 * query string, so a copied address restores it. The element is configured by attributes:
 *   data-explorer-models  URL of models.json (required)
 */
(function () {
  "use strict";

  var F = window.book.format;
  var STATUSES = ["disclosed", "estimated", "claimed", "rumored", "undisclosed"];
  var STATUS_COLOURS = ["#3b6fb6", "#e08a1e", "#8e5ab5", "#c0392b", "#8a8a8a"];
  var PRECISIONS = Object.keys(window.book.formulas.BYTES_PER_PARAM);

  function status(input) { return input ? input.status : "undisclosed"; }
  function worst() {
    var rank = 0;
    for (var i = 0; i < arguments.length; i++) rank = Math.max(rank, STATUSES.indexOf(arguments[i] || "undisclosed"));
    return STATUSES[rank];
  }

  /* Each quantity: its value for a model (null when unknown), its status, and how to write it. */
  var QUANTITIES = {
    params: { label: "Parameters", value: function (m) { return m.computed.params; },
      status: function (m) { return status(m.inputs.params); }, text: function (v) { return F.count(v); } },
    active: { label: "Active parameters", value: function (m) { return m.computed.active_params; },
      status: function (m) { return status(m.inputs.active_params || m.inputs.params); }, text: function (v) { return F.count(v); } },
    tokens: { label: "Training tokens", value: function (m) { return m.computed.tokens; },
      status: function (m) { return status(m.inputs.tokens); }, text: function (v) { return F.count(v); } },
    flops: { label: "Training compute 6ND (FLOP)", value: function (m) { return m.computed.train_flops; },
      status: function (m) { return m.derived_status; }, text: function (v) { return F.text(v, "flop"); },
      tick: function (v) { return F.scientific(v); } },
    tpp: { label: "Tokens per parameter", value: function (m) { return m.computed.tokens_per_param; },
      status: function (m) { return worst(status(m.inputs.tokens), status(m.inputs.params)); }, text: function (v) { return F.plain(v); } },
    memory: { label: "Weight memory", value: function (m, view) {
      return m.computed.params === null ? null : window.book.formulas.weight_bytes(m.computed.params, view.prec);
    }, status: function (m) { return status(m.inputs.params); }, text: function (v) { return F.text(v, "bytes"); } },
    released: { label: "Release date", time: true, value: function (m) { return new Date(m.released + "T00:00:00Z"); },
      status: function () { return "disclosed"; }, text: function (v) { return v.toISOString().slice(0, 10); } },
  };
  var DEFAULT = { x: "params", y: "tokens", color: "status", prec: "bf16", open: "", org: "", era: "", status: "" };

  function readView() {
    var q = new URLSearchParams(window.location.search), view = {};
    Object.keys(DEFAULT).forEach(function (k) { view[k] = q.get(k) || DEFAULT[k]; });
    if (!QUANTITIES[view.x]) view.x = DEFAULT.x;
    if (!QUANTITIES[view.y]) view.y = DEFAULT.y;
    if (PRECISIONS.indexOf(view.prec) < 0) view.prec = DEFAULT.prec;
    return view;
  }

  function writeView(view) {
    var q = new URLSearchParams();
    Object.keys(DEFAULT).forEach(function (k) { if (view[k] !== DEFAULT[k]) q.set(k, view[k]); });
    var s = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function select(name, label, options, value) {
    var s = el("select", { name: name, id: "explorer-" + name });
    options.forEach(function (o) {
      var opt = el("option", { value: o[0] }, [o[1]]);
      if (o[0] === value) opt.selected = true;
      s.appendChild(opt);
    });
    return el("label", { class: "book-explorer__control", for: "explorer-" + name }, [label + " ", s]);
  }

  function sourceLabel(doc, key) {
    var s = doc.sources[key];
    return s ? s.authors.split(",")[0].replace(/\s*\(.*$/, "") + " (" + s.year + ")" : key;
  }

  function points(doc, view) {
    var qx = QUANTITIES[view.x], qy = QUANTITIES[view.y];
    return doc.models.filter(function (m) {
      if (view.open && String(m.open_weights) !== view.open) return false;
      if (view.org && m.org !== view.org) return false;
      if (view.era && m.era.slug !== view.era) return false;
      return true;
    }).map(function (m) {
      var x = qx.value(m, view), y = qy.value(m, view);
      var st = worst(qx.status(m), qy.status(m));
      return { m: m, x: x, y: y, xs: qx.status(m), ys: qy.status(m), status: st, era: m.era.short };
    }).filter(function (p) {
      var ok = function (v, q) { return v !== null && v !== undefined && (q.time || v > 0); };
      return ok(p.x, qx) && ok(p.y, qy) && (!view.status || p.status === view.status);
    });
  }

  function tip(doc, view, p) {
    var qx = QUANTITIES[view.x], qy = QUANTITIES[view.y];
    return p.m.name + " (" + p.m.org + ", " + p.m.released + ")\n" +
      qx.label + ": " + qx.text(p.x) + " (" + p.xs + ")\n" +
      qy.label + ": " + qy.text(p.y) + " (" + p.ys + ")\n" +
      "Sources: " + p.m.sources.map(function (k) { return sourceLabel(doc, k); }).join("; ");
  }

  function axis(q, view) {
    var label = q.label + (q === QUANTITIES.memory ? " at " + view.prec.toUpperCase() + " (bytes)" : "");
    if (q.time) return { type: "utc", label: label, grid: true };
    return { type: "log", label: label, grid: true, tickFormat: q.tick || q.text, ticks: 5 };
  }

  function draw(ui, doc, view) {
    var pts = points(doc, view);
    var colour = view.color === "era"
      ? { legend: true, domain: uniq(doc.models.map(function (m) { return m.era.short; })) }
      : { legend: true, domain: STATUSES, range: STATUS_COLOURS };
    var width = Math.max(300, ui.chart.clientWidth || 640);
    var chart = window.Plot.plot({
      width: width,
      height: Math.round(Math.min(520, Math.max(300, width * 0.62))),
      marginLeft: 70,
      style: { background: "transparent", color: "currentColor", fontSize: "12px" },
      x: axis(QUANTITIES[view.x], view),
      y: axis(QUANTITIES[view.y], view),
      color: colour,
      marks: [
        window.Plot.dot(pts, {
          x: "x", y: "y", r: 5, stroke: "currentColor", strokeWidth: 0.6,
          fill: view.color === "era" ? "era" : "status",
          title: function (p) { return tip(doc, view, p); }, tip: true,
        }),
      ],
    });
    chart.setAttribute("aria-label", QUANTITIES[view.y].label + " against " + QUANTITIES[view.x].label + ": " + pts.length + " models");
    chart.addEventListener("input", function () { show(ui, doc, view, chart.value); });
    // By keyboard (or screen reader): the same provenance, a model chosen from the plotted ones.
    ui.pick.textContent = "";
    ui.pick.appendChild(el("option", { value: "" }, ["choose a plotted model"]));
    pts.forEach(function (p, i) { ui.pick.appendChild(el("option", { value: String(i) }, [p.m.name])); });
    ui.pick.onchange = function () { show(ui, doc, view, pts[Number(ui.pick.value)] || null); };
    chart.addEventListener("click", function () {
      if (chart.value) window.location.hash = "model-" + chart.value.m.id;
    });
    ui.chart.textContent = "";
    ui.chart.appendChild(chart);
    ui.count.textContent = pts.length + " of " + doc.models.length + " models plotted (a model without both values, or filtered out, is not drawn).";
    ui.points = pts;
  }

  function show(ui, doc, view, p) {
    ui.selected.textContent = "";
    if (!p) return;
    ui.selected.appendChild(document.createTextNode(tip(doc, view, p).split("\n").join(" · ") + " · "));
    ui.selected.appendChild(el("a", { href: "#model-" + p.m.id }, ["its row in the table"]));
  }

  function uniq(list) { return list.filter(function (v, i) { return list.indexOf(v) === i; }); }

  function download(name, type, text) {
    var a = el("a", { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function csv(ui, view) {
    var quote = function (v) { v = v instanceof Date ? v.toISOString().slice(0, 10) : String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var rows = [["id", "name", "org", "released", "era", view.x, view.x + "_status", view.y, view.y + "_status"]];
    ui.points.forEach(function (p) { rows.push([p.m.id, p.m.name, p.m.org, p.m.released, p.era, p.x, p.xs, p.y, p.ys]); });
    return rows.map(function (r) { return r.map(quote).join(","); }).join("\n") + "\n";
  }

  function svg(ui) {
    // The chart itself, not a legend swatch: Plot wraps chart and legend in a <figure> when there is a legend.
    var node = ui.chart.querySelector(":scope > figure > svg, :scope > svg");
    var copy = node.cloneNode(true);
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    copy.setAttribute("style", "color: #111; background: #fff; font: 12px sans-serif");
    return new XMLSerializer().serializeToString(copy);
  }

  function controls(doc, view, redraw) {
    var q = Object.keys(QUANTITIES).map(function (k) { return [k, QUANTITIES[k].label]; });
    var orgs = uniq(doc.models.map(function (m) { return m.org; })).sort();
    var eras = uniq(doc.models.map(function (m) { return m.era.slug + "|" + m.era.name; }));
    var form = el("form", { class: "book-explorer__controls", "aria-label": "Chart settings" }, [
      select("x", "Horizontal axis", q, view.x),
      select("y", "Vertical axis", q, view.y),
      select("color", "Colour by", [["status", "status of the values"], ["era", "era"]], view.color),
      select("prec", "Precision (weight memory)", PRECISIONS.map(function (p) { return [p, p.toUpperCase()]; }), view.prec),
      select("open", "Weights", [["", "open and closed"], ["true", "open only"], ["false", "closed only"]], view.open),
      select("org", "Organisation", [["", "all"]].concat(orgs.map(function (o) { return [o, o]; })), view.org),
      select("era", "Era", [["", "all"]].concat(eras.map(function (e) { return e.split("|"); })), view.era),
      select("status", "Status", [["", "any"]].concat(STATUSES.map(function (s) { return [s, s]; })), view.status),
    ]);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("change", function (ev) {
      view[ev.target.name] = ev.target.value;
      writeView(view);
      redraw();
    });
    return form;
  }

  function render(root, doc) {
    var view = readView();
    var ui = {
      chart: el("div", { class: "book-explorer__chart" }),
      count: el("p", { class: "book-explorer__count", "aria-live": "polite" }),
      selected: el("p", { class: "book-explorer__selected", "aria-live": "polite" }),
      pick: el("select", { id: "explorer-pick" }),
      points: [],
    };
    var redraw = function () { draw(ui, doc, view); };
    var csvButton = el("button", { type: "button", class: "md-button" }, ["Download this view as CSV"]);
    var svgButton = el("button", { type: "button", class: "md-button" }, ["Download the chart as SVG"]);
    csvButton.addEventListener("click", function () { download("models-" + view.y + "-vs-" + view.x + ".csv", "text/csv", csv(ui, view)); });
    svgButton.addEventListener("click", function () { download("models-" + view.y + "-vs-" + view.x + ".svg", "image/svg+xml", svg(ui)); });
    root.textContent = "";
    var pickLabel = el("label", { class: "book-explorer__control", for: "explorer-pick" }, ["Where a point's numbers come from ", ui.pick]);
    [controls(doc, view, redraw), ui.count, ui.chart, pickLabel, ui.selected, el("p", { class: "book-explorer__exports" }, [csvButton, " ", svgButton])]
      .forEach(function (n) { root.appendChild(n); });
    root.hidden = false;
    redraw();
    var resized = null;
    window.addEventListener("resize", function () { clearTimeout(resized); resized = setTimeout(redraw, 150); });
    window.book.explorerTable(document.querySelector("[data-explorer-table]"), doc);
  }

  function init() {
    document.querySelectorAll("[data-explorer-models]").forEach(function (root) {
      if (root.getAttribute("data-ready")) return;
      root.setAttribute("data-ready", "loading");
      fetch(root.getAttribute("data-explorer-models"))
        .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); })
        .then(function (doc) { render(root, doc); root.setAttribute("data-ready", "yes"); })
        .catch(function (err) {
          root.setAttribute("data-ready", "failed");
          root.hidden = false;
          root.textContent = "The explorer could not load models.json (" + err.message + "); the table below still lists every model.";
        });
    });
  }

  window.book.explorer = { QUANTITIES: QUANTITIES, readView: readView };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
