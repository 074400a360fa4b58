// Sổ tay — conferences: the host's check-in page (heartbeat, offline
// queue, camera scan) and the live board (server-sent events). The pages
// work without it: the roll's tick boxes post a form.
(function () {
  "use strict";

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function checkinPage(root) {
    var conf = root.getAttribute("data-conf"), bp = root.getAttribute("data-bp");
    var api = "/api/v1/conferences/" + conf;
    var key = "sotay.checkins." + conf + "." + bp;
    var offline = document.getElementById("offline-note");
    var queueNote = document.getElementById("queue-note");
    var queueCount = document.getElementById("queue-count");
    var result = document.getElementById("scan-result");
    var flushing = false;

    function load() {
      try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
    }
    function save(q) {
      localStorage.setItem(key, JSON.stringify(q));
      queueCount.textContent = String(q.length);
      queueNote.hidden = q.length === 0;
    }
    function newID() {
      var a = new Uint8Array(9);
      crypto.getRandomValues(a);
      return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    function enqueue(item) {
      item.bridge_point_id = Number(bp);
      item.at = new Date().toISOString();
      item.client_id = newID();
      var q = load();
      q.push(item);
      save(q);
      flush();
    }
    function say(text) { result.textContent = text; }

    // flush sends the queue one by one, oldest first. A refusal (4xx)
    // drops the item and says why; a failure of the network or the
    // server keeps it for later. The client id makes a resend harmless.
    function flush() {
      if (flushing) { return; }
      var q = load();
      if (q.length === 0) { offline.hidden = true; return; }
      flushing = true;
      var item = q[0];
      post(api + "/checkins", item).then(function (resp) {
        if (resp.status >= 500) { throw new Error("server " + resp.status); }
        return resp.json().catch(function () { return {}; }).then(function (body) {
          var rest = load().filter(function (x) { return x.client_id !== item.client_id; });
          save(rest);
          offline.hidden = true;
          if (resp.ok) {
            say("✓ " + (body.member_name || ""));
            var box = document.getElementById("m-" + body.member_id);
            if (box) { box.checked = true; box.disabled = true; }
          } else {
            say("✗ " + (body.detail || resp.status));
          }
          flushing = false;
          flush();
        });
      }).catch(function () {
        flushing = false;
        offline.hidden = false;
      });
    }

    var roll = document.getElementById("roll-form");
    roll.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var boxes = roll.querySelectorAll("input[name=member]:checked:not(:disabled)");
      Array.prototype.forEach.call(boxes, function (b) {
        b.disabled = true;
        b.closest("li").classList.add("done");
        enqueue({ member_id: Number(b.value) });
      });
    });
    var codeForm = document.getElementById("code-form");
    codeForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var input = document.getElementById("code");
      var code = input.value.trim();
      if (code) { enqueue({ code: code }); }
      input.value = "";
    });

    window.addEventListener("online", flush);
    setInterval(flush, 5000);
    function beat() { post(api + "/bridge-points/" + bp + "/heartbeat").catch(function () {}); }
    beat();
    setInterval(beat, 10000);
    flush();
    save(load());

    // The camera: the browser's own BarcodeDetector where it reads QR
    // codes (Chrome on Android), else the embedded jsQR decoder (static/
    // jsqr.js, loaded with the page so that it is there when the network
    // drops) over video frames drawn to a canvas. Both feed enqueue, as a
    // typed code does: queued while offline, the time of the scan, once.
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    var decoderURL = root.getAttribute("data-qr-decoder");
    var native = "BarcodeDetector" in window;
    var decoder = null;
    function loadDecoder() {
      if (!decoder) {
        decoder = new Promise(function (ok, fail) {
          if (window.jsQR) { ok(window.jsQR); return; }
          var s = document.createElement("script");
          s.src = decoderURL;
          s.onload = function () { if (window.jsQR) { ok(window.jsQR); } else { fail(new Error("jsQR")); } };
          s.onerror = function () { decoder = null; fail(new Error("jsQR")); };
          document.head.appendChild(s);
        });
      }
      return decoder;
    }
    // reader answers a function that reads the codes in the video's
    // current frame (a promise of texts).
    function reader() {
      var viaNative = !native ? Promise.resolve(false) :
        (window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]))
          .then(function (f) { return f.indexOf("qr_code") >= 0; }, function () { return false; });
      return viaNative.then(function (yes) {
        if (yes) {
          var d = new window.BarcodeDetector({ formats: ["qr_code"] });
          return function () {
            return d.detect(video).then(function (cs) { return cs.map(function (c) { return c.rawValue || ""; }); });
          };
        }
        return loadDecoder().then(function (jsQR) {
          var canvas = document.createElement("canvas");
          var g = canvas.getContext("2d", { willReadFrequently: true });
          return function () {
            var w = video.videoWidth, h = video.videoHeight;
            if (!w || !h) { return Promise.resolve([]); }
            var k = Math.min(1, 720 / Math.max(w, h));
            canvas.width = Math.round(w * k); canvas.height = Math.round(h * k);
            g.drawImage(video, 0, 0, canvas.width, canvas.height);
            var img = g.getImageData(0, 0, canvas.width, canvas.height);
            var r = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
            return Promise.resolve(r ? [r.data] : []);
          };
        });
      });
    }
    if (!native && !decoderURL) { return; }
    if (!native) { loadDecoder().catch(function () {}); }
    var start = document.getElementById("scan-start"), stop = document.getElementById("scan-stop");
    var video = document.getElementById("scan-video");
    var stream = null, seen = {};
    start.hidden = false;
    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false; stop.hidden = false; start.hidden = true;
        video.play();
        return reader().then(function (read) {
          (function tick() {
            if (!stream) { return; }
            read().then(function (texts) {
              texts.forEach(function (t) {
                var v = t.trim();
                if (v.indexOf("SOTAY1.") === 0 && !seen[v]) {
                  seen[v] = true;
                  enqueue({ code: v });
                }
              });
            }).catch(function () {}).then(function () { setTimeout(tick, 300); });
          })();
        });
      }).catch(function (e) { say("✗ " + e.name); });
    });
    stop.addEventListener("click", function () {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      stream = null;
      video.hidden = true; stop.hidden = true; start.hidden = false;
    });
  }

  function board(root) {
    var conf = root.getAttribute("data-conf");
    var at = document.getElementById("board-at");
    var es;
    function set(scope, field, value) {
      var el = scope.querySelector("[data-f='" + field + "']");
      if (el) { el.textContent = String(value); }
    }
    function show(ev) {
      var a = JSON.parse(ev.data);
      ["expected", "present", "late", "absent", "elsewhere"].forEach(function (f) { set(root, "total-" + f, a.total[f]); });
      a.bridge_points.forEach(function (p) {
        var row = root.querySelector("tr[data-bp='" + p.id + "']");
        if (!row) { location.reload(); return; }
        ["expected", "present", "late", "absent", "elsewhere"].forEach(function (f) { set(row, f, p[f]); });
        var dot = row.querySelector(".dot");
        dot.classList.toggle("on", p.connected);
        dot.title = p.connected ? dot.getAttribute("data-on") : dot.getAttribute("data-off");
      });
      var d = new Date(a.at);
      at.textContent = d.toLocaleTimeString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", hour12: false });
    }
    // EventSource reconnects by itself after a dropped stream (the server's
    // "retry"), and every stream starts with the current figures; but it
    // gives up for good on an HTTP error (a proxy's 502 while the server
    // restarts): then open a new one a little later.
    function connect() {
      es = new EventSource("/api/v1/conferences/" + conf + "/events");
      es.addEventListener("attendance", show);
      es.addEventListener("error", function () {
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          setTimeout(connect, 5000);
        }
      });
    }
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var c = document.getElementById("checkin");
    if (c) { checkinPage(c); }
    var b = document.getElementById("board");
    if (b) { board(b); }
  });
})();
