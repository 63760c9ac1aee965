/* The Explorer page's table: every model of models.json, full width, sortable by Tablesort.
 *
 * Replaces the first rows the page ships as HTML (readable without JavaScript). Each number is
 * written by window.book.format and sorts by its raw value (data-sort); each row has the id
 * model-<id>, which the chart links to. Headers sort by click, Enter or Space.
 */
(function () {
  "use strict";

  var F = window.book.format;
  var STATUSES = ["disclosed", "estimated", "claimed", "rumored", "undisclosed"];
  var FLAGS = {};  // from models.json (status_flags): the words the pages put after an uncertain number

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function st(input) { return input ? input.status : "undisclosed"; }
  function worst(a, b) { return STATUSES[Math.max(STATUSES.indexOf(a), STATUSES.indexOf(b))]; }

  /* A title in plain text, set as a DOM property: the browser never reads it as markup, and a
   * screen reader, the native tooltip and copy-paste get the characters the data holds (an
   * entity code escaped for HTML would reach them verbatim). Material's tooltips, which insert
   * a title as HTML, mount once on the titles present when the page loads; this table is built
   * after models.json arrives, so they never read these. */
  function titled(node, text) {
    node.title = String(text);
    return node;
  }

  /* One number as the chapters show it: an <abbr> whose title says what it is and its status. */
  function num(value, status, text, what) {
    if (value === null || value === undefined) {
      return el("td", { class: "num-cell", "data-sort": "-9999" }, [
        titled(el("abbr", { class: "num num--undisclosed", "data-status": "undisclosed" }, ["undisclosed"]), what + " (undisclosed)")]);
    }
    var parts = [titled(el("abbr", { class: "num num--" + status, "data-status": status }, [text(value)]), what + " (" + status + ")")];
    if (FLAGS[status]) parts.push(el("sup", { class: "num-flag num-flag--" + status }, [FLAGS[status]]));
    // Tablesort's number sort keeps only digits, "-" and "." of a key: the decimal logarithm sorts as the value does.
    return el("td", { class: "num-cell", "data-sort": Math.log10(value).toFixed(12) }, parts);
  }

  var COLUMNS = [
    ["Model", false, function (m) { return el("td", {}, [m.name]); }],
    ["Organisation", false, function (m) { return el("td", {}, [m.org]); }],
    ["Released", false, function (m) { return el("td", { class: "nowrap" }, [m.released]); }],
    ["Era", false, function (m) { return el("td", {}, [m.era.short]); }],
    ["Open weights", false, function (m) { return el("td", {}, [m.open_weights ? "yes" : "no"]); }],
    ["Parameters", true, function (m) { return num(m.computed.params, st(m.inputs.params), F.count, "Parameters of " + m.name); }],
    ["Active", true, function (m) { return num(m.computed.active_params, st(m.inputs.active_params || m.inputs.params), F.count, "Active parameters of " + m.name); }],
    ["Training tokens", true, function (m) { return num(m.computed.tokens, st(m.inputs.tokens), F.count, "Training tokens of " + m.name); }],
    ["Training compute 6ND", true, function (m) { return num(m.computed.train_flops, m.derived_status, function (v) { return F.text(v, "flop"); }, "Training compute of " + m.name + " = 6 × N_active × D"); }],
    ["Tokens per parameter", true, function (m) { return num(m.computed.tokens_per_param, worst(st(m.inputs.tokens), st(m.inputs.params)), F.plain, "Tokens per parameter of " + m.name + " = D ÷ N"); }],
    ["Weights at BF16", true, function (m) {
      var n = m.computed.params;
      return num(n === null ? null : window.book.formulas.weight_bytes(n, "bf16"), st(m.inputs.params), function (v) { return F.text(v, "bytes"); }, "Weights of " + m.name + " at BF16 = N × bytes per parameter");
    }],
    ["Sources", false, function (m, doc) {
      // One short numbered link per source (its citation in the link's name and tooltip, as plain
      // text): the column stays narrow and the rows one line high, however long the keys are.
      var td = el("td", { class: "book-explorer-table__sources" });
      m.sources.forEach(function (key, i) {
        var s = doc.sources[key];
        var n = String(i + 1);
        if (i) td.appendChild(document.createTextNode(" "));
        if (!s) { td.appendChild(document.createTextNode(key)); return; }
        var a = el("a", { href: s.url, class: "cite" }, [n]);
        a.title = s.authors + " (" + s.year + "): " + s.title;
        a.setAttribute("aria-label", "Source " + n + " of " + m.name + ": " + a.title);
        td.appendChild(a);
      });
      return td;
    }],
  ];

  window.book = window.book || {};
  window.book.explorerTable = function (root, doc) {
    if (!root) return;
    FLAGS = doc.status_flags || {};
    if (doc.statuses) STATUSES = doc.statuses;
    var head = el("tr");
    COLUMNS.forEach(function (c, i) {
      var th = el("th", { tabindex: "0", role: "columnheader", "aria-sort": "none", title: "Sort by " + c[0].toLowerCase() }, [c[0]]);
      if (c[1]) th.setAttribute("data-sort-method", "number");
      if (i === 0) th.setAttribute("data-sort-default", "");
      th.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); th.click(); }
      });
      head.appendChild(th);
    });
    var body = el("tbody");
    doc.models.forEach(function (m) {
      var tr = el("tr", { id: "model-" + m.id });
      COLUMNS.forEach(function (c) { tr.appendChild(c[2](m, doc)); });
      body.appendChild(tr);
    });
    var table = el("table", { class: "book-explorer-table__table" }, [el("thead", {}, [head]), body]);
    root.textContent = "";
    root.appendChild(el("div", { class: "book-explorer-table__scroll" }, [table]));
    new window.Tablesort(table);
    root.setAttribute("data-ready", "yes");
    if (window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      if (target) target.scrollIntoView();
    }
  };
})();
