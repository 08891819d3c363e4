// The host's page on air: the session's tally and each product's stock left, live over Socket.IO.
(function () {
  "use strict";
  var root = document.getElementById("host-live");
  if (!root || typeof io === "undefined") { return; }
  var sessionId = Number(root.dataset.session);
  var seq = Number(root.dataset.seq);
  var baseUnits = {};  // units this session had sold when the page loaded, per product
  JSON.parse(root.dataset.units).forEach(function (row) { baseUnits[row.product_id] = row.units; });
  var money = new Intl.NumberFormat("zh-CN", { style: "currency", currency: "CNY" });
  var indicator = document.getElementById("live-indicator");
  var lang = document.documentElement.lang === "en";

  function render(snapshot) {
    if (snapshot.scope !== "session" || snapshot.id !== sessionId || snapshot.seq < seq) { return; }
    seq = snapshot.seq;
    document.getElementById("net").textContent = money.format(snapshot.totals.net_fen / 100);
    document.getElementById("orders").textContent = snapshot.totals.orders;
    document.getElementById("units").textContent = snapshot.totals.units;
    var units = {};
    snapshot.by_product.forEach(function (row) { units[row.product_id] = row.units; });
    document.querySelectorAll(".lineup-item").forEach(function (item) {
      var id = Number(item.dataset.product);
      var left = Math.max(0, Number(item.dataset.left) - ((units[id] || 0) - (baseUnits[id] || 0)));
      item.querySelector(".left").textContent = left;
      item.classList.toggle("low", left <= Number(item.dataset.stock) * 0.1);
    });
  }

  function showStatus(status) {
    var badge = root.querySelector("h1 .badge");
    var labels = JSON.parse(root.dataset.statuses);
    if (!badge || !labels[status]) { return; }
    badge.className = "badge badge-" + status;
    badge.textContent = labels[status];
  }

  var socket = window.lccLive || io("/live", { transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    socket.emit("subscribe", { session_id: sessionId }, function (ack) {
      indicator.dataset.state = ack && ack.ok ? "live" : "offline";
      indicator.textContent = ack && ack.ok ? (lang ? "Live" : "实时") : (lang ? "Offline" : "离线");
      if (ack && ack.ok) { render(ack.snapshot); showStatus(ack.status); }
    });
  });
  socket.on("disconnect", function () { indicator.dataset.state = "offline"; indicator.textContent = lang ? "Reconnecting…" : "正在重连…"; });
  socket.on("tally", render);
  // The session goes live (or ends) while the page is open: the badge follows without a reload.
  socket.on("session_status", function (event) { if (event.session_id === sessionId) { showStatus(event.status); } });
})();
