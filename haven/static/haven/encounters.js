// The fast entry page (encounters/new.html). The form works without this file: every count is a
// number field. This adds what makes a busy hour faster:
// - a kit button adds one kit per tap and shows the count;
// - "estimate by container" buttons add a rough number of returned syringes and tick "estimated";
// - lines with a count are highlighted, so the person sees at a glance what the visit holds.
// The − and + stepper buttons themselves are haven.js's (they fire "input" events we listen to).
(function () {
  "use strict";

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function clamp(input, value) {
    if (input.min !== "" && value < Number(input.min)) {
      value = Number(input.min);
    }
    if (input.max !== "" && value > Number(input.max)) {
      value = Number(input.max);
    }
    return value;
  }

  function add(input, amount) {
    input.value = String(clamp(input, (Number(input.value) || 0) + amount));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function refresh(input) {
    var counted = (Number(input.value) || 0) > 0;
    var line = input.closest("[data-count-line]");
    if (line) {
      line.classList.toggle("is-counted", counted);
    }
    document.querySelectorAll('[data-count-of="' + input.id + '"]').forEach(function (badge) {
      badge.textContent = String(Number(input.value) || 0);
    });
  }

  function enhance(form) {
    form.addEventListener("click", function (event) {
      var kit = event.target.closest("button[data-add-to]");
      if (kit) {
        var input = byId(kit.getAttribute("data-add-to"));
        if (input) {
          add(input, 1);
        }
        return;
      }
      var estimate = event.target.closest("button[data-estimate]");
      if (estimate) {
        var target = byId(estimate.getAttribute("data-target"));
        var estimated = byId(estimate.getAttribute("data-estimated"));
        if (target) {
          add(target, Number(estimate.getAttribute("data-estimate")) || 0);
        }
        if (estimated) {
          estimated.checked = true;
        }
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches('input[type="number"]')) {
        refresh(event.target);
      }
    });
    function refreshAll() {
      form.querySelectorAll("[data-count-line] input[type='number']").forEach(refresh);
    }
    // The offline queue resets the form after queueing a visit; the badges follow.
    form.addEventListener("reset", function () {
      window.setTimeout(refreshAll, 0);
    });
    refreshAll();
  }

  function ready() {
    document.querySelectorAll("form.encounter-form").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
