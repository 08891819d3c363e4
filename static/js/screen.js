// The tally screen: live over Socket.IO, resyncs with a full snapshot on every (re)connect, rotates if asked.
(function () {
  "use strict";
  var root = document.getElementById("screen");
  var token = root.dataset.token;
  var campaignId = Number(root.dataset.campaign);
  var rotate = root.dataset.rotate === "true";
  var money = new Intl.NumberFormat("zh-CN", { style: "currency", currency: "CNY", maximumFractionDigits: 0 });
  var count = new Intl.NumberFormat("zh-CN");
  var scopes = [{ scope: "campaign", id: campaignId, title: document.getElementById("scope-title").textContent }];
  var current = 0;
  var held = {};  // newest seq shown per scope: older pushes are dropped
  var chart = null;
  var lastSeries = 0;
  var seriesFromPage = true;  // the chart starts from the series the page came with

  function $(id) { return document.getElementById(id); }
  function key(s) { return s.scope + ":" + s.id; }
  var everConnected = false;
  var reconnectedTimer = null;
  // The pill says what the screen is showing: "connecting" (first load), "live", "reconnecting" (the socket dropped),
  // "offline" (the browser lost its network: the figures are frozen until it is back). After a reconnection it says
  // "Reconnected" for a while, once the fresh snapshot is on screen, then "Live" again.
  function setConn(state, text) {
    var el = $("conn");
    clearTimeout(reconnectedTimer);
    el.dataset.state = state;
    el.textContent = text || root.dataset[state === "connecting" ? "waiting" : state];
    if (state !== "live") { root.dataset.synced = "false"; }
  }
  function lost() { setConn(navigator.onLine === false ? "offline" : everConnected ? "reconnecting" : "connecting"); }

  function fill(listId, rows, nameKey, valueOf) {
    var list = $(listId);
    list.textContent = "";
    rows.slice(0, 8).forEach(function (row) {
      var li = document.createElement("li");
      var name = document.createElement("span"); name.className = "name"; name.textContent = row[nameKey];
      var num = document.createElement("span"); num.className = "num"; num.textContent = valueOf(row);
      li.appendChild(name); li.appendChild(num); list.appendChild(li);
    });
  }

  function render(snapshot) {
    var scope = scopes[current];
    if (snapshot.scope !== scope.scope || snapshot.id !== scope.id) { return; }
    if (held[key(scope)] !== undefined && snapshot.seq < held[key(scope)]) { return; }
    held[key(scope)] = snapshot.seq;
    var t = snapshot.totals;
    $("net").textContent = money.format(t.net_fen / 100);
    $("orders").textContent = count.format(t.orders);
    $("units").textContent = count.format(t.units);
    $("refunded").textContent = money.format(t.refunded_fen / 100);
    fill("by_county", snapshot.by_county, "name", function (r) { return money.format(r.net_fen / 100); });
    fill("by_streamer", snapshot.by_streamer, "display_name", function (r) { return money.format(r.net_fen / 100); });
    fill("by_product", snapshot.by_product, "name", function (r) { return money.format(r.net_fen / 100); });
    $("updated").textContent = new Date(snapshot.at).toLocaleTimeString("zh-CN", { timeZone: root.dataset.zone, hour12: false });
    refreshSeries(false);
  }

  function refreshSeries(force) {
    if (!force && Date.now() - lastSeries < 5000) { return; }
    lastSeries = Date.now();
    var scope = scopes[current];
    fetch("/screen/" + token + "/series.json?scope=" + scope.scope + "&id=" + scope.id)
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) { drawChart(rows); })
      .catch(function () {});
  }

  function chartHeight(el) {
    return Math.max(120, el.clientHeight || window.innerHeight * 0.22);
  }

  function drawChart(rows) {
    var data = [rows.map(function (r) { return r.minute; }), rows.map(function (r) { return r.net_fen / 100; })];
    var el = $("chart");
    if (chart) { chart.setData(data); return; }
    var zone = root.dataset.zone;
    chart = new uPlot({ width: el.clientWidth || 800, height: chartHeight(el),
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), zone); },
      axes: [{ stroke: "#93a79b", grid: { stroke: "#25352e" }, values: function (u, splits) {
        // 24-hour clock in the coordinator's zone, like the rest of the screen (uPlot's default is "4:05pm").
        return splits.map(function (ts) {
          return new Date(ts * 1e3).toLocaleTimeString("zh-CN", { timeZone: zone, hour12: false, hour: "2-digit", minute: "2-digit" });
        });
      } }, { stroke: "#93a79b", grid: { stroke: "#25352e" }, size: 80 }],
      series: [{}, { stroke: "#ffb454", width: 3, fill: "rgba(255,180,84,0.15)" }] }, data, el);
  }

  function subscribe() {
    var scope = scopes[current];
    var payload = scope.scope === "campaign" ? { campaign_id: scope.id } : { session_id: scope.id };
    socket.emit("subscribe", payload, function (ack) {
      // The answer is a full snapshot: it replaces whatever pushes were missed while the screen was away (seq only
      // grows, so a push that overtook this answer is newer and stays).
      if (ack && ack.ok) { render(ack.snapshot); refreshSeries(!seriesFromPage); root.dataset.synced = "true"; }
      seriesFromPage = false;  // the page's own series is fresh for the first subscription; every later one fetches
    });
  }

  // The page came with the figures as they were when it was made: the chart and the clock start from them, and a
  // push older than them is dropped. The socket's snapshot replaces them as soon as it is subscribed.
  var opening = JSON.parse($("opening").textContent);
  lastSeries = Date.now();
  drawChart(opening.series);
  render(opening.snapshot);

  var socket = io("/live", { auth: { token: token }, transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    if (everConnected) {
      setConn("live", root.dataset.reconnected);
      reconnectedTimer = setTimeout(function () { $("conn").textContent = root.dataset.live; }, 10000);
    } else {
      setConn("live");
    }
    everConnected = true;
    subscribe();
  });
  socket.on("disconnect", lost);
  // The server cut the connection: its link or login no longer holds (revoked, signed out, taken off the team).
  // Reloading shows why: the login page, or "no such screen". A restart or a lost network reconnects by itself.
  socket.on("disconnect", function (reason) {
    if (reason === "io server disconnect") { setTimeout(function () { window.location.reload(); }, 500); }
  });
  socket.on("connect_error", lost);
  // The browser knows at once when its network goes; the socket's heartbeat would take up to 20 s to notice (config.py). Drop
  // the dead connection now (the client keeps retrying), and retry at once when the network is back, rather than
  // waiting out the retry delay.
  window.addEventListener("offline", function () {
    setConn("offline");
    if (socket.io.engine) { socket.io.engine.close(); }
  });
  window.addEventListener("online", function () {
    if (socket.connected) { return; }
    setConn("reconnecting");
    socket.disconnect();
    socket.connect();
  });
  socket.on("tally", render);
  // Closed: the totals on the wall are final.
  socket.on("campaign_status", function (event) {
    if (event.campaign_id === campaignId) { $("closed").hidden = event.status !== "closed"; }
  });
  // The box changes with the window and as the leaderboards below fill up.
  new ResizeObserver(function () {
    if (chart) { chart.setSize({ width: $("chart").clientWidth, height: chartHeight($("chart")) }); }
  }).observe($("chart"));
  setInterval(function () { refreshSeries(true); }, 60000);

  if (rotate) {
    setInterval(function () {
      fetch("/screen/" + token + "/scopes.json").then(function (r) { return r.json(); }).then(function (list) {
        scopes = list;
        current = (current + 1) % scopes.length;
        $("scope-title").textContent = scopes[current].title;
        if (socket.connected) { subscribe(); }
      }).catch(function () {});
    }, 15000);
  }
})();
