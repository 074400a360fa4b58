// Meeting mode: the minutes form saves itself while the secretary types,
// and what was typed stays in localStorage until the server has it, so a
// failed save (a flaky connection) loses nothing. Without this script the
// form works as a plain form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.localStorage) { return; }
  var key = "sotay:" + form.getAttribute("data-autosave");
  var state = document.getElementById("autosave-state");
  var texts = document.getElementById("autosave-texts");
  var fields = form.querySelectorAll("textarea, input[type=text], input[type=number]");
  var timer = null, busy = false, again = false;

  function show(kind) {
    if (!state || !texts) { return; }
    state.hidden = false;
    state.textContent = texts.getAttribute(kind === "saved" ? "data-saved" : "data-unsaved");
    state.className = kind === "saved" ? "notice ok" : "notice error";
  }
  function snapshot() {
    var o = {};
    for (var i = 0; i < fields.length; i++) { o[fields[i].name] = fields[i].value; }
    return o;
  }
  function keep() {
    try { localStorage.setItem(key, JSON.stringify(snapshot())); } catch (e) { /* full or private mode */ }
  }
  // Text kept from a save that failed comes back into the form.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept) {
      var differs = false;
      for (var i = 0; i < fields.length; i++) {
        var v = kept[fields[i].name];
        if (typeof v === "string" && v !== fields[i].value) { fields[i].value = v; differs = true; }
      }
      if (differs) { show("unsaved"); schedule(1000); } else { localStorage.removeItem(key); }
    }
  } catch (e) { /* ignore a damaged copy */ }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    var sent = JSON.stringify(snapshot());
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "X-Autosave": "1", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      // Only what was sent is known saved: newer typing stays kept.
      if (JSON.stringify(snapshot()) === sent) { localStorage.removeItem(key); }
      show("saved");
    }).catch(function () {
      show("unsaved");
      schedule(5000);
    }).then(function () {
      busy = false;
      if (again) { again = false; schedule(500); }
    });
  }
  function schedule(ms) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, ms);
  }
  form.addEventListener("input", function () { keep(); show("unsaved"); schedule(1500); });
  window.addEventListener("online", function () { if (localStorage.getItem(key)) { schedule(200); } });
  // A plain submit keeps the copy until the server answers with the page.
  form.addEventListener("submit", keep);
})();
