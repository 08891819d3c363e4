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
  var everSubscribed = false;
  var reconnectedTimer = null;

  // The indicator says what the figures are: "connecting" (first load), "live", "reconnecting" (the socket dropped),
  // "offline" (the phone lost its network: the figures are frozen until it is back). After a reconnection it says
  // "Reconnected" for a while, once the fresh snapshot is on the page, then "Live" again.
  function setState(state, text) {
    clearTimeout(reconnectedTimer);
    indicator.dataset.state = state;
    indicator.textContent = text || indicator.dataset[state];
  }
  function lost() { setState(navigator.onLine === false ? "offline" : "reconnecting"); }

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
  // Every (re)connection subscribes again: the answer is a full snapshot, which covers the sales made while the page
  // was away (seq only grows, so a push that overtook the answer is newer and stays).
  function subscribe() {
    socket.emit("subscribe", { session_id: sessionId }, function (ack) {
      if (!(ack && ack.ok)) { setState("offline", indicator.dataset.refused); return; }
      render(ack.snapshot);
      showStatus(ack.status);
      if (everSubscribed) {
        setState("live", indicator.dataset.reconnected);
        reconnectedTimer = setTimeout(function () { indicator.textContent = indicator.dataset.live; }, 10000);
      } else {
        setState("live");
      }
      everSubscribed = true;
    });
  }
  socket.on("connect", subscribe);
  if (socket.connected) { subscribe(); }  // portal.js's connection may be up already
  socket.on("disconnect", lost);
  socket.on("connect_error", lost);
  // The phone knows at once when its network goes; the socket's heartbeat would take up to 20 s to notice (config.py). Drop the
  // dead connection now (the client keeps retrying), and retry at once when the network is back.
  window.addEventListener("offline", function () {
    setState("offline");
    if (socket.io.engine) { socket.io.engine.close(); }
  });
  window.addEventListener("online", function () {
    if (socket.connected) { return; }
    setState("reconnecting");
    socket.disconnect();
    socket.connect();
  });
  socket.on("tally", render);
  // The session goes live (or ends) while the page is open: the badge follows without a reload.
  socket.on("session_status", function (event) { if (event.session_id === sessionId) { showStatus(event.status); } });
})();
