// The pairing board: arrow keys between cells, a cell's reasons in a dialog, pairing changes live.
// Without this script every cell is still a button of a plain form, so the board reads and acts the same.
(function () {
  "use strict";
  var board = document.getElementById("pairing-board");
  var indicator = document.getElementById("live-indicator");
  var notice = document.getElementById("live-notice");
  var dialog = document.getElementById("pair-dialog");
  if (!board) { return; }
  var labels = JSON.parse(board.dataset.labels);

  // Roving tabindex: the grid is one stop in the tab order, arrows move inside it.
  function cellButton(td) { return td && td.querySelector("button"); }
  function enter(button) {
    var current = board.querySelector("td button[tabindex='0']");
    if (current && current !== button) { current.tabIndex = -1; }
    button.tabIndex = 0;
  }
  var buttons = board.querySelectorAll("td button");
  for (var i = 0; i < buttons.length; i++) { buttons[i].tabIndex = -1; }
  var landing = null;
  var hash = decodeURIComponent(window.location.hash.replace(/^#at-/, ""));
  if (/^\d+(-\d+)?$/.test(hash)) { landing = board.querySelector("td button[value='" + hash + "']"); }
  if (buttons.length) { enter(landing || buttons[0]); }
  if (landing) { landing.focus(); }

  function step(td, dRow, dCol) {
    var rows = board.tBodies[0].rows;
    var row = td.parentElement.sectionRowIndex, col = td.cellIndex;
    for (;;) {
      if (dRow) { row += dRow; } else { col += dCol; }
      if (row < 0 || row >= rows.length || col < 1 || col >= rows[row].cells.length) { return null; }
      var button = cellButton(rows[row].cells[col]);
      if (button) { return button; }
    }
  }
  var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  board.addEventListener("keydown", function (event) {
    var td = event.target.closest("td");
    if (!td || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = null, cells = td.parentElement.cells;
    if (moves[event.key]) { target = step(td, moves[event.key][0], moves[event.key][1]); }
    else if (event.key === "Home") { target = step(cells[0], 0, 1); }
    else if (event.key === "End") { target = step(cells[cells.length - 1], 0, -1) || cellButton(cells[cells.length - 1]); }
    else { return; }
    event.preventDefault();
    if (target) { enter(target); target.focus(); }
  });
  board.addEventListener("focusin", function (event) {
    if (event.target.matches("td button")) { enter(event.target); }
  });

  // A cell's reasons and actions come as a small fragment, shown in a dialog; Escape closes it and focus goes back.
  var opener = null;
  function closeDialog() { if (dialog.open) { dialog.close(); } }
  if (dialog && dialog.showModal) {
    board.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=open]");
      if (!button) { return; }
      event.preventDefault();
      opener = button;
      var form = document.getElementById("board-open");
      var query = new URLSearchParams(new FormData(form));
      query.set("open", button.value);
      query.set("part", "detail");
      fetch(window.location.pathname + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) {
          dialog.innerHTML = html;
          dialog.setAttribute("aria-labelledby", "pairing-detail-title");
          dialog.showModal();
        })
        .catch(function () { form.requestSubmit(button); });  // the page itself shows the cell without the script
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target.closest("[data-close]")) { event.preventDefault(); closeDialog(); }
    });
    dialog.addEventListener("close", function () {
      dialog.innerHTML = "";
      if (opener && opener.isConnected) { opener.focus(); }
    });
  }

  function total(status, change) {
    var count = document.querySelector("#board-totals [data-total='" + status + "'] strong");
    if (count) { count.textContent = Math.max(0, Number(count.textContent) + change); }
  }

  // A pairing changed elsewhere: its cell, when in view, is drawn again from the template of its new state.
  function redraw(pairing) {
    var host = document.getElementById("h-" + pairing.streamer_id);
    var product = document.getElementById("p-" + pairing.product_id);
    if (!host || !product) { return null; }
    var td = host.closest("tr").cells[product.closest("th").cellIndex];
    var old = cellButton(td), had = old && old.name === "open";
    if (had) { total(old.className.replace(/.*pair-/, ""), -1); }
    board.dataset.total = Number(board.dataset.total) + (pairing.removed ? 0 : 1) - (had ? 1 : 0);
    var state = pairing.removed ? "empty" : pairing.status;
    var button = document.getElementById("cell-" + state).content.cloneNode(true).querySelector("button");
    var focused = old && old === document.activeElement;
    td.textContent = "";
    if (button) {
      var ids = "h-" + pairing.streamer_id + " p-" + pairing.product_id;
      button.value = pairing.removed ? pairing.streamer_id + "-" + pairing.product_id : pairing.id;
      button.setAttribute(pairing.removed ? "aria-labelledby" : "aria-describedby", pairing.removed ? "l-add " + ids : ids);
      button.tabIndex = old ? old.tabIndex : -1;
      td.appendChild(button);
      if (focused) { button.focus(); }
    }
    if (!pairing.removed) { total(pairing.status, 1); }
    td.classList.add("changed");
    return host.textContent + " · " + product.textContent;
  }

  if (typeof io === "undefined" || !indicator) { return; }
  var campaignId = Number(board.dataset.campaign);
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
    var where = redraw(pairing);
    if (!where) { return; }  // another page of the board
    notice.textContent = where + " → " + (pairing.removed ? "—" : labels[pairing.status] || pairing.status) +
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
    if (news.count !== Number(board.dataset.total)) { window.location.reload(); }
  });
})();
