// Haven behaviour that needs JavaScript; every form also works without it.
//
// Small progressive enhancements only, wired by class names and data attributes (the CSP refuses
// inline handlers):
// - the language selector submits itself when picked with a pointer;
// - buttons, links and forms with data-confirm="question" ask before going ahead;
// - stepper buttons (data-step="1" / "-1") change the count beside them;
// - htmx requests carry the CSRF token.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // Language selector. Keyboard users move through a closed <select> with the arrow keys, which
  // fires "change" on every step, so only a pointer choice submits; the Change button stays.
  function enhanceLanguageSelector() {
    document.querySelectorAll("form.language select").forEach(function (select) {
      var byKeyboard = false;
      select.addEventListener("keydown", function () {
        byKeyboard = true;
      });
      select.addEventListener("pointerdown", function () {
        byKeyboard = false;
      });
      select.addEventListener("change", function () {
        if (!byKeyboard && select.form) {
          select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
        }
      });
    });
  }

  // Confirmation: the question comes from the template, already translated.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-confirm]") : null;
    if (link && !window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Stepper: − and + change the number field in the same .stepper, within its min and max.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".stepper button[data-step]") : null;
    if (!button || button.type !== "button") {
      return;
    }
    var input = button.closest(".stepper").querySelector("input");
    if (!input) {
      return;
    }
    var step = Number(button.getAttribute("data-step")) || 0;
    var value = (Number(input.value) || 0) + step;
    if (input.min !== "" && value < Number(input.min)) {
      value = Number(input.min);
    }
    if (input.max !== "" && value > Number(input.max)) {
      value = Number(input.max);
    }
    input.value = String(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // htmx: send the CSRF token that base.html puts in <meta name="csrf-token">.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  ready(enhanceLanguageSelector);

  // The menu: on a phone it folds behind the "Menu" button; Escape or a tap elsewhere closes the
  // "More" list on a wide screen. Without JavaScript the menu is simply shown.
  function enhanceNavigation() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".nav-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) { return; }
    header.classList.add("js-nav");
    toggle.hidden = false;
    var more = header.querySelector("[data-nav-more]");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
      // On a phone everything is one list: the set-up pages are shown with the others.
      if (more && open) { more.open = true; }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      if (more && more.open && window.matchMedia("(min-width: 64em)").matches) {
        more.open = false;
        more.querySelector("summary").focus();
      } else if (toggle.getAttribute("aria-expanded") === "true") {
        toggle.click();
        toggle.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (more && more.open && !more.contains(event.target) && window.matchMedia("(min-width: 64em)").matches) {
        more.open = false;
      }
    });
  }
  ready(enhanceNavigation);
})();
