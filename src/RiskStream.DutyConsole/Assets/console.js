// RiskStream duty console: live updates over server-sent events, no reload. The board re-reads its rows, a warning
// page its panel, whenever an event of the party's warnings arrives.
(function () {
  "use strict";
  var board = document.getElementById("board-rows");
  var page = document.querySelector("main[data-live='warning']");
  if (!board && !page) { return; }
  var pending = false;
  function refresh(id) {
    if (pending) { return; }
    pending = true;
    var url = board ? "/board/rows" : "/w/" + encodeURIComponent(page.dataset.id) + "/panel";
    if (page && id && id !== page.dataset.id) { pending = false; return; }
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var target = board || document.getElementById("panel");
        var focused = document.activeElement && target.contains(document.activeElement);
        if (!focused) { target.innerHTML = html; }
        document.body.dataset.updated = String(Date.now());
      })
      .finally(function () { pending = false; });
  }
  var source = new EventSource("/events");
  source.addEventListener("warning", function (e) { refresh(e.data); });
})();
