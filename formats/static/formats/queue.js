/* Saves that survive a poor connection.
 *
 * Every <form data-queue> posts through here: the form's fields, plus a client-generated client_id,
 * are kept in localStorage until the server answers. A failure of the network or of the server (5xx)
 * keeps the save and retries it every few seconds and when the phone comes back online; the status
 * line says "Not saved yet" until it went through, then "Saved". A refusal (4xx) is shown with its
 * reason and dropped: sending it again would not help. The server treats a repeated client_id as the
 * same save, so a retry never counts anything twice.
 */
(function () {
  "use strict";
  var KEY = "meedoen-formats-queue";
  var RETRY_MS = 4000;
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function store(queue) {
    try { localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { /* full or private mode */ }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function statusLine() { return document.getElementById("save-status"); }
  function show(state, text) {
    var line = statusLine();
    if (!line) { return; }
    line.dataset.state = state;
    line.textContent = text;
  }
  function pendingText(count) {
    var line = statusLine();
    var template = (line && line.dataset.pending) || "Not saved yet ({n}). Trying again…";
    return template.replace("{n}", count);
  }
  function report() {
    var count = load().length;
    var line = statusLine();
    if (!line) { return; }
    if (count) { show("pending", pendingText(count)); }
  }

  function sendOne(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("client_id", item.id);
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function flush() {
    if (sending) { return; }
    var queue = load();
    if (!queue.length) { return; }
    sending = true;
    var item = queue[0];
    sendOne(item).then(function (result) {
      var rest = load().filter(function (other) { return other.id !== item.id; });
      if (result.status >= 200 && result.status < 300) {
        store(rest);
        sending = false;
        document.dispatchEvent(new CustomEvent("formats:saved", { detail: { item: item, data: result.data } }));
        if (rest.length) { report(); flush(); } else { show("saved", statusLine() ? statusLine().dataset.saved || "Saved" : ""); }
      } else if (result.status >= 400 && result.status < 500) {
        store(rest);
        sending = false;
        show("error", (result.data && result.data.error) || "Not saved");
        if (rest.length) { flush(); }
      } else {
        throw new Error("server " + result.status);
      }
    }).catch(function () {
      sending = false;
      report();
    });
  }

  function enqueue(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "client_id") { fields.push([name, String(value)]); }
    });
    var submitter = form._submitter;
    if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
    var queue = load();
    queue.push({ id: newId(), url: form.getAttribute("action") || location.pathname, fields: fields, at: Date.now() });
    store(queue);
    show("pending", pendingText(queue.length));
    flush();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[type=submit], input[type=submit]");
    if (button && button.form) { button.form._submitter = button; }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-queue")) { return; }
    event.preventDefault();
    enqueue(form);
    form._submitter = null;
    if (form.hasAttribute("data-reset")) { form.reset(); }
  });
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  document.addEventListener("DOMContentLoaded", function () { report(); flush(); });
  window.formatsQueue = { flush: flush, pending: function () { return load().length; } };
})();
