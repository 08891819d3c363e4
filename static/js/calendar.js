// Session calendar: drag a scheduled session to another day of the same streamer's row.
(function () {
  "use strict";
  var table = document.getElementById("calendar");
  var notice = document.getElementById("calendar-notice");
  if (!table) { return; }
  var dragged = null;

  function say(text) { notice.textContent = text; }

  table.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".cal-session[data-move]");
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.session);
  });

  function cellFor(event) {
    var cell = event.target.closest && event.target.closest(".cal-cell");
    return cell && dragged && cell.dataset.streamer === dragged.dataset.streamer ? cell : null;
  }

  table.addEventListener("dragover", function (event) {
    var cell = cellFor(event);
    if (cell) { event.preventDefault(); cell.classList.add("drop-target"); }
  });

  table.addEventListener("dragleave", function (event) {
    var cell = event.target.closest && event.target.closest(".cal-cell");
    if (cell) { cell.classList.remove("drop-target"); }
  });

  table.addEventListener("drop", function (event) {
    var cell = cellFor(event);
    if (!cell) { return; }
    event.preventDefault();
    cell.classList.remove("drop-target");
    var body = new URLSearchParams({ csrf_token: table.dataset.csrf, day: cell.dataset.day });
    var card = dragged;
    dragged = null;
    fetch(card.dataset.move, { method: "POST", body: body, credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.ok) { window.location.reload(); } else { say(answer.error); }
      })
      .catch(function () { say(table.dataset.offline || "Network error"); });
  });
})();
