// Under `mkdocs serve` only (hooks/serve_errors.py): show a failed rebuild's error over the page.
(function () {
  var status = new URL("../serve-status.json", document.currentScript.src);
  var banner = null;
  function show(message) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "book-serve-error";
      banner.setAttribute("role", "alert");
      banner.style.cssText =
        "position:fixed;top:0;left:0;right:0;z-index:10000;padding:.8em 1.2em;" +
        "background:#b71c1c;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;" +
        "box-shadow:0 2px 6px rgba(0,0,0,.4)";
      document.body.appendChild(banner);
    }
    banner.textContent = "Build failed; showing the last good build.\n" + message;
  }
  function check() {
    if (document.visibilityState === "hidden") return;
    fetch(status, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        if (s.ok) {
          if (banner) { banner.remove(); banner = null; }
        } else {
          show(s.error);
        }
      })
      .catch(function () {});  // the server stopped: nothing to say
  }
  check();
  setInterval(check, 1000);
})();
