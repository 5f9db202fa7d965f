// Scan a participant card: read its QR code (which holds the display id only) and open the visit
// form for that person. The browser's BarcodeDetector is used where it exists; elsewhere the
// vendored jsQR (Apache-2.0) is loaded from Haven itself. Nothing leaves the device: frames are
// decoded in the page and only the display id goes to the server, in the visit form's URL.
(function () {
  "use strict";

  var DISPLAY_ID = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/;
  var scanner, statusLine, video, visitUrl, decoderUrl, stream, detector, jsQR, canvas, busy;

  function say(text) {
    statusLine.textContent = text;
  }

  function found(text) {
    var id = String(text || "").toUpperCase().replace(/[^0-9A-Z]/g, "");
    if (!DISPLAY_ID.test(id)) {
      say(scanner.getAttribute("data-not-a-card") || "This QR code is not a participant card.");
      return false;
    }
    stop();
    say(id);
    window.location.assign(visitUrl + encodeURIComponent(id));
    return true;
  }

  function loadDecoder() {
    if (jsQR) { return Promise.resolve(); }
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") >= 0) {
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        } else {
          return loadScript();
        }
      }, loadScript);
    }
    return loadScript();
  }

  function loadScript() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = decoderUrl;
      script.onload = function () { jsQR = window.jsQR; resolve(); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // source: a video element or an ImageBitmap. Resolves with the text or null.
  function decode(source, width, height) {
    if (detector) {
      return detector.detect(source).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    canvas = canvas || document.createElement("canvas");
    // Large photos are scaled down: a card fills much of the frame, and jsQR is quicker on fewer pixels.
    var scale = Math.min(1, 1024 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = jsQR(pixels.data, pixels.width, pixels.height);
    return Promise.resolve(code ? code.data : null);
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
  }

  function tick() {
    if (!stream || busy) { return; }
    if (video.readyState < 2) { window.requestAnimationFrame(tick); return; }
    busy = true;
    decode(video, video.videoWidth, video.videoHeight).then(function (text) {
      busy = false;
      if (!(text && found(text))) { window.setTimeout(tick, 150); }
    }, function () { busy = false; window.setTimeout(tick, 300); });
  }

  function startCamera() {
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
      say(scanner.getAttribute("data-no-camera"));
      return;
    }
    say(scanner.getAttribute("data-starting"));
    loadDecoder().then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      return video.play();
    }).then(function () {
      say(scanner.getAttribute("data-pointing"));
      tick();
    }).catch(function () {
      stop();
      say(scanner.getAttribute("data-no-camera"));
    });
  }

  function readPhoto(file) {
    if (!file) { return; }
    say(scanner.getAttribute("data-reading"));
    loadDecoder().then(function () {
      return window.createImageBitmap(file);
    }).then(function (bitmap) {
      return decode(bitmap, bitmap.width, bitmap.height);
    }).then(function (text) {
      if (!text) { say(scanner.getAttribute("data-no-code")); return; }
      found(text);
    }).catch(function () {
      say(scanner.getAttribute("data-no-code"));
    });
  }

  function ready() {
    scanner = document.querySelector("[data-scanner]");
    if (!scanner) { return; }
    statusLine = scanner.querySelector("[data-scanner-status]");
    video = scanner.querySelector("[data-scanner-video]");
    visitUrl = scanner.getAttribute("data-visit-url");
    decoderUrl = scanner.getAttribute("data-decoder");
    scanner.hidden = false;
    scanner.querySelector("[data-scanner-start]").addEventListener("click", startCamera);
    var photo = scanner.querySelector("[data-scanner-photo]");
    photo.addEventListener("change", function (event) {
      readPhoto(event.target.files && event.target.files[0]);
    });
    // On a slow phone the photo may be chosen before this script runs: read it now.
    if (photo.files && photo.files[0]) { readPhoto(photo.files[0]); }
    window.addEventListener("pagehide", stop);
    // Straight to the camera where the person already allowed it: scanning is then one step.
    if (navigator.permissions && navigator.permissions.query) {
      navigator.permissions.query({ name: "camera" }).then(function (state) {
        if (state.state === "granted") { startCamera(); }
      }, function () {});
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
