// Offline outreach (docs/OFFLINE.md): the encounter form keeps working without a connection.
//
// - Registers the service worker (/sw.js), which keeps the form page and Haven's files.
// - A form[data-offline-form] submitted while offline is turned into the JSON the API takes
//   (POST /api/encounters), with a fresh client_id, and kept in IndexedDB ("haven-offline",
//   store "encounters") on this device.
// - The queue is sent when the connection returns (the "online" event, every page load, every
//   30 seconds), one visit at a time, to POST /api/offline/visits. The server records each
//   client_id once, so sending again after a lost answer never makes a duplicate. It also says
//   what it did with each visit (recorded, recorded for the record a participant was merged into,
//   recorded as anonymous, already recorded), and the panel lists that, visit by visit. A visit
//   the server refuses (422, or 409: a probable duplicate of a visit logged online, a site this
//   person no longer works at) waits under "needs attention" with the reason, until the person
//   removes it or, for a probable duplicate, sends it anyway.
// - Signing out, or "Clear this device", empties the queue and the cached pages (after asking,
//   when visits have not been sent).
//
// Words come from offline/status.html (translated there); nothing here is shown untranslated.
(function () {
  "use strict";

  var DB_NAME = "haven-offline";
  var DB_VERSION = 1;
  var STORE = "encounters";
  var API_URL = "/api/offline/visits";
  // The participant cache of offline-find.js: deleted with the queue.
  var PARTICIPANTS_DB = "haven-offline-participants";
  var SYNC_EVERY_MS = 30000;
  var RETRY_FIRST_MS = 30000;
  var RETRY_MAX_MS = 10 * 60 * 1000;
  var FIELD_PREFIXES = ["item-", "kit-", "reversal-"];
  var FIELDS = ["client_id", "participant", "site", "service_mode", "occurred_at", "services", "syringes_returned",
    "returns_estimated", "sharps_containers_returned", "secondary_people", "repeat"];

  if (!window.indexedDB || !window.fetch || !window.Promise) {
    return; // the form still submits the ordinary way
  }

  var panel = document.getElementById("offline-status");
  var words = panel ? panel.dataset : {};
  // Visits are sent only by the person who logged them (a shared phone, a session that expired).
  var currentUser = panel ? panel.dataset.user || "" : "";
  var syncing = false;
  var needsSignIn = false;
  var lastMessage = "";
  // What the last sends did, visit by visit; this page's memory only (it names participants).
  var report = [];

  function say(template, value) {
    // The templates carry one placeholder, %(count)s or %(when)s, as gettext writes them.
    return String(template || "").replace(/%\(\w+\)s/, String(value));
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    // Pages served over plain HTTP on a local network have no randomUUID: build a version 4 UUID.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // ---- The queue (IndexedDB) -----------------------------------------------------------------

  var dbPromise = null;

  function openQueue() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, DB_VERSION);
        open.onupgradeneeded = function () {
          if (!open.result.objectStoreNames.contains(STORE)) {
            open.result.createObjectStore(STORE, { keyPath: "client_id" });
          }
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function run(mode, work) {
    return openQueue().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function allEntries() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (entries) {
      return (entries || []).sort(function (a, b) { return a.queued_at < b.queued_at ? -1 : 1; });
    });
  }

  function putEntry(entry) {
    return run("readwrite", function (store) { store.put(entry); });
  }

  function removeEntry(clientId) {
    return run("readwrite", function (store) { store.delete(clientId); });
  }

  function clearQueue() {
    return run("readwrite", function (store) { store.clear(); });
  }

  // ---- From the form to the API's JSON -------------------------------------------------------

  function kept(name) {
    return FIELDS.indexOf(name) >= 0 || FIELD_PREFIXES.some(function (prefix) { return name.indexOf(prefix) === 0; });
  }

  function formFields(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && kept(name)) {
        fields.push([name, value]);
      }
    });
    // The button pressed is part of what was asked ("Same as last time" sends repeat=1).
    if (submitter && submitter.name && kept(submitter.name)) {
      fields.push([submitter.name, submitter.value]);
    }
    return fields;
  }

  function number(text) {
    // Whole numbers become numbers; anything else goes as typed, and the server says what is wrong.
    return /^-?\d+$/.test(text) ? Number(text) : text;
  }

  function isoTime(text, fallback) {
    if (!text) {
      return fallback; // "now" means when it was entered, not when it syncs
    }
    var parsed = new Date(text); // a datetime-local value is the device's local time
    return isNaN(parsed.getTime()) ? text : parsed.toISOString();
  }

  function payloadFrom(fields, clientId, queuedAt) {
    var payload = {
      client_id: clientId, participant: null, site_id: null, service_mode: "", occurred_at: queuedAt,
      supplies: [], kits: [], services: [], syringes_returned: 0, returns_estimated: false,
      sharps_containers_returned: 0, secondary_people: 0, reversals: [], source: "offline"
    };
    var reversal = {};
    fields.forEach(function (pair) {
      var name = pair[0];
      var value = String(pair[1]).trim();
      if (name === "participant") {
        payload.participant = value || null;
      } else if (name === "site") {
        payload.site_id = value ? number(value) : null;
      } else if (name === "service_mode") {
        payload.service_mode = value;
      } else if (name === "occurred_at") {
        payload.occurred_at = isoTime(value, queuedAt);
      } else if (name === "services") {
        if (value) { payload.services.push(number(value)); }
      } else if (name === "repeat") {
        // The server repeats the visit the form showed (its id is the button's value), or the
        // participant's last visit at this person's sites.
        payload.repeat = value !== "";
        payload.repeat_of = /^[0-9]+$/.test(value) ? number(value) : null;
      } else if (name === "returns_estimated") {
        payload.returns_estimated = value !== "";
      } else if (name === "syringes_returned" || name === "sharps_containers_returned" || name === "secondary_people") {
        payload[name] = value ? number(value) : 0;
      } else if (name.indexOf("item-") === 0) {
        if (value && value !== "0") { payload.supplies.push({ item_id: number(name.slice(5)), quantity: number(value) }); }
      } else if (name.indexOf("kit-") === 0) {
        if (value && value !== "0") { payload.kits.push({ kit_id: number(name.slice(4)), count: number(value) }); }
      } else if (name.indexOf("reversal-") === 0) {
        reversal[name.slice(9)] = value;
      }
    });
    // As on the page: a reversal is reported when any of its fields is filled in.
    var reported = Object.keys(reversal).some(function (key) { return reversal[key] !== ""; });
    if (reported) {
      payload.reversals.push({
        occurred_on: reversal.occurred_on || null,
        naloxone_doses_used: reversal.naloxone_doses_used ? number(reversal.naloxone_doses_used) : null,
        outcome: reversal.outcome || "",
        emergency_services_called: reversal.emergency_services_called || "",
        area_id: reversal.area ? number(reversal.area) : null
      });
    }
    return payload;
  }

  // The service worker keeps a form it could not send as raw fields: make those ready to send.
  function normalise(entries) {
    var pending = entries.filter(function (entry) { return !entry.payload && entry.fields; });
    return Promise.all(pending.map(function (entry) {
      entry.payload = payloadFrom(entry.fields, entry.client_id, entry.queued_at);
      entry.user = entry.user || currentUser; // kept by the worker while this person's page was open
      delete entry.fields;
      return putEntry(entry);
    })).then(function () { return entries; });
  }

  // ---- Saving a visit on this device ---------------------------------------------------------

  function refreshFormIds() {
    // Every page view gets its own id, so a page served from the cache twice never repeats one.
    document.querySelectorAll("form[data-offline-form] input[name=client_id]").forEach(function (input) {
      input.value = newId();
    });
  }

  function saveOnDevice(form, submitter) {
    var queuedAt = new Date().toISOString();
    var clientId = newId();
    var entry = {
      client_id: clientId, queued_at: queuedAt, status: "waiting", attempts: 0, next_try: 0, user: currentUser,
      payload: payloadFrom(formFields(form, submitter), clientId, queuedAt)
    };
    return putEntry(entry).then(function () {
      form.reset();
      form.dispatchEvent(new CustomEvent("haven:offline-saved"));
      refreshFormIds();
      return waitingCount();
    }).then(function (count) {
      render(say(words.saved, count));
      window.scrollTo(0, 0);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-form]") || navigator.onLine || event.defaultPrevented) {
      return;
    }
    // Capture phase, before htmx or other handlers: offline, this form is kept on the device.
    event.preventDefault();
    event.stopImmediatePropagation();
    saveOnDevice(form, event.submitter).catch(function () {
      render(words.storageFailed || "");
    });
  }, true);

  // ---- Sending the queue ---------------------------------------------------------------------

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function refreshCsrfToken() {
    // A page kept from an earlier session carries an old token: fetch a fresh one once.
    var url = (panel && panel.dataset.tokenUrl) || "/";
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok || response.redirected) {
        return false;
      }
      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector('meta[name="csrf-token"]');
        var meta = document.querySelector('meta[name="csrf-token"]');
        if (!fresh || !meta) {
          return false;
        }
        meta.setAttribute("content", fresh.getAttribute("content"));
        return true;
      });
    }).catch(function () { return false; });
  }

  function post(payload) {
    return fetch(API_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    });
  }

  function problems(body) {
    // The API's field errors, as lines a person can read; nothing is put into the page as HTML.
    var lines = [];
    var detail = body && (body.errors || body.detail);
    if (typeof detail === "string") {
      lines.push(detail);
    } else if (Array.isArray(detail)) {
      detail.forEach(function (item) {
        var where = Array.isArray(item.loc) ? item.loc[item.loc.length - 1] : "";
        lines.push((where ? where + ": " : "") + (item.msg || item.message || JSON.stringify(item)));
      });
    } else if (detail && typeof detail === "object") {
      Object.keys(detail).forEach(function (field) {
        var messages = [].concat(detail[field]).map(function (m) { return typeof m === "string" ? m : (m.message || JSON.stringify(m)); });
        lines.push((field === "__all__" ? "" : field + ": ") + messages.join(" "));
      });
    }
    return lines.length ? lines : [words.refused || ""];
  }

  function retryLater(entry) {
    entry.attempts = (entry.attempts || 0) + 1;
    entry.next_try = Date.now() + Math.min(RETRY_FIRST_MS * Math.pow(2, entry.attempts - 1), RETRY_MAX_MS);
    return putEntry(entry);
  }

  function dateTime(when) {
    // As the server writes dates (haven/formats: "j M Y, H:i", "7 Dec 2026, 17:46").
    var lang = document.documentElement.lang || undefined;
    var month = new Intl.DateTimeFormat(lang, { month: "short" }).format(when);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return when.getDate() + " " + month + " " + when.getFullYear() + ", " + pad(when.getHours()) + ":" + pad(when.getMinutes());
  }

  function describe(entry) {
    var when = new Date(entry.payload && entry.payload.occurred_at);
    return say(words.visitOn, isNaN(when.getTime()) ? "" : dateTime(when))
      + (entry.payload && entry.payload.participant ? " · " + entry.payload.participant : "");
  }

  // "sent", "attention", "later" (try again after a while) or "stop" (signed out: stop for now).
  function send(entry, tokenRefreshed) {
    return post(entry.payload).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return response.json().catch(function () { return null; }).then(function (body) {
          report.push({ what: describe(entry), outcome: (body && body.outcome) || "recorded",
                        detail: (body && body.detail) || words.sentOne || "" });
          return removeEntry(entry.client_id);
        }).then(function () { return "sent"; });
      }
      if (response.status === 400 || response.status === 409 || response.status === 422) {
        return response.json().catch(function () { return null; }).then(function (body) {
          entry.status = "attention";
          // A conflict (409) is one sentence that says what happened and what to do.
          entry.problems = response.status === 409 && body && body.detail ? [body.detail] : problems(body);
          entry.conflict = response.status === 409 && body ? body.outcome : "";
          return putEntry(entry).then(function () { return "attention"; });
        });
      }
      if (response.status === 403 && !tokenRefreshed) {
        return refreshCsrfToken().then(function (refreshed) {
          return refreshed ? send(entry, true) : stop();
        });
      }
      if (response.status === 401 || response.status === 403) {
        return stop();
      }
      return retryLater(entry).then(function () { return "later"; });
    }, function () {
      return retryLater(entry).then(function () { return "later"; });
    });
  }

  function stop() {
    needsSignIn = true;
    return "stop";
  }

  function syncNow(force) {
    if (syncing || !navigator.onLine) {
      return Promise.resolve();
    }
    syncing = true;
    var sent = 0;
    var stopped = false;
    return allEntries().then(normalise).then(function (entries) {
      var due = entries.filter(function (entry) {
        return entry.status === "waiting" && entry.user === currentUser
          && (force || !entry.next_try || entry.next_try <= Date.now());
      });
      needsSignIn = false;
      return due.reduce(function (chain, entry) {
        return chain.then(function () {
          if (stopped) {
            return null;
          }
          return send(entry, false).then(function (outcome) {
            if (outcome === "sent") {
              sent += 1;
            } else if (outcome === "stop" || outcome === "later") {
              stopped = true; // the server or the connection is not there: the rest waits too
            }
          });
        });
      }, Promise.resolve());
    }).catch(function () {
      // IndexedDB unavailable for now: nothing to do until the next try.
    }).then(function () {
      syncing = false;
      return waitingCount().then(function (count) {
        if (needsSignIn && count) {
          render(words.signIn);
        } else if (sent && !count) {
          render(words.sent);
        } else {
          render(count ? say(words.waiting, count) : "");
        }
      });
    });
  }

  function sync(force) {
    // One tab sends at a time; the others find the queue already sent.
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("haven-offline-sync", { ifAvailable: true }, function (lock) {
        return lock ? syncNow(force) : null;
      });
    }
    return syncNow(force);
  }

  function waitingCount() {
    return allEntries().then(function (entries) {
      return entries.filter(function (entry) { return entry.status !== "attention"; }).length;
    });
  }

  // ---- The status panel ------------------------------------------------------------------------

  function render(message) {
    if (!panel) {
      return Promise.resolve();
    }
    if (typeof message === "string") {
      lastMessage = message;
    }
    return allEntries().catch(function () { return []; }).then(function (entries) {
      var waiting = entries.filter(function (entry) { return entry.status !== "attention"; });
      var attention = entries.filter(function (entry) { return entry.status === "attention"; });
      var text = lastMessage || (waiting.length ? say(words.waiting, waiting.length) : "");
      panel.querySelector("[data-offline-message]").textContent = text;
      var list = panel.querySelector("[data-offline-attention]");
      var heading = panel.querySelector("[data-offline-attention-heading]");
      list.textContent = "";
      attention.forEach(function (entry) { list.appendChild(attentionItem(entry)); });
      heading.hidden = attention.length === 0;
      // Visits the server found a conflict for (a probable duplicate, a site no longer theirs) are
      // not to be entered again: the heading says so.
      heading.dataset.refusedText = heading.dataset.refusedText || heading.textContent;
      heading.textContent = attention.length && attention.every(function (entry) { return entry.conflict; })
        ? words.attentionConflict : heading.dataset.refusedText;
      list.hidden = attention.length === 0;
      var done = panel.querySelector("[data-offline-report]");
      done.textContent = "";
      report.forEach(function (line) {
        var item = document.createElement("li");
        item.className = "offline-report-" + line.outcome;
        var what = document.createElement("strong");
        what.textContent = line.what + ": ";
        item.appendChild(what);
        item.appendChild(document.createTextNode(line.detail));
        done.appendChild(item);
      });
      done.hidden = report.length === 0;
      panel.querySelector("[data-offline-report-heading]").hidden = report.length === 0;
      panel.querySelector("[data-offline-send]").hidden = waiting.length === 0;
      panel.querySelector("[data-offline-clear]").hidden = entries.length === 0;
      panel.hidden = !(text || entries.length || report.length);
    });
  }

  function attentionItem(entry) {
    var item = document.createElement("li");
    var summary = document.createElement("p");
    summary.textContent = describe(entry);
    item.appendChild(summary);
    var reasons = document.createElement("ul");
    (entry.problems || []).forEach(function (line) {
      var reason = document.createElement("li");
      reason.textContent = line;
      reasons.appendChild(reason);
    });
    item.appendChild(reasons);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button-secondary";
    remove.textContent = words.remove || "";
    remove.addEventListener("click", function () {
      removeEntry(entry.client_id).then(function () { return render(""); });
    });
    if (entry.conflict === "duplicate") {
      // The person knows whether it was a second visit: send it again, duplicate or not.
      var anyway = document.createElement("button");
      anyway.type = "button";
      anyway.textContent = words.sendAnyway || "";
      anyway.addEventListener("click", function () {
        entry.status = "waiting";
        entry.attempts = 0;
        entry.next_try = 0;
        entry.conflict = "";
        entry.problems = [];
        entry.payload.allow_duplicate = true;
        putEntry(entry).then(function () { return sync(true); });
      });
      item.appendChild(anyway);
    }
    item.appendChild(remove);
    return item;
  }

  // ---- Clearing this device --------------------------------------------------------------------

  function deleteParticipantCache() {
    return new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(PARTICIPANTS_DB);
      request.onsuccess = function () { resolve(); };
      request.onerror = function () { resolve(); };
      // Another tab still has it open: it closes on "versionchange", then the delete goes ahead.
      request.onblocked = function () {};
    });
  }

  function clearDevice() {
    report = [];
    var steps = [clearQueue(), deleteParticipantCache()];
    if (window.caches) {
      steps.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("haven-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    return Promise.all(steps);
  }

  function unsentCount() {
    return allEntries().then(function (entries) { return entries.length; }).catch(function () { return 0; });
  }

  function confirmAndClear(question) {
    return unsentCount().then(function (count) {
      if (count && !window.confirm(say(question, count))) {
        return false;
      }
      return clearDevice().then(function () { return true; }, function () { return true; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.logout") || form.dataset.offlineCleared) {
      return;
    }
    event.preventDefault();
    confirmAndClear(words.confirmSignOut).then(function (go) {
      if (go) {
        form.dataset.offlineCleared = "1";
        form.submit();
      }
    });
  }, true);

  function wirePanel() {
    if (!panel) {
      return;
    }
    panel.querySelector("[data-offline-send]").addEventListener("click", function () { sync(true); });
    panel.querySelector("[data-offline-clear]").addEventListener("click", function () {
      confirmAndClear(words.confirmClear).then(function (cleared) {
        if (cleared) {
          render(words.cleared);
        }
      });
    });
  }

  // ---- Start ---------------------------------------------------------------------------------------

  function start() {
    wirePanel();
    refreshFormIds();
    if ("serviceWorker" in navigator && panel && panel.dataset.serviceWorker) {
      navigator.serviceWorker.register(panel.dataset.serviceWorker, { scope: "/" }).catch(function () {
        // No service worker (plain HTTP, a private window): the queue still works on an open page.
      });
    }
    // A visit the service worker kept while this page was loading is announced once.
    allEntries().then(function (entries) {
      var announced = entries.filter(function (entry) { return entry.announce; });
      return Promise.all(announced.map(function (entry) {
        delete entry.announce;
        return putEntry(entry);
      })).then(function () {
        var waiting = entries.filter(function (entry) { return entry.status !== "attention"; }).length;
        return render(announced.length ? say(words.saved, waiting) : undefined);
      });
    }).catch(function () {}).then(function () { return sync(true); });
    window.addEventListener("online", function () { sync(true); });
    window.addEventListener("offline", function () { render(); });
    setInterval(function () { sync(false); }, SYNC_EVERY_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
