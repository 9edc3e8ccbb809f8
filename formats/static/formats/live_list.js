/* Lists that keep themselves up to date (issue 16): every <ul data-live-list="url"> asks the server for
 * its items every few seconds (data-every, in ms; like the projector screen) and at once after a save
 * through queue.js ("formats:saved"), so "Nothing yet." never stays after a save and saves from other
 * phones appear without a reload. The server answers with the list's <li> items only. */
(function () {
  "use strict";
  var DEFAULT_EVERY_MS = 5000;

  function refresh(list) {
    if (list.dataset.busy) { return; }
    list.dataset.busy = "1";
    fetch(list.dataset.liveList, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && html.trim() !== list.innerHTML.trim()) { list.innerHTML = html; }
      })
      .catch(function () { /* offline: the next round tries again */ })
      .then(function () { delete list.dataset.busy; });
  }

  function start() {
    var lists = Array.prototype.slice.call(document.querySelectorAll("[data-live-list]"));
    lists.forEach(function (list) {
      var every = parseInt(list.dataset.every, 10) || DEFAULT_EVERY_MS;
      setInterval(function () { if (!document.hidden) { refresh(list); } }, every);
    });
    document.addEventListener("formats:saved", function () { lists.forEach(refresh); });
    window.formatsLiveLists = { refresh: function () { lists.forEach(refresh); } };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
