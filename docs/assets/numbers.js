/* Computed numbers (macros/ledger.py to_html): each is a button whose provenance is its
 * aria-describedby text. CSS shows the provenance on hover and focus; this script adds tap and
 * click (the provenance stays open), Escape (closes it), a click elsewhere (closes all) and keeps
 * an open provenance inside the window, above the table that may hold it (position: fixed).
 * Without this script the provenance still opens on hover and focus. */
(function () {
  "use strict";

  function num(target) { return target && target.closest ? target.closest(".md-typeset .num") : null; }

  function shown(n) { return getComputedStyle(n.querySelector(".num__prov")).display !== "none"; }

  function place(n) {
    var prov = n.querySelector(".num__prov");
    if (!prov || !shown(n)) return;
    var box = n.querySelector(".num__value").getBoundingClientRect();
    prov.style.position = "fixed";
    prov.style.left = "0px";
    prov.style.top = "0px";
    var width = prov.offsetWidth, height = prov.offsetHeight;
    var left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    var top = box.bottom + height + 8 > window.innerHeight && box.top > height + 8 ? box.top - height : box.bottom;
    prov.style.left = left + "px";
    prov.style.top = top + "px";
  }

  function close(n) {
    n.classList.remove("is-open");
    n.classList.add("is-closed");
    n.querySelector(".num__value").setAttribute("aria-expanded", "false");
  }

  function closeAll(except) {
    document.querySelectorAll(".md-typeset .num.is-open").forEach(function (n) { if (n !== except) close(n); });
  }

  document.addEventListener("click", function (ev) {
    var n = num(ev.target);
    if (!n) { closeAll(null); return; }
    if (!ev.target.closest(".num__value")) return;  // a click inside the provenance (its link)
    closeAll(n);
    if (n.classList.contains("is-open")) { close(n); return; }
    n.classList.remove("is-closed");
    n.classList.add("is-open");
    n.querySelector(".num__value").setAttribute("aria-expanded", "true");
    place(n);
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    var n = num(document.activeElement);
    if (n) { close(n); n.querySelector(".num__value").focus(); }
    closeAll(null);
  });

  document.addEventListener("focusin", function (ev) {
    var n = num(ev.target);
    if (n) { if (ev.target.classList.contains("num__value")) n.classList.remove("is-closed"); place(n); }
  });
  document.addEventListener("focusout", function (ev) {
    var n = num(ev.target);
    if (n && !n.contains(ev.relatedTarget)) n.classList.remove("is-closed");
  });
  document.addEventListener("mouseover", function (ev) {
    var n = num(ev.target);
    if (n) place(n);
  });
  document.addEventListener("mouseout", function (ev) {
    var n = num(ev.target);
    if (n && !n.contains(ev.relatedTarget) && document.activeElement !== n.querySelector(".num__value")) {
      n.classList.remove("is-closed");
    }
  });

  function replaceOpen() {
    document.querySelectorAll(".md-typeset .num.is-open, .md-typeset .num:hover, .md-typeset .num:focus-within").forEach(place);
  }
  window.addEventListener("scroll", replaceOpen, { passive: true });
  window.addEventListener("resize", replaceOpen);
  document.addEventListener("scroll", replaceOpen, { passive: true, capture: true });  // a table scrolled sideways
})();
