// The pairing board follows pairing changes live: streamers' answers appear without a reload.
(function () {
  "use strict";
  var board = document.getElementById("pairing-board");
  var indicator = document.getElementById("live-indicator");
  var notice = document.getElementById("live-notice");
  if (!board || typeof io === "undefined") { return; }
  var campaignId = Number(board.dataset.campaign);
  var labels = JSON.parse(board.dataset.labels);

  function setState(state) {
    indicator.dataset.state = state;
    indicator.textContent = indicator.dataset[state] || state;
  }
  indicator.dataset.live = document.documentElement.lang === "en" ? "Live" : "实时";
  indicator.dataset.offline = document.documentElement.lang === "en" ? "Reconnecting…" : "正在重连…";

  var socket = io("/live", { transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    socket.emit("subscribe", { campaign_id: campaignId }, function (ack) {
      setState(ack && ack.ok ? "live" : "offline");
    });
  });
  socket.on("disconnect", function () { setState("offline"); });
  // The server cut the connection: its link or login no longer holds (revoked, signed out, taken off the team).
  // Reloading shows why: the login page, or "no such screen". A restart or a lost network reconnects by itself.
  socket.on("disconnect", function (reason) {
    if (reason === "io server disconnect") { setTimeout(function () { window.location.reload(); }, 500); }
  });
  socket.on("pairing", function (pairing) {
    var cell = board.querySelector('[data-pair="' + pairing.streamer_id + "-" + pairing.product_id + '"]');
    if (!cell) { return; }
    var summary = cell.querySelector("summary");
    if (pairing.removed || !summary) { window.location.reload(); return; }
    cell.dataset.status = pairing.status;
    summary.className = "pair pair-" + pairing.status;
    summary.textContent = labels[pairing.status] || pairing.status;
    cell.classList.add("changed");
    var streamer = cell.parentElement.querySelector("th").firstChild.textContent.trim();
    var product = board.querySelectorAll("thead th")[cell.cellIndex].querySelector("span").textContent;
    notice.textContent = streamer + " · " + product + " → " + (labels[pairing.status] || pairing.status) +
      (pairing.decline_reason ? " (" + pairing.decline_reason + ")" : "");
  });
  // A sample moved: the late-samples banner is read again from the server (which counts what this reader sees).
  var lateTimer = null;
  socket.on("sample", function () {
    clearTimeout(lateTimer);
    lateTimer = setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("late-samples");
          var banner = document.getElementById("late-samples");
          if (fresh && banner) { banner.replaceWith(fresh); }
        })
        .catch(function () {});
    }, 300);
  });
  socket.on("pairings_rerun", function (news) {
    // The page that ran the engine has already loaded the new plan; others reload to see it.
    if (board.querySelectorAll("td.cell[data-status]:not([data-status=''])").length !== news.count) {
      window.location.reload();
    }
  });
})();
