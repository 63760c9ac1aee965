/* How the book writes a number, in the browser: window.book.format, the rules of macros/format.py.
 *
 * The same names as in Python (sig, count, scientific, ratio, percent, plain, usd, bytes_,
 * integer, text). Rounding is half to even on the exact binary value, as Python's round() and
 * format() do (toFixed and toLocaleString round ties up). tests/browser/test_format_parity.py
 * compares each function with Python on generated values, exactly. (format.py itself is not
 * compiled like the formulas: its f-string specs ",.2f" and ".3g" and round() have no faithful
 * pscript translation, see macros/jsformulas.py.)
 */
(function (root) {
  "use strict";

  var SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  var SUFFIXES = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];

  /* |x| to `decimals` places, half to even on the exact value, with thousands separators ("," as f"{x:,.Nf}"). */
  function fixed(x, decimals, group) {
    // Exact digits: toFixed is exact below 1e21; above, a double is a whole number.
    var exact = Math.abs(x) < 1e21 ? Math.abs(x).toFixed(100) : BigInt(Math.abs(x)).toString() + ".0";
    exact += new Array(decimals + 2).join("0");
    var dot = exact.indexOf(".");
    var keep = (exact.slice(0, dot) + exact.slice(dot + 1, dot + 1 + decimals)).split("");
    var rest = exact.slice(dot + 1 + decimals);
    var tie = rest[0] === "5" && !/[1-9]/.test(rest.slice(1));
    var up = rest[0] > "5" || (rest[0] === "5" && !tie) || (tie && Number(keep[keep.length - 1]) % 2 === 1);
    if (up) {
      var i = keep.length - 1;
      while (i >= 0 && keep[i] === "9") keep[i--] = "0";
      if (i < 0) keep.unshift("1");
      else keep[i] = String(Number(keep[i]) + 1);
    }
    var digits = keep.join("");
    var whole = digits.slice(0, digits.length - decimals).replace(/^0+(?=\d)/, "");
    if (group !== false) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var text = decimals ? whole + "." + digits.slice(digits.length - decimals) : whole;
    return (x < 0 && /[1-9]/.test(digits) ? "-" : "") + text;
  }

  function sig(x, digits) {
    if (digits === undefined) digits = 3;
    if (x === 0) return "0";
    var magnitude = Math.floor(Math.log10(Math.abs(x)));
    var decimals = Math.max(0, digits - 1 - magnitude);
    var text = fixed(x, decimals);
    if (decimals) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return text;
  }

  function count(x, digits) {
    if (digits === undefined) digits = 3;
    for (var i = 0; i < SUFFIXES.length; i++) {
      if (Math.abs(x) >= SUFFIXES[i][0] * 0.9995) return sig(x / SUFFIXES[i][0], digits) + " " + SUFFIXES[i][1];
    }
    return sig(x, digits);
  }

  function scientific(x, digits) {
    if (digits === undefined) digits = 3;
    if (x === 0) return "0";
    var exponent = Math.floor(Math.log10(Math.abs(x)));
    // Number("1e23") is the double nearest 10²³, as Python's x / 10**23 uses; Math.pow may be off by one bit.
    var mantissa = Number(fixed(x / Number("1e" + exponent), digits - 1, false));
    if (Math.abs(mantissa) >= 10) {
      mantissa /= 10;
      exponent += 1;
    }
    var sup = String(exponent).split("").map(function (c) { return SUP[c]; }).join("");
    return sig(mantissa, digits) + " × 10" + sup;
  }

  function ratio(x) { return (Math.abs(x) >= 10 ? fixed(x, 0) : sig(x, 2)) + "×"; }

  function percent(fraction) {
    var value = fraction * 100;
    if (value !== 0 && Math.abs(value) < 1) return sig(value, 2) + " %";
    return (Math.abs(value) < 10 ? fixed(value, 1, false) : fixed(value, 0, false)) + " %";
  }

  function plain(x, digits) {
    return x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3) ? scientific(x, digits) : sig(x, digits);
  }

  /* f"{x:.3g}" for 0 < |x| < 1 (usd's last case): fixed notation down to 1e-4, exponent below. */
  function g3(x) {
    if (x === 0) return "0";
    var exponent = Math.floor(Math.log10(Math.abs(x)));
    var mantissa = Number(fixed(x / Number("1e" + exponent), 2, false));
    if (Math.abs(mantissa) >= 10) exponent += 1;
    if (exponent < -4) {
      var m = fixed(x / Number("1e" + exponent), 2, false).replace(/\.?0+$/, "");
      return m + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
    return fixed(x, 2 - exponent, false).replace(/\.?0+$/, "");
  }

  function usd(x) {
    if (Math.abs(x) >= 1e9) return "$" + sig(x / 1e9, 3) + " billion";
    if (Math.abs(x) >= 1e6) return "$" + sig(x / 1e6, 3) + " million";
    if (Math.abs(x) >= 1) return "$" + sig(x, 3);
    return "$" + g3(x);
  }

  function bytes_(x, unit) {
    var scale = { GB: 1e9, GiB: Math.pow(2, 30), TB: 1e12, MB: 1e6 }[unit || "GB"];
    return sig(x / scale, 3) + " " + (unit || "GB");
  }

  function integer(x) { return fixed(x, 0); }

  var STYLES = {
    params: count, tokens: count, count: function (x) { return count(x); },
    flop: function (x) { return scientific(x) + " FLOP"; },
    bytes: function (x) { return bytes_(x, "GB"); },
    ratio: ratio, percent: percent, usd: usd, number: function (x) { return plain(x); },
    usd_per_mtok: function (x) { return usd(x) + " per million tokens"; },
    usd_per_hour: function (x) { return usd(x) + " per GPU-hour"; },
    gpu_hours: function (x) { return count(x) + " GPU-hours"; },
    days: function (x) { return sig(x, 3) + " days"; },
    integer: integer, gpus: integer,
    gb: function (x) { return sig(x, 3) + " GB"; },
    ms: function (x) { return sig(x * 1e3, 3) + " ms"; },
    tokens_per_s: function (x) { return (x < 10 ? sig(x, 2) : integer(x)) + " tokens/s"; },
  };

  function text(value, kind) {
    var style = STYLES[kind];
    if (!style) throw new Error("no display style for kind " + kind);
    return style(value);
  }

  var format = { fixed: fixed, sig: sig, count: count, scientific: scientific, ratio: ratio, percent: percent,
    plain: plain, usd: usd, bytes_: bytes_, integer: integer, text: text, STYLES: STYLES };
  if (typeof module === "object" && module.exports) module.exports = format;
  root.book = root.book || {};
  root.book.format = format;
})(typeof window !== "undefined" ? window : globalThis);
