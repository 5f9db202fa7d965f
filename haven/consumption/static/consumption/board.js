// The booth board between polls. The server sends each booth once per change, with the stored
// moments its timer runs from (data-checked-in, data-last-check); this script turns a timer amber
// and red as time passes, with no request, so the colour changes within a tick on every screen and
// a poll while nothing was written stays an empty 204. The server stays the truth: every booth it
// sends replaces the one drawn here. Screen readers hear one short line per booth that changed,
// never the whole board. Without JavaScript the page shows the board as it was when loaded.
(function () {
  "use strict";

  const TICK_MILLISECONDS = 250;
  const RANK = { ok: 0, amber: 1, red: 2 };
  // Server clock minus this device's clock, one per answer. An answer is read after it was written,
  // so each reads low by its travel time: the largest of the recent ones is the closest.
  const offsets = [];
  let seenTag = null;
  let pending = [];  // lines about booths the last answer sent, said with the next tick's

  function board() {
    return document.getElementById("board");
  }

  function noteServerClock() {
    const tag = document.getElementById("board-tag");
    if (!tag || tag.value === seenTag) {
      return;
    }
    seenTag = tag.value;
    const now = Number(tag.dataset.now);
    if (now) {
      offsets.push(now - Date.now());
      if (offsets.length > 20) {
        offsets.shift();
      }
    }
  }

  function serverNow() {
    return Date.now() + (offsets.length ? Math.max.apply(null, offsets) : 0);
  }

  function label(element, state) {
    return element.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
  }

  function announce(lines) {
    const news = document.getElementById("board-news");
    if (news && lines.length) {
      news.textContent = lines.join(". ");
    }
  }

  function setText(booth, selector, value) {
    const target = booth.querySelector(selector);
    if (target && target.textContent !== String(value)) {
      target.textContent = String(value);
    }
  }

  function minutesSince(moment, now) {
    return Math.max(0, Math.floor((now - Number(moment)) / 60000));
  }

  function tick() {
    const element = board();
    if (!element) {
      return;
    }
    noteServerClock();
    const now = serverNow();
    const amber = Number(element.dataset.amberMinutes);
    const red = Number(element.dataset.redMinutes);
    const lines = [];
    element.querySelectorAll("li.booth[data-last-check]").forEach(function (booth) {
      const minutes = (now - Number(booth.dataset.lastCheck)) / 60000;
      let state = minutes >= red ? "red" : minutes >= amber ? "amber" : "ok";
      // A timer only moves forward until the next check: never draw a booth greener than the server did.
      if (RANK[booth.dataset.serverState] > RANK[state]) {
        state = booth.dataset.serverState;
      }
      setText(booth, "[data-minutes-in]", minutesSince(booth.dataset.checkedIn, now));
      setText(booth, "[data-minutes-since-check]", minutesSince(booth.dataset.lastCheck, now));
      if (state !== booth.dataset.state) {
        booth.classList.remove("booth-" + booth.dataset.state);
        booth.classList.add("booth-" + state);
        booth.dataset.state = state;
        setText(booth, ".state", label(element, state));
        lines.push(booth.dataset.booth + ": " + label(element, state));
      }
    });
    announce(pending.concat(lines));
    pending = [];
  }

  // A booth sent by the server because it changed: say what it is now.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    const booth = event.target;
    const element = board();
    if (!element || !booth.matches || !booth.matches("li.booth")) {
      return;
    }
    const state = booth.dataset.who ? label(element, booth.dataset.state) : label(element, "free");
    pending.push([booth.dataset.booth, booth.dataset.who, state].filter(Boolean).join(": "));
  });
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("DOMContentLoaded", tick);
  window.setInterval(tick, TICK_MILLISECONDS);
})();
