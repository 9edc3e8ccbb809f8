/* Saves that survive a poor connection.
 *
 * Every <form data-queue> posts through here: the form's fields, plus a client-generated client_id,
 * are kept in localStorage until the server answers. The server treats a repeated client_id as the
 * same save, so a retry never counts anything twice. Saves go out in order, one at a time.
 *
 * - A network failure (offline, a dropped connection) keeps the save and tries again with exponential
 *   backoff (1 s, 2 s, 4 s … at most 60 s) and at once when the phone comes back online. These tries
 *   have no limit: being offline at a venue is what the queue is for.
 * - A server failure (5xx) is tried again with the same backoff, at most MAX_SERVER_TRIES times. After
 *   that the save is set aside (kept in localStorage under KEY + "-failed", never lost silently), its
 *   form says so, and later saves go through.
 * - A refusal (4xx) is not tried again: sending it again would not help. The server's message (JSON
 *   {"error": …} or short plain text, in the user's language) is shown next to the form that made the
 *   save and in the status line, the save is dropped and later saves go through. A form that empties
 *   itself after a save (data-reset) gets the refused values back, so the person can correct them.
 *
 * The status line (#save-status) carries the translated texts: data-pending, data-saved, data-refused,
 * data-failed; data-retry-ms changes the first delay (tests use a short one).
 */
(function () {
  "use strict";
  var KEY = "meedoen-formats-queue";
  var FAILED_KEY = KEY + "-failed";
  var FIRST_DELAY_MS = 1000;
  var MAX_DELAY_MS = 60000;
  var MAX_SERVER_TRIES = 5;
  var sending = false;
  var timer = null;
  var networkTries = 0;

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key || KEY)) || []; } catch (e) { return []; }
  }
  function store(queue, key) {
    try { localStorage.setItem(key || KEY, JSON.stringify(queue)); } catch (e) { /* full or private mode */ }
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
  function text(name, fallback) {
    var line = statusLine();
    return (line && line.dataset[name]) || fallback;
  }
  function show(state, message) {
    var line = statusLine();
    if (!line) { return; }
    line.dataset.state = state;
    line.textContent = message;
  }
  function pendingText(count) {
    return text("pending", "Not saved yet ({n}). Trying again…").replace("{n}", count);
  }
  function report() {
    var count = load().length;
    if (count) { show("pending", pendingText(count)); }
  }
  function delay(tries) {
    var line = statusLine();
    var first = (line && parseInt(line.dataset.retryMs, 10)) || FIRST_DELAY_MS;
    return Math.min(first * Math.pow(2, Math.max(tries - 1, 0)), MAX_DELAY_MS);
  }
  function schedule(ms) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; flush(); }, ms);
  }

  function queuedForms() { return Array.prototype.slice.call(document.querySelectorAll("form[data-queue]")); }
  function formKey(form) { return form.id || "form-" + queuedForms().indexOf(form); }
  function formOf(item) {
    if (!item.form) { return null; }
    return document.getElementById(item.form) || queuedForms()[parseInt(item.form.replace("form-", ""), 10)] || null;
  }
  /* The reason a save was not kept, right above the form's fields (role=alert: read out at once). */
  function tellForm(item, message, kind) {
    var form = formOf(item);
    if (!form) { return; }
    var note = form.querySelector(".queue-error[data-kind=" + kind + "]");
    if (!note) {
      note = document.createElement("p");
      note.className = "queue-error";
      note.dataset.kind = kind;
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = message;
  }
  /* A form that empties itself after a save (data-reset) gets the refused values back, so nothing typed
     is lost: the person corrects it and saves again. Only when they have not started something new. */
  function refill(item) {
    var form = formOf(item);
    if (!form || !form.hasAttribute("data-reset")) { return; }
    var typed = Array.prototype.some.call(form.querySelectorAll("textarea, input[type=text]"), function (field) {
      return field.value.trim() !== "";
    });
    if (typed) { return; }
    item.fields.forEach(function (pair) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name !== pair[0] || field.type === "submit" || field.type === "hidden" || field.tagName === "BUTTON") {
          return;
        }
        if (field.type === "radio" || field.type === "checkbox") {
          if (field.value === pair[1]) { field.checked = true; }
        } else {
          field.value = pair[1];
        }
      });
    });
  }
  /* A save that went through answers the refusal shown before it (the person corrected it); a save set
     aside after server errors stays on screen until the page is left. */
  function clearForm(item) {
    var form = formOf(item);
    var note = form && form.querySelector(".queue-error[data-kind=refused]");
    if (note) { note.parentNode.removeChild(note); }
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
      return response.text().then(function (raw) {
        var data = {};
        try { data = JSON.parse(raw); } catch (e) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("text/plain") === 0 && raw.length < 300) { data = { error: raw.trim() }; }
        }
        return { status: response.status, data: data || {} };
      });
    });
  }

  function done(item, rest) {
    store(rest);
    sending = false;
    if (rest.length) { report(); flush(); }
  }

  function flush() {
    if (sending) { return; }
    var queue = load();
    if (!queue.length) { return; }
    sending = true;
    var item = queue[0];
    sendOne(item).then(function (result) {
      networkTries = 0;
      var rest = load().filter(function (other) { return other.id !== item.id; });
      // A save counts only when the server says so: a 200 with another page (a login page after a
      // redirect, say) is not a save.
      if (result.status >= 200 && result.status < 300 && result.data.ok === true) {
        clearForm(item);
        document.dispatchEvent(new CustomEvent("formats:saved", { detail: { item: item, data: result.data } }));
        done(item, rest);
        if (!rest.length) { show("saved", text("saved", "Saved")); }
      } else if (result.status < 500) {
        var reason = (result.data && result.data.error) || text("refused", "Not saved.");
        tellForm(item, reason, "refused");
        refill(item);
        show("error", reason);
        document.dispatchEvent(new CustomEvent("formats:refused", { detail: { item: item, data: result.data } }));
        done(item, rest);
        if (rest.length) { show("error", reason); }
      } else {
        item.serverTries = (item.serverTries || 0) + 1;
        if (item.serverTries >= MAX_SERVER_TRIES) {
          var failed = load(FAILED_KEY);
          failed.push(item);
          store(failed, FAILED_KEY);
          var message = text("failed", "Not saved: the server kept failing. Try again later.");
          tellForm(item, message, "failed");
          refill(item);
          show("error", message);
          done(item, rest);
          if (rest.length) { show("error", message); }
        } else {
          store([item].concat(rest));
          sending = false;
          report();
          schedule(delay(item.serverTries));
        }
      }
    }).catch(function () {  // the network: no answer at all
      sending = false;
      networkTries += 1;
      report();
      schedule(delay(networkTries));
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
    queue.push({ id: newId(), url: form.getAttribute("action") || location.pathname, fields: fields, at: Date.now(),
                 form: formKey(form) });
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
  window.addEventListener("online", function () { networkTries = 0; flush(); });
  document.addEventListener("DOMContentLoaded", function () { report(); flush(); });
  window.formatsQueue = {
    flush: flush,
    pending: function () { return load().length; },
    failed: function () { return load(FAILED_KEY).length; }
  };
})();
