// Finding a participant with no connection (docs/OFFLINE.md, "Participant visits offline").
//
// - On every page load with a connection, asks the server for this session's key
//   (GET /api/offline/key) and keeps it in memory only, as a WebCrypto key that cannot be
//   exported. It is never written to IndexedDB, localStorage or any cache.
// - Every few minutes, fetches the participants seen at this person's sites lately
//   (GET /api/offline/participants: display ids and last visits; never a code or a code's hash),
//   encrypts them with AES-GCM under that key and keeps only the ciphertext in IndexedDB
//   ("haven-offline-participants"). Without the session the ciphertext is useless.
// - A cache made under another key (another session: signing in again) is deleted, and so is the
//   cache when the server says this browser is no longer signed in. Signing out deletes the
//   database (offline.js, clearDevice).
// - Offline, the visit form shows a "find by the id on the card" box: a match fills in the form's
//   participant and shows their last visit; the visit joins the queue that offline.js sends.
//
// Words come from offline/find.html (translated there).
(function () {
  "use strict";

  var DB_NAME = "haven-offline-participants";
  var STORE = "cache";
  var RECORD = "participants";
  var KEY_URL = "/api/offline/key";
  var CACHE_URL = "/api/offline/participants";
  var REFRESH_MS = 10 * 60 * 1000;

  var panel = document.getElementById("offline-status");
  if (!panel || !window.indexedDB || !window.fetch || !window.crypto || !crypto.subtle) {
    return; // no WebCrypto (plain HTTP on a local network): no participant cache, nothing kept
  }

  var key = null; // CryptoKey, not extractable, this page's memory only
  var keyId = "";
  var days = 0;
  var byDisplayId = null; // display id -> {display_id, last_visit}, decrypted, in memory only
  var state = "loading"; // "loading", "ready", "locked"

  // ---- IndexedDB -----------------------------------------------------------------------------

  function openDb(version) {
    return new Promise(function (resolve, reject) {
      var open = version ? indexedDB.open(DB_NAME, version) : indexedDB.open(DB_NAME);
      open.onupgradeneeded = function () {
        if (!open.result.objectStoreNames.contains(STORE)) {
          open.result.createObjectStore(STORE, { keyPath: "id" });
        }
      };
      open.onsuccess = function () {
        var db = open.result;
        if (!db.objectStoreNames.contains(STORE)) {
          // Made empty by someone else (another script, a half-finished delete): add the store.
          var next = db.version + 1;
          db.close();
          resolve(openDb(next));
          return;
        }
        // Signing out deletes this database: let it go at once.
        db.onversionchange = function () { db.close(); };
        resolve(db);
      };
      open.onerror = function () { reject(open.error); };
      open.onblocked = function () { reject(new Error("blocked")); };
    });
  }

  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
        transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function readRecord() {
    return run("readonly", function (store) { return store.get(RECORD); });
  }

  function writeRecord(record) {
    return run("readwrite", function (store) { return store.put(record); });
  }

  function clearRecords() {
    return run("readwrite", function (store) { return store.clear(); });
  }

  // ---- Crypto --------------------------------------------------------------------------------

  function bytesFromBase64Url(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function importKey(raw) {
    return crypto.subtle.importKey("raw", bytesFromBase64Url(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  }

  function encrypt(data) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(data));
    // The key id is bound to the ciphertext: a record cannot be passed off as another session's.
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: new TextEncoder().encode(keyId) }, key, plain)
      .then(function (cipher) {
        return { id: RECORD, key_id: keyId, iv: iv, data: cipher, fetched_at: Date.now() };
      });
  }

  function decrypt(record) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv, additionalData: new TextEncoder().encode(keyId) },
      key, record.data).then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  // ---- Filling the cache ---------------------------------------------------------------------

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          var error = new Error("signed out");
          error.signedOut = true;
          throw error;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  function fetchJson(url, triesLeft) {
    return getJson(url).catch(function (error) {
      // A busy server or a weak signal: try again a little later while the page is open.
      if (error.signedOut || triesLeft <= 0 || !navigator.onLine) {
        throw error;
      }
      return new Promise(function (resolve) { setTimeout(resolve, 3000); }).then(function () {
        return fetchJson(url, triesLeft - 1);
      });
    });
  }

  function use(data) {
    byDisplayId = {};
    (data.participants || []).forEach(function (entry) { byDisplayId[entry.display_id] = entry; });
    state = "ready";
  }

  function refresh(record, again) {
    return fetchJson(CACHE_URL, 2).then(function (data) {
      if (data.key_id !== keyId) {
        // The session's key changed between the two requests: take the new key, once.
        return again ? null : fetchKey().then(function () { return refresh(record, true); });
      }
      use(data);
      return encrypt(data).then(writeRecord);
    });
  }

  function fetchKey() {
    return fetchJson(KEY_URL, 2).then(function (answer) {
      return importKey(answer.key).then(function (imported) {
        key = imported;
        keyId = answer.key_id;
        days = answer.days;
      });
    });
  }

  function load() {
    if (!navigator.onLine) {
      state = "locked";
      return Promise.resolve();
    }
    return fetchKey().then(function () {
      return readRecord();
    }).then(function (record) {
      if (record && record.key_id !== keyId) {
        // Made under an earlier session's key: unreadable now, so of no use to anyone.
        return clearRecords().then(function () { return refresh(null); });
      }
      if (!record || Date.now() - record.fetched_at > REFRESH_MS) {
        return refresh(record).catch(function () {
          return record ? decrypt(record).then(use) : null;
        });
      }
      return decrypt(record).then(use, function () {
        return clearRecords().then(function () { return refresh(null); });
      });
    }).catch(function (error) {
      if (error && error.signedOut) {
        key = null;
        byDisplayId = null;
        return clearRecords().catch(function () {});
      }
      return null;
    }).then(function () {
      if (state === "loading") {
        state = byDisplayId ? "ready" : "locked";
      }
    });
  }

  // ---- The find box on the visit form --------------------------------------------------------

  var box = document.querySelector("[data-offline-find]");
  var form = box ? box.closest("form") : null;
  var words = box ? box.dataset : {};

  function say(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_match, name) {
      return values && name in values ? String(values[name]) : "";
    });
  }

  function normalise(text) {
    // As the server does (participants.codes.normalise): letters and digits, upper case.
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toUpperCase().replace(/[^A-Z0-9]/g, "");
  }

  function participantField() {
    return form ? form.querySelector("input[name=participant]") : null;
  }

  function showFound(entry) {
    var found = box.querySelector("[data-offline-found]");
    var who = box.querySelector("[data-offline-found-who]");
    who.textContent = "";
    who.appendChild(document.createTextNode(words.participantLabel + " "));
    var id = document.createElement("span");
    id.className = "display-id";
    id.textContent = entry.display_id;
    who.appendChild(id);
    var note = document.createElement("span");
    note.className = "muted offline-found-note";
    note.textContent = " (" + words.foundHere + ")";
    who.appendChild(note);

    var visit = box.querySelector("[data-offline-found-visit]");
    visit.textContent = "";
    var last = entry.last_visit;
    var label = document.createElement("strong");
    label.textContent = words.lastVisit + ": ";
    visit.appendChild(label);
    var when = document.createElement("span");
    when.className = "last-visit-when";
    when.textContent = say(words.at, { when: last.when, site: last.site });
    visit.appendChild(when);
    if (last.supplies && last.supplies.length) {
      var list = document.createElement("ul");
      list.className = "supplies";
      last.supplies.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line.quantity + " × " + line.name;
        if (line.kit) {
          var kit = document.createElement("span");
          kit.className = "muted";
          kit.textContent = " (" + line.kit + ")";
          item.appendChild(kit);
        }
        list.appendChild(item);
      });
      visit.appendChild(list);
    } else {
      var none = document.createElement("span");
      none.className = "muted";
      none.textContent = " " + words.noSupplies;
      visit.appendChild(none);
    }
    found.hidden = false;
    box.querySelector("[data-offline-find-form]").hidden = true;
    box.querySelector("[data-offline-find-intro]").hidden = true;
    var anonymous = document.querySelector("[data-offline-anonymous]");
    if (anonymous) {
      anonymous.hidden = true;
    }
  }

  function forget() {
    var field = participantField();
    if (field) {
      field.value = "";
    }
    box.querySelector("[data-offline-found]").hidden = true;
    box.querySelector("[data-offline-find-form]").hidden = false;
    box.querySelector("[data-offline-find-miss]").hidden = true;
    box.querySelector("[data-offline-find-input]").value = "";
    renderBox();
    var anonymous = document.querySelector("[data-offline-anonymous]");
    if (anonymous) {
      anonymous.hidden = false;
    }
  }

  function find() {
    var input = box.querySelector("[data-offline-find-input]");
    var miss = box.querySelector("[data-offline-find-miss]");
    var wanted = normalise(input.value);
    var entry = byDisplayId && wanted ? byDisplayId[wanted] : null;
    if (!entry) {
      miss.textContent = state === "ready" ? say(words.notFound, { days: days }) : words.locked;
      miss.hidden = false;
      input.focus();
      return;
    }
    miss.hidden = true;
    participantField().value = entry.display_id;
    showFound(entry);
  }

  function renderBox() {
    if (!box) {
      return;
    }
    var offline = !navigator.onLine;
    var found = !box.querySelector("[data-offline-found]").hidden;
    // A participant found offline stays on the form if the connection comes back before saving.
    box.hidden = !offline && !found;
    document.querySelectorAll("[data-offline-online-only]").forEach(function (element) { element.hidden = offline; });
    var intro = box.querySelector("[data-offline-find-intro]");
    intro.textContent = state === "ready" ? say(words.ready, { days: days })
      : state === "loading" ? words.loading : words.locked;
    box.querySelector("[data-offline-find-form]").hidden = state !== "ready" || found;
    intro.hidden = found;
  }

  function wireBox() {
    if (!box || !form) {
      return;
    }
    box.querySelector("[data-offline-find-button]").addEventListener("click", find);
    box.querySelector("[data-offline-find-input]").addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter finds; it must not save the visit
        find();
      }
    });
    box.querySelector("[data-offline-forget]").addEventListener("click", forget);
    // offline.js queued the visit and reset the form: the next visit starts anonymous.
    form.addEventListener("haven:offline-saved", forget);
    window.addEventListener("online", renderBox);
    window.addEventListener("offline", renderBox);
  }

  function start() {
    wireBox();
    renderBox();
    load().then(renderBox);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
