/* Visit drafts that survive a lost signal (issue 5).
 * A visit form is kept in localStorage under a UUID (the idempotency key the server knows as
 * client_key). Saving sends it at once; without a connection it stays on the phone and is sent on the
 * browser's "online" event or the next page load. The server answers a resend with the visit it already
 * has (200), so a draft is sent at most once in effect. A 403 or a redirect to the login page keeps the
 * draft until the user has logged in again. Photos are not kept offline (localStorage holds text only).
 */
(function () {
  "use strict";
  var KEY = "linli.visitDrafts";
  var sending = {};

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function store(drafts) { localStorage.setItem(KEY, JSON.stringify(drafts)); }
  function put(draft) { var d = load(); d[draft.key] = draft; store(d); }
  function drop(key) { var d = load(); delete d[key]; store(d); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function say(kind) {
    var box = document.getElementById("draft-status");
    if (!box) return;
    box.textContent = box.getAttribute("data-" + kind) || "";
    box.className = "draft-status " + kind;
    box.hidden = false;
  }

  function fieldsOf(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || el.name === "csrfmiddlewaretoken") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.type === "submit" || el.type === "button") return;
      out.push([el.name, el.value]);
    });
    return out;
  }

  // Resolves to "sent" (with the server's JSON), "invalid" (400: the form has errors), "kept" (login
  // or CSRF failure: keep the draft) or "offline" (no connection).
  function send(draft, photo) {
    if (sending[draft.key]) return Promise.resolve({ state: "busy" });
    sending[draft.key] = true;
    var body = new FormData();
    draft.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    if (photo) body.append("photo", photo);
    return fetch(draft.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (resp) {
      if (resp.redirected && resp.url.indexOf("/accounts/login") !== -1) return { state: "kept" };
      if (resp.status === 200 || resp.status === 201) {
        return resp.json().then(function (data) { drop(draft.key); return { state: "sent", data: data }; });
      }
      if (resp.status === 400) return { state: "invalid" };
      return { state: "kept" };
    }, function () {
      return { state: "offline" };
    }).then(function (result) { delete sending[draft.key]; return result; });
  }

  function flush() {
    var drafts = load();
    Object.keys(drafts).forEach(function (key) {
      var draft = drafts[key];
      if (!draft.ready) return;
      send(draft).then(function (result) {
        if (result.state === "sent") say("sent");
        if (result.state === "kept") say("login");
        if (result.state === "invalid") { draft.error = true; put(draft); }
        renderPending();
      });
    });
  }

  function renderPending() {
    var list = document.getElementById("pending-drafts");
    if (!list) return;
    var drafts = load();
    var keys = Object.keys(drafts).filter(function (k) { return drafts[k].ready; });
    list.innerHTML = "";
    if (!keys.length) {
      var li = document.createElement("li");
      li.className = "muted";
      li.textContent = list.getAttribute("data-empty");
      list.appendChild(li);
    }
    keys.forEach(function (k) {
      var li = document.createElement("li");
      li.textContent = drafts[k].label + " · " + drafts[k].savedAt.slice(0, 16).replace("T", " ");
      list.appendChild(li);
    });
  }

  function setup(form) {
    var keyInput = form.querySelector("input[name=client_key]");
    // Reopening the form of a dwelling with an unsent, unfinished draft restores it.
    var drafts = load();
    var existing = Object.keys(drafts).map(function (k) { return drafts[k]; }).filter(function (d) {
      return !d.ready && d.household === form.dataset.household;
    })[0];
    if (existing && !keyInput.value) {
      keyInput.value = existing.key;
      existing.fields.forEach(function (pair) {
        var els = form.querySelectorAll("[name='" + pair[0] + "']");
        Array.prototype.forEach.call(els, function (el) {
          if (el.type === "checkbox" || el.type === "radio") { if (el.value === pair[1]) el.checked = true; }
          else if (el.type !== "file") el.value = pair[1];
        });
      });
    }
    if (!keyInput.value) keyInput.value = uuid();

    function draftOf(ready) {
      return {
        key: keyInput.value,
        action: form.getAttribute("action") || window.location.pathname,
        household: form.dataset.household,
        label: form.dataset.householdLabel || "",
        fields: fieldsOf(form),
        ready: ready,
        savedAt: new Date().toISOString()
      };
    }
    form.addEventListener("change", function () { put(draftOf(false)); });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var draft = draftOf(true);
      put(draft);
      var photoInput = form.querySelector("input[type=file][name=photo]");
      var photo = photoInput && photoInput.files.length ? photoInput.files[0] : null;
      send(draft, photo).then(function (result) {
        if (result.state === "sent") { window.location.assign(result.data.url); return; }
        if (result.state === "invalid") { drop(draft.key); form.submit(); return; }
        if (result.state === "kept") { say("login"); return; }
        if (result.state === "offline") say("saved");
      });
    });

    var gps = form.querySelector("[data-gps]");
    if (gps && navigator.geolocation) {
      gps.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          form.querySelector("input[name=latitude]").value = pos.coords.latitude.toFixed(6);
          form.querySelector("input[name=longitude]").value = pos.coords.longitude.toFixed(6);
          gps.disabled = true;
        });
      });
    } else if (gps) {
      gps.hidden = true;
    }
  }

  document.querySelectorAll("form[data-draft-form=visit]").forEach(setup);
  renderPending();
  window.addEventListener("online", flush);
  if (navigator.onLine !== false) flush();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/dashboard/sw.js", { scope: "/dashboard/" }).catch(function () {});
  }
})();
