// Session calendar: move a scheduled session to another day of the same streamer's row, by dragging it or with
// the keyboard (its Move button, then the arrow keys and Enter;
// Escape or Space cancels). Without the script, Edit moves it.
(function () {
  "use strict";
  var table = document.getElementById("calendar");
  var notice = document.getElementById("calendar-notice");
  if (!table) { return; }
  var text = table.dataset;
  var dragged = null;

  function say(words) { notice.textContent = words; }

  function move(card, cell) {
    var body = new URLSearchParams({ csrf_token: text.csrf, day: cell.dataset.day });
    fetch(card.dataset.move, { method: "POST", body: body, credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (!answer.ok) { say(answer.error); return; }
        // Back on the moved session after the reload, so a keyboard user carries on where they were.
        window.location.hash = "session-" + card.dataset.session;
        window.location.reload();
      })
      .catch(function () { say(text.offline || "Network error"); });
  }

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
    var card = dragged;
    dragged = null;
    move(card, cell);
  });

  // The keyboard's way: one session picked up at a time, its landing cell walked along the row.
  var moving = null;
  function dayName(cell) { return table.tHead.rows[0].cells[cell.cellIndex].textContent.replace(/\s+/g, " ").trim(); }
  function land(cell) {
    if (moving.target) { moving.target.classList.remove("drop-target"); }
    moving.target = cell;
    cell.classList.add("drop-target");
    say(cell === moving.home ? text.moving : text.target.replace("{day}", dayName(cell)));
  }
  function stop(words) {
    if (!moving) { return; }
    moving.target.classList.remove("drop-target");
    moving.card.classList.remove("moving");
    moving.button.setAttribute("aria-pressed", "false");
    moving = null;
    if (words) { say(words); }
  }
  var cards = table.querySelectorAll(".cal-session[data-move]");
  for (var i = 0; i < cards.length; i++) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link cal-move";
    button.textContent = text.moveLabel;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-describedby", cards[i].id);
    cards[i].appendChild(button);
  }
  table.addEventListener("click", function (event) {
    var button = event.target.closest(".cal-move");
    if (!button) { return; }
    if (moving) { stop(text.cancelled); return; }
    var card = button.closest(".cal-session");
    moving = { card: card, button: button, home: card.closest(".cal-cell"), target: null };
    card.classList.add("moving");
    button.setAttribute("aria-pressed", "true");
    land(moving.home);
  });
  table.addEventListener("keydown", function (event) {
    if (!moving || event.target !== moving.button) { return; }
    var row = moving.home.parentElement.cells, col = moving.target.cellIndex;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      var next = row[col + (event.key === "ArrowRight" ? 1 : -1)];
      if (next && next.classList.contains("cal-cell")) { land(next); }
    } else if (event.key === "Enter") {  // Space, like a click, puts the session back
      event.preventDefault();
      var card = moving.card, target = moving.target;
      if (target === moving.home) { stop(text.cancelled); return; }
      stop(text.saving);
      move(card, target);
    } else if (event.key === "Escape") {
      event.preventDefault();
      stop(text.cancelled);
    }
  });
  table.addEventListener("focusout", function (event) {
    if (moving && event.target === moving.button) { stop(text.cancelled); }  // tabbing away lets go, never traps
  });
  var back = /^#session-\d+$/.test(window.location.hash) && document.querySelector(window.location.hash + " .cal-move");
  if (back) { back.focus(); }
})();
