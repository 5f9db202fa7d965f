// The handover card's QR code opens the result page as /drug-checking/result/#code=K7QM-4XPD-R2.
// The code travels in the fragment, which browsers never send to the server, so it does not end up in
// access logs; this fills it in and then removes it from the address bar and history.
(function () {
  "use strict";
  var match = /^#code=([A-Za-z0-9-]{4,40})$/.exec(window.location.hash || "");
  if (!match) { return; }
  var input = document.getElementById("id_code");
  if (input && !input.value) { input.value = decodeURIComponent(match[1]); }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();

// "Print the card" on the handover page (no inline script: the page's CSP forbids it).
document.addEventListener("click", function (event) {
  var target = event.target.closest ? event.target.closest("[data-print]") : null;
  if (target) { window.print(); }
});
