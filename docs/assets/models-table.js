/* The all-models tables (Data appendix, eras chapter), filled in the browser from data/models.json.
 *
 * The page ships the first rows as plain HTML (readable without JavaScript); this script
 * replaces them with a searchable table of every model, sorted by the vendored Tablesort (which
 * must load first, with its number sort) on each cell's data-sort key; a row's cells are drawn
 * when it is first shown (a page at a time), so that the page stays light at thousands of models.
 * Numbers are written as the book writes them (window.book.format from book-format.js, which
 * must load first: macros/format.py compiled) and estimated, claimed or rumored values carry the
 * same flags as in the chapters.
 *
 * Each table is configured by attributes of its element:
 *   data-models-table    URL of models.json (required)
 *   data-models-columns  preset of columns: "data" (default) or "eras"
 *   data-models-sort     initial sort: a column key, "-key" for descending (default: the preset's)
 *   data-models-methods  URL of the Methods appendix: derived numbers link to their formula there
 *   data-models-ratio-status  status of the Chinchilla ratio (an input of the overtraining factor)
 */
(function () {
  "use strict";

  var PAGE = 100;
  var STATUSES = ["disclosed", "estimated", "claimed", "rumored", "undisclosed"];  // macros/records.py

  // The book's number formats (assets/book-format.js: macros/format.py compiled at build time).
  var F = window.book.format;
  var count = function (x) { return F.count(x); };
  var flop = function (x) { return F.text(x, "flop"); };
  var plain = function (x) { return F.plain(x); };  // the style "number": tokens per parameter
  var ratio = F.ratio;  // the style "ratio": overtraining factor

  function worst() {
    var rank = 0;
    for (var i = 0; i < arguments.length; i++) rank = Math.max(rank, STATUSES.indexOf(arguments[i] || "undisclosed"));
    return STATUSES[rank];
  }

  /* Material's tooltips (content.tooltips) insert a title as HTML: a source title that holds a tag
   * or an entity gets no title (macros/safe.py plain_for_tooltip); the Sources list shows it. */
  function titled(attrs, text) {
    if (!/[<>]|&#?\w+;?/.test(text)) attrs.title = text;
    return attrs;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function shortAuthors(authors) {
    var core = authors.replace(/\s*\([^)]*\)$/, "").trim();
    var people = core.replace(" et al.", ", et al.").split(",").map(function (p) { return p.trim(); })
      .filter(function (p) { return p; });
    var named = people.filter(function (p) { return p !== "et al."; });
    var words = named.length ? named[0].split(/\s+/) : [];
    var org = ["Team", "AI", "Inc.", "Labs", "Research", "Google", "Meta"];
    var person = words.length >= 2 && words.length <= 4 && words.every(function (w) { return /^[A-Z]/.test(w); });
    if (!person || words.some(function (w) { return org.indexOf(w) >= 0; })) return authors;
    var surname = words[words.length - 1];
    if (people.length === 1) return surname;
    if (people.length === 2 && named.length === 2) return surname + " and " + named[1].split(/\s+/).pop();
    return surname + " et al.";
  }

  /* One number, as macros/quantity.py writes it: a button whose provenance (plain text, set with
   * textContent) is its aria-describedby text, shown by numbers.js; the status is its class and
   * style. Table cells carry no flag: the legend under the table names the styles.
   * Returns the nodes (a cell may hold more than one number). */
  var made = 0;
  function number(value, status, format, tip, href) {
    var known = value !== null && value !== undefined;
    if (!known) status = "undisclosed";
    var id = "num-t" + (++made);
    var prov = el("span", { class: "num__prov", id: id, hidden: "" }, [tip + " (" + status + ")"]);
    if (href) {
      prov.appendChild(el("br"));
      prov.appendChild(el("a", { class: "num__method", href: href }, ["How it is computed"]));
    }
    var button = el("button", { type: "button", class: "num__value", "aria-describedby": id }, [known ? format(value) : "undisclosed"]);
    if (status !== "disclosed" && status !== "undisclosed") seenStatuses[status] = true;
    return [el("span", { class: "num num--" + status, "data-status": status }, [button, prov])];
  }
  var seenStatuses = {};

  /* The line under a table: the statuses its numbers carry, each in its own style (macros/marks.py). */
  var WORDS = [["estimated", "estimated", "dashed"], ["claimed", "claimed by a secondary source", "double"], ["rumored", "rumored", "wavy"]];
  function legend() {
    var named = WORDS.filter(function (w) { return seenStatuses[w[0]]; });
    var p = el("p", { class: "num-legend" }, []);
    if (!named.length) return p;
    p.appendChild(document.createTextNode("Italic numbers were not disclosed by their developer: "));
    named.forEach(function (w, i) {
      if (i) p.appendChild(document.createTextNode(", "));
      p.appendChild(el("span", { class: "num-sample num--" + w[0] }, [w[1]]));
      p.appendChild(document.createTextNode(" (" + w[2] + " underline)"));
    });
    p.appendChild(document.createTextNode(". Hover, focus or tap a number for its sources."));
    return p;
  }

  var RIGHT = "text-align: right";  // as the pages' tables align numbers (Markdown's ---:)

  function numberCell(value, status, format, tip, href) {
    return el("td", { class: "num-cell", style: RIGHT }, number(value, status, format, tip, href));
  }

  function isMoe(m) {
    var arch = m.inputs.architecture;
    return m.inputs.active_params !== null || Boolean(arch && arch.experts);
  }

  function inputStatus(v) { return v ? v.status : "undisclosed"; }
  function inputValue(v) { return v ? v.value : null; }

  /* Columns: `value` is what sorting compares (null sorts last), `cell` draws the <td>. */
  var PRESETS = {
    data: {
      placeholder: "Filter by model, organisation or family",
      sort: null,
      columns: [
        { key: "name", label: "Model", value: function (m) { return m.name; },
          cell: function (m) { return el("td", {}, [m.name]); } },
        { key: "org", label: "Organisation", value: function (m) { return m.org; },
          cell: function (m) { return el("td", {}, [m.org]); } },
        { key: "released", label: "Released", value: function (m) { return m.released; },
          cell: function (m) { return el("td", { style: "white-space: nowrap" }, [m.released]); } },
        { key: "params", label: "Parameters", num: true, value: function (m) { return inputValue(m.inputs.params); },
          cell: function (m) { return numberCell(inputValue(m.inputs.params), inputStatus(m.inputs.params), count, "Parameters of " + m.name); } },
        { key: "active", label: "Active", num: true, value: function (m) { return inputValue(m.inputs.active_params); },
          cell: function (m) {
            var a = m.inputs.active_params;
            return a ? numberCell(a.value, a.status, count, "Active parameters of " + m.name) : el("td", { class: "num-cell", style: RIGHT });
          } },
        { key: "tokens", label: "Training tokens", num: true, value: function (m) { return inputValue(m.inputs.tokens); },
          cell: function (m) { return numberCell(inputValue(m.inputs.tokens), inputStatus(m.inputs.tokens), count, "Training tokens of " + m.name); } },
        { key: "flops", label: "Training compute 6ND", num: true, value: function (m) { return m.computed.train_flops; },
          cell: function (m) { return numberCell(m.computed.train_flops, m.derived_status, flop, "Training compute of " + m.name + " = 6 × N_active × D"); } },
        { key: "sources", label: "Sources", value: function (m) { return m.sources.join(" "); },
          cell: function (m, ctx) { return sourcesCell(m, ctx.sources); } },
      ],
    },
    eras: {
      placeholder: "Filter by model, organisation, family or era",
      searchEra: true,
      sort: "released",
      columns: [
        { key: "name", label: "Model", value: function (m) { return m.name; },
          cell: function (m) { return el("td", {}, [m.name]); } },
        // An era follows from the release year: sorting by either is sorting by release date.
        { key: "released", label: "Year", value: function (m) { return m.released; },
          cell: function (m) { return el("td", {}, [m.released.slice(0, 4)]); } },
        { key: "era", label: "Era", value: function (m) { return m.released; },
          cell: function (m) { return el("td", {}, [m.era.short]); } },
        { key: "params", label: "Parameters", num: true, value: function (m) { return inputValue(m.inputs.params); },
          cell: function (m) {
            var td = numberCell(inputValue(m.inputs.params), inputStatus(m.inputs.params), count, "Parameters of " + m.name);
            if (isMoe(m)) {  // as the chapter: the active parameters under the total
              var active = m.inputs.active_params || m.inputs.params;
              td.appendChild(el("br"));
              td.appendChild(document.createTextNode("("));
              number(m.computed.active_params, active.status, count, "Active parameters of " + m.name).forEach(function (n) { td.appendChild(n); });
              td.appendChild(document.createTextNode(" active)"));
            }
            return td;
          } },
        { key: "tokens", label: "Training tokens", num: true, value: function (m) { return inputValue(m.inputs.tokens); },
          cell: function (m) { return numberCell(inputValue(m.inputs.tokens), inputStatus(m.inputs.tokens), count, "Training tokens of " + m.name); } },
        { key: "tpp", label: "Tokens per parameter", num: true, value: function (m) { return m.computed.tokens_per_param; },
          cell: function (m, ctx) {
            return numberCell(m.computed.tokens_per_param, worst(inputStatus(m.inputs.tokens), inputStatus(m.inputs.params)), plain,
              "Tokens per parameter of " + m.name + " = D ÷ N", ctx.method("tokens-per-parameter"));
          } },
        { key: "overtrain", label: "Overtraining factor", num: true, value: function (m) { return m.computed.overtrain_factor; },
          cell: function (m, ctx) {
            return numberCell(m.computed.overtrain_factor, worst(inputStatus(m.inputs.tokens), inputStatus(m.inputs.params), ctx.ratioStatus), ratio,
              "Overtraining factor of " + m.name + " = D ÷ (r × N)", ctx.method("overtraining"));
          } },
        { key: "flops", label: "Training compute 6ND", num: true, value: function (m) { return m.computed.train_flops; },
          cell: function (m, ctx) {
            return numberCell(m.computed.train_flops, m.derived_status, flop,
              "Training compute of " + m.name + " = 6 × N_active × D", ctx.method("training-compute"));
          } },
      ],
    },
  };

  function sourcesCell(m, sources) {
    var cites = el("td");
    var seen = {};
    m.sources.forEach(function (key) {
      var s = sources[key];
      var label = s ? shortAuthors(s.authors) + " (" + s.year + ")" : key;
      if (seen[label]) return;  // two documents by the same authors in one year: one link is enough here
      if (Object.keys(seen).length) cites.appendChild(document.createTextNode("; "));
      seen[label] = true;
      cites.appendChild(s ? el("a", titled({ class: "cite", href: s.url }, s.title), [label]) : document.createTextNode(label));
    });
    return cites;
  }

  /* What Tablesort compares: a number as its decimal logarithm (its number sort keeps only digits,
   * "-" and "."; 1.5e+23 would read as 1.523), text as itself, an unknown value as "" (moved last). */
  function sortKey(col, v) {
    if (v === null || v === undefined) return "";
    return col.num ? Math.log10(v).toFixed(12) : String(v);
  }

  function render(root, doc) {
    var preset = PRESETS[root.getAttribute("data-models-columns") || "data"];
    if (!preset) throw new Error("unknown column preset " + root.getAttribute("data-models-columns"));
    var columns = preset.columns;
    var methods = root.getAttribute("data-models-methods");
    var ctx = {
      sources: doc.sources,
      ratioStatus: root.getAttribute("data-models-ratio-status") || "disclosed",
      method: function (anchor) { return methods ? methods + "#" + anchor : null; },
    };
    // Every model has a row from the start, its cells empty but for their sort keys; a row is
    // drawn when it is first shown (a page at a time), so thousands of models stay light.
    var all = doc.models.map(function (m, index) {
      var tr = el("tr");
      columns.forEach(function (col) { tr.appendChild(el("td", { "data-sort": sortKey(col, col.value(m)) })); });
      tr.hidden = true;
      var haystack = (m.name + " " + m.id + " " + m.org + " " + m.family + (preset.searchEra ? " " + m.era.name : "")).toLowerCase();
      return { m: m, tr: tr, drawn: false, haystack: haystack, index: index };
    });
    var byRow = new Map(all.map(function (r) { return [r.tr, r]; }));
    var initial = root.getAttribute("data-models-sort") || preset.sort || "";
    var state = { query: "", shown: PAGE };

    var search = el("input", {
      type: "search", class: "md-input models-table__search", placeholder: preset.placeholder,
      "aria-label": "Filter models",
      style: "width: 100%; max-width: 28em; padding: 0.4em 0.6em; border: 1px solid var(--md-default-fg-color--lighter); border-radius: 0.2em; background: var(--md-default-bg-color); color: inherit; font: inherit;",
    });
    var status = el("p", { class: "models-table__status", "aria-live": "polite" });
    var more = el("button", { type: "button", class: "md-button models-table__more" }, ["Show more"]);
    var headRow = el("tr");
    columns.forEach(function (col) {
      // The button gives the header its keyboard focus and name; its click reaches Tablesort on the <th>.
      var button = el("button", {
        type: "button", class: "models-table__sort", "data-key": col.key, title: "Sort by " + col.label.toLowerCase(),
        style: "font: inherit; color: inherit; cursor: pointer; text-align: inherit;",
      }, [col.label]);
      var th = el("th", { "aria-sort": "none", "data-sort-method": col.num ? "number" : "default" }, [button]);
      if (initial.replace(/^-/, "") === col.key) {
        th.setAttribute("data-sort-default", "");
        if (initial.charAt(0) === "-") th.setAttribute("data-sort-reverse", "");
      }
      if (col.num) {
        th.setAttribute("class", "num-cell");
        th.setAttribute("style", RIGHT);
      }
      headRow.appendChild(th);
    });
    var body = el("tbody");
    var table = el("table", {}, [el("thead", {}, [headRow]), body]);
    // The wrappers Material puts around a page's tables: the table scrolls sideways inside the
    // content column instead of running under the table of contents.
    var wrap = el("div", { class: "md-typeset__scrollwrap" }, [el("div", { class: "md-typeset__table models-table__scroll" }, [table])]);

    function drawRow(r) {
      columns.forEach(function (col, i) {
        var td = col.cell(r.m, ctx);
        td.setAttribute("data-sort", r.tr.children[i].getAttribute("data-sort"));
        r.tr.replaceChild(td, r.tr.children[i]);
      });
      r.drawn = true;
    }

    var key = el("p", { class: "num-legend" }, []);

    /* After every sort and filter: equal keys in the file's order (Tablesort reverses ties when
     * ascending) and unknown values last, either direction; then the first rows shown. */
    function draw() {
      var sorted = headRow.querySelector("th[aria-sort=ascending], th[aria-sort=descending]");
      var rows = Array.prototype.slice.call(body.rows);
      if (sorted) {
        var i = sorted.cellIndex;
        var keyOf = function (tr) { return tr.cells[i].getAttribute("data-sort"); };
        var known = rows.filter(function (tr) { return keyOf(tr) !== ""; });
        var rank = Object.create(null);
        known.forEach(function (tr, n) { if (!(keyOf(tr) in rank)) rank[keyOf(tr)] = n; });
        known.sort(function (a, b) { return rank[keyOf(a)] - rank[keyOf(b)] || byRow.get(a).index - byRow.get(b).index; });
        known.concat(rows.filter(function (tr) { return keyOf(tr) === ""; })).forEach(function (tr) { body.appendChild(tr); });
        rows = Array.prototype.slice.call(body.rows);
      }
      seenStatuses = {};
      rows.forEach(function (tr, n) {
        var r = byRow.get(tr);
        tr.hidden = n >= state.shown;
        if (!tr.hidden && !r.drawn) drawRow(r);
      });
      // The legend names the statuses of the rows shown.
      rows.slice(0, state.shown).forEach(function (tr) {
        tr.querySelectorAll(".num[data-status]").forEach(function (n) {
          var s = n.getAttribute("data-status");
          if (s !== "disclosed" && s !== "undisclosed") seenStatuses[s] = true;
        });
      });
      headRow.querySelectorAll("th").forEach(function (th) { if (!th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none"); });
      var next = legend();
      key.replaceWith(next);
      key = next;
      var n = rows.length;
      status.textContent = "Showing " + Math.min(state.shown, n).toLocaleString("en-US") + " of " +
        n.toLocaleString("en-US") + (state.query ? " matching" : "") + " models (" + all.length.toLocaleString("en-US") + " in all).";
      more.hidden = state.shown >= n;
    }

    /* The rows matching the filter, in the file's order, then sorted again by the current column. */
    function update() {
      var q = state.query.toLowerCase().trim();
      body.textContent = "";
      all.forEach(function (r) { if (!q || r.haystack.indexOf(q) >= 0) body.appendChild(r.tr); });
      state.shown = PAGE;
      sorter.refresh();
      draw();
    }

    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.query = search.value; update(); }, 120);
    });
    more.addEventListener("click", function () { state.shown += PAGE * 5; draw(); });
    table.addEventListener("afterSort", function () { state.shown = Math.max(state.shown, PAGE); draw(); });

    root.textContent = "";
    root.appendChild(search);
    root.appendChild(status);
    root.appendChild(wrap);
    root.appendChild(key);
    root.appendChild(more);
    all.forEach(function (r) { body.appendChild(r.tr); });
    var sorter = new window.Tablesort(table);  // sorts by the default column, if any
    headRow.querySelectorAll("th").forEach(function (th) { th.tabIndex = -1; });  // the buttons take the focus
    draw();
  }

  function init() {
    document.querySelectorAll("[data-models-table]").forEach(function (root) {
      if (root.getAttribute("data-ready")) return;
      root.setAttribute("data-ready", "loading");
      fetch(root.getAttribute("data-models-table"))
        .then(function (r) {
          if (!r.ok) throw new Error(r.status + " " + r.statusText);
          return r.json();
        })
        .then(function (doc) { render(root, doc); root.setAttribute("data-ready", "yes"); })
        .catch(function (err) {
          root.setAttribute("data-ready", "failed");
          root.insertBefore(el("p", { class: "models-table__status" }, ["Could not load the full table (" + err.message + "); the first rows are shown below."]), root.firstChild);
        });
    });
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
