/* The reader's calculators (the chapter word calculator() of macros/vocab/calculators.py places them): the book's formulas on the reader's numbers.
 *
 * Each block carries its inputs as data (values from the build, with their status and origin).
 * Results are computed by window.book.formulas (the macros/formulas/ package compiled to JavaScript) and
 * written by window.book.format (macros/format.py compiled). A result takes the least certain
 * status of the inputs it uses; once the reader changes one of them it is the reader's number.
 * The training calculator also offers the data's accelerators (picking one takes its peak, status
 * and origin from the data) and can start from a budget in FLOP, GPU-hours or dollars instead of
 * the tokens (the tokens it buys come from the inverse formulas: gpu_hours_for_cost,
 * flops_in_gpu_hours, tokens_for_flops).
 */
(function () {
  "use strict";

  var F = window.book.format, B = window.book.formulas;
  var RANK = ["disclosed", "estimated", "claimed", "rumored", "undisclosed"];

  function out(key, label, value, kind, uses, how) {
    return { key: key, label: label, value: value, kind: kind, uses: uses, how: how };
  }

  /* Per calculator: the results, from the inputs' values (base units) and the block's spec. */
  var KINDS = {
    training: function (v, spec, state) {
      var base = ["params", "tokens"], run = base.concat(["peak", "utilization"]);
      var flops = B.train_flops(v.params, v.tokens), hours, rows = [];
      var flopsHow = "train_flops(N, D) = 6 × N × D", hoursHow = "gpu_hours_for(C, peak, utilisation) = C ÷ (peak × utilisation) ÷ 3,600 s";
      if (state.budget) {  // the reader starts from a budget: what it buys, by the inverse formulas
        var b = v.budget, from = state.budget;
        if (from === "usd") { hours = B.gpu_hours_for_cost(b, v.price); run = ["budget", "price", "peak", "utilization"]; }
        if (from === "gpu_hours") { hours = b; run = ["budget", "peak", "utilization"]; }
        flops = from === "flops" ? b : B.flops_in_gpu_hours(hours, v.peak, v.utilization);
        base = from === "flops" ? ["budget"] : run;
        var tokens = B.tokens_for_flops(flops, v.params);
        rows.push(out("tokens", "Training tokens the budget buys", tokens, "tokens", base.concat(["params"]),
          (from === "usd" ? "gpu_hours_for_cost($, price), then " : "") + (from === "flops" ? "" : "flops_in_gpu_hours(GPU-hours, peak, utilisation), then ") +
          "tokens_for_flops(C, N) = C ÷ (6 × N)"));
        if (from !== "flops") flopsHow = "flops_in_gpu_hours(GPU-hours, peak, utilisation) = GPU-hours × 3,600 s × peak × utilisation";
        if (from === "flops") flopsHow = "your budget";
        if (from === "gpu_hours") hoursHow = "your budget";
        if (from === "usd") hoursHow = "gpu_hours_for_cost($, price) = $ ÷ price";
      }
      if (hours === undefined) hours = B.gpu_hours_for(flops, v.peak, v.utilization);
      var timed = state.budget && state.budget !== "flops" ? run : base.concat(["peak", "utilization"]);
      return rows.concat([
        out("flops", "Training compute", flops, "flop", base, flopsHow),
        out("gpu_hours", "GPU time", hours, "gpu_hours", timed, hoursHow),
        out("days", "Wall-clock time", B.gpu_days(hours, v.gpus), "days", timed.concat(["gpus"]), "gpu_days(GPU-hours, GPUs) = GPU-hours ÷ GPUs ÷ 24"),
        out("usd", "Cost of the GPU time", B.gpu_cost(hours, v.price), "usd", state.budget === "usd" ? ["budget"] : timed.concat(["price"]),
          state.budget === "usd" ? "your budget" : "gpu_cost(GPU-hours, price) = GPU-hours × price"),
      ]);
    },
    memory: function (v, spec, state) {
      var weights = B.weight_bytes(v.params, state.precision);
      var kv = v.kv_token * v.context * v.batch;
      var total = weights + kv;
      return [
        out("weights", "Weights at " + state.precision.toUpperCase(), weights, "bytes", ["params"], "weight_bytes(N, precision) = N × bytes per parameter"),
        out("kv", "KV cache", kv, "bytes", ["kv_token", "context", "batch"], "KV cache per token × context × sequences"),
        out("total", "Weights and KV cache", total, "bytes", ["params", "kv_token", "context", "batch"], "weights + KV cache"),
        out("devices", "Accelerators needed", B.devices_needed(total, v.device), "gpus", ["params", "kv_token", "context", "batch", "device"], "devices_needed(total, memory per accelerator): whole accelerators"),
      ];
    },
    serving: function (v, spec) {
      var p = B.decode_point(v.total, v.total * v.share, spec.bytes_per_param, v.kv_sequence, v.batch, v.gpus,
        v.memory, v.bandwidth, v.peak, v.price, v.utilization);
      var all = Object.keys(v);
      if (p === null) return [out("fit", "Fits in memory?", null, null, all, "decode_point: weights + KV cache × batch > GPUs × memory per GPU")];
      return [
        out("speed", "Speed per user", p.tokens_per_second_per_user, "tokens_per_s", all, "decode_point: 1 ÷ step time, the step bound by " + p.bound),
        out("cost", "GPU cost", p.usd_per_million_tokens, "usd_per_mtok", all, "decode_point: GPUs × price × step time ÷ batch, per million tokens"),
        out("step", "Step time", p.step_seconds, "ms", all, "decode_point: the longer of memory time and compute time (" + p.bound + "-bound)"),
      ];
    },
    chinchilla: function (v, spec) {
      var rows = [];
      [["hoffmann", "Hoffmann et al. fit"], ["besiroglu", "replication fit"]].forEach(function (fit) {
        var c = spec.fits[fit[0]];
        var nd = B.compute_optimal(v.budget, B.LossFit(c.e, c.a, c.b, c.alpha, c.beta));
        var how = "compute_optimal(C, " + fit[1] + ")";
        rows.push(out(fit[0] + "_params", "Optimal size, " + fit[1], nd[0], "params", ["budget", "fit"], how));
        rows.push(out(fit[0] + "_tokens", "Optimal tokens, " + fit[1], nd[1], "tokens", ["budget", "fit"], how));
        rows.push(out(fit[0] + "_ratio", "Tokens per parameter, " + fit[1], B.tokens_per_param(nd[1], nd[0]), "number", ["budget", "fit"], "tokens_per_param(D, N) = D ÷ N"));
      });
      return rows;
    },
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function shown(value, scale) { return String(Number((value / scale).toPrecision(6))); }

  function render(root, n) {
    var kind = root.getAttribute("data-calc");
    var spec = JSON.parse(root.getAttribute("data-calc-spec"));
    var state = { values: {}, status: {}, edited: {}, precision: spec.precision, budget: null };
    var inputs = {};  // each input's elements, by key
    if (spec.fit_status) state.status.fit = spec.fit_status;
    var fields = el("div", { class: "book-calc__inputs" });
    var results = el("div", { class: "book-calc__results", "aria-live": "polite" });
    spec.inputs.forEach(function (input) {
      state.values[input.key] = input.value;
      state.status[input.key] = input.status;
      var id = "calc-" + n + "-" + input.key;
      var box = el("input", { id: id, type: "text", inputmode: "decimal", value: shown(input.value, input.scale), "data-key": input.key });
      var tag = el("span", { class: "book-calc__status num--" + input.status }, [input.status]);
      box.addEventListener("input", function () {
        var x = Number(box.value.replace(/,/g, "")) * (box.getAttribute("data-scale") ? Number(box.getAttribute("data-scale")) : input.scale);
        var ok = box.value.trim() !== "" && isFinite(x) && x > 0;
        box.setAttribute("aria-invalid", ok ? "false" : "true");
        if (!ok) return;
        state.values[input.key] = kind === "memory" && input.key === "params" && state.asBytes ? x / B.BYTES_PER_PARAM[state.precision] : x;
        state.edited[input.key] = true;
        tag.textContent = "yours";
        tag.className = "book-calc__status num--yours";
        update();
      });
      var unit = el("span", { class: "book-calc__unit" }, [input.unit]);
      var label = el("label", { for: id, title: "From the book: " + input.from }, [input.label]);
      var row = el("div", { class: "book-calc__input" }, [label, el("span", {}, [box, " ", unit, " ", tag])]);
      if (kind === "memory" && input.key === "params") row.appendChild(sizeToggle(box, unit, input, state, update));
      inputs[input.key] = { box: box, tag: tag, label: label, row: row, input: input };
      fields.appendChild(row);
    });
    if (spec.precisions) fields.appendChild(choice("Precision", spec.precisions, state.precision, function (p) { state.precision = p; update(); }, n));
    if (kind === "training") trainingControls(spec, state, fields, inputs, n, update);

    function update() {
      var rows = KINDS[kind](state.values, spec, state);
      results.textContent = "";
      rows.forEach(function (r) {
        var mine = r.uses.some(function (k) { return state.edited[k]; });
        var worst = RANK[Math.max.apply(null, r.uses.map(function (k) { return RANK.indexOf(state.status[k] || "disclosed"); }))];
        var status = mine ? "yours" : worst;
        var text = r.value === null ? "no: the weights and KV cache do not fit in these GPUs" : F.text(r.value, r.kind);
        var how = el("span", { class: "book-calc__how" }, ["How: " + r.how + " (inputs: " + r.uses.join(", ") + ")."]);
        results.appendChild(el("div", { class: "book-calc__result", "data-out": r.key, "data-status": status }, [
          el("span", { class: "book-calc__label" }, [r.label + ": "]),
          el("strong", { class: "book-calc__value num--" + status }, [text]),
          " ",
          el("span", { class: "book-calc__status num--" + status }, [status === "yours" ? "your numbers" : status]),
          el("br"),
          how,
        ]));
      });
    }

    var note = root.firstChild;
    root.textContent = "";
    root.appendChild(el("p", { class: "book-calc__title" }, [el("strong", {}, [spec.title])]));
    if (note) root.appendChild(note);
    root.appendChild(fields);
    root.appendChild(results);
    root.hidden = false;
    update();
    root.setAttribute("data-ready", "yes");
  }

  /* options: values, or [value, text] pairs. */
  function choice(label, options, value, onChange, n) {
    var id = "calc-" + n + "-" + label.replace(/\W+/g, "-").toLowerCase();
    var s = el("select", { id: id });
    options.forEach(function (o) {
      var v = Array.isArray(o) ? o[0] : o;
      var text = Array.isArray(o) ? o[1] : o.toUpperCase() === o || o.length > 4 ? o : o.toUpperCase();
      var opt = el("option", { value: v }, [text]);
      if (v === value) opt.selected = true;
      s.appendChild(opt);
    });
    s.addEventListener("change", function () { onChange(s.value); });
    return el("div", { class: "book-calc__input" }, [el("label", { for: id }, [label]), s]);
  }

  /* Training: the accelerator (its peak from the data) and where the reader starts from: the model
   * and its tokens, or a budget in FLOP, GPU-hours or dollars (then the tokens it buys are a result). */
  var BUDGETS = { flops: ["FLOP", 1e24, "× 10" + F.superscript(24) + " FLOP"], gpu_hours: ["GPU-hours", 1e6, "million GPU-hours"],
    usd: ["dollars", 1e6, "million $"] };
  function trainingControls(spec, state, fields, inputs, n, update) {
    var peak = inputs.peak;
    var names = spec.accelerators.map(function (a) { return [a.id, a.name]; });
    var pick = choice("Accelerator", names, spec.accelerator, function (id) {
      var a = spec.accelerators.filter(function (x) { return x.id === id; })[0];
      state.values.peak = a.value;
      state.status.peak = a.status;
      state.edited.peak = false;
      peak.box.value = shown(a.value, peak.input.scale);
      peak.box.setAttribute("aria-invalid", "false");
      peak.tag.textContent = a.status;
      peak.tag.className = "book-calc__status num--" + a.status;
      peak.label.setAttribute("title", "From the book: " + a.from);
      update();
    }, n);
    fields.insertBefore(pick, peak.row);

    var id = "calc-" + n + "-budget";
    var box = el("input", { id: id, type: "text", inputmode: "decimal", "data-key": "budget" });
    var unit = el("span", { class: "book-calc__unit" }, []);
    var row = el("div", { class: "book-calc__input" }, [el("label", { for: id }, ["Budget"]),
      el("span", {}, [box, " ", unit, " ", el("span", { class: "book-calc__status num--yours" }, ["yours"])])]);
    row.hidden = true;
    box.addEventListener("input", function () {
      var x = Number(box.value.replace(/,/g, "")) * BUDGETS[state.budget][1];
      var ok = box.value.trim() !== "" && isFinite(x) && x > 0;
      box.setAttribute("aria-invalid", ok ? "false" : "true");
      if (!ok) return;
      state.values.budget = x;
      update();
    });
    var modes = [["model", "the model and its tokens"]].concat(Object.keys(BUDGETS).map(function (k) { return [k, "a budget in " + BUDGETS[k][0]]; }));
    var start = choice("Start from", modes, "model", function (mode) {
      var tokens = inputs.tokens;
      if (mode === "model") {
        state.budget = null;
      } else {
        // The budget starts at what the current inputs cost, in the unit chosen.
        var now = KINDS.training(state.values, spec, { budget: null }).filter(function (r) { return r.key === mode; })[0];
        state.budget = mode;
        state.values.budget = now.value;
        state.status.budget = "yours";
        state.edited.budget = true;
        box.value = shown(now.value, BUDGETS[mode][1]);
        unit.textContent = BUDGETS[mode][2];
      }
      row.hidden = !state.budget;
      tokens.box.disabled = Boolean(state.budget);
      var was = state.edited.tokens ? "yours" : tokens.input.status;
      tokens.tag.textContent = state.budget ? "computed from the budget" : was;
      tokens.tag.className = "book-calc__status num--" + (state.budget ? "yours" : was);
      update();
    }, n);
    fields.insertBefore(start, fields.firstChild);
    fields.insertBefore(row, start.nextSibling);
  }

  /* Parameters ↔ bytes: the size of the model, entered as a parameter count or as the weights' size. */
  function sizeToggle(box, unit, input, state, update) {
    var s = el("select", { "aria-label": "Enter the size as" }, [el("option", { value: "params" }, ["parameters"]), el("option", { value: "bytes" }, ["bytes of weights"])]);
    s.addEventListener("change", function () {
      state.asBytes = s.value === "bytes";
      var n = state.values.params;
      box.value = state.asBytes ? shown(B.weight_bytes(n, state.precision), 1e9) : shown(n, input.scale);
      box.setAttribute("data-scale", state.asBytes ? "1e9" : String(input.scale));
      unit.textContent = state.asBytes ? "GB of weights" : input.unit;
      update();
    });
    return el("span", { class: "book-calc__toggle" }, [" as ", s]);
  }

  function init() {
    document.querySelectorAll("[data-calc]").forEach(function (root, n) {
      if (root.getAttribute("data-ready")) return;
      try { render(root, n); } catch (err) { root.hidden = true; root.setAttribute("data-ready", "failed"); throw err; }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
