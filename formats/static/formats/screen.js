/* The projector screen: asks the server every few seconds what to show, without reloading the page. */
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) { return; }
  var url = root.dataset.liveUrl;
  var every = parseInt(root.dataset.every || "3000", 10);

  function set(id, text) {
    var node = document.getElementById(id);
    if (node && node.textContent !== String(text)) { node.textContent = text; }
  }
  function render(state) {
    root.dataset.statement = state.statement ? state.statement.id : "";
    set("live-statement", state.statement ? state.statement.text : root.dataset.waiting);
    var results = document.getElementById("live-results");
    var hidden = document.getElementById("live-hidden");
    results.hidden = !state.show_results;
    hidden.hidden = state.show_results || !state.statement;
    set("live-responses", state.statement ? state.responses : 0);
    if (state.show_results && state.results) {
      ["agree", "disagree", "neutral"].forEach(function (choice) {
        var combined = state.results.combined;
        set("live-" + choice + "-count", combined[choice]);
        set("live-" + choice + "-pct", combined[choice + "_pct"] + "%");
        var bar = document.getElementById("live-" + choice + "-bar");
        if (bar) { bar.style.width = combined[choice + "_pct"] + "%"; }
        set("live-" + choice + "-room", state.results.room[choice]);
        set("live-" + choice + "-online", state.results.online[choice]);
      });
    }
    root.dataset.updated = Date.now();
  }
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(render)
      .catch(function () { /* try again next time */ })
      .then(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
