// The streamer's pages: session countdowns, and reminders pushed to room streamer:<id> over /live shown as a
// banner with the session brief one tap away and, where the host allows it, as a browser notification.
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function countdown(el, now) {
    var starts = Date.parse(el.dataset.starts), ends = Date.parse(el.dataset.ends);
    var minutes = Math.ceil((starts - now) / 60000);
    if (now >= starts && now < ends) { el.textContent = el.dataset.live; el.classList.add("is-live"); return; }
    if (minutes <= 0) { el.textContent = ""; return; }
    var text = minutes < 60 ? el.dataset.minutes : minutes < 48 * 60 ? el.dataset.soon : el.dataset.days;
    el.textContent = text.replace("{d}", Math.floor(minutes / 1440)).replace("{h}", Math.floor(minutes / 60))
      .replace("{m}", minutes < 60 ? minutes : pad(minutes % 60));
    el.classList.toggle("soon", minutes <= 30);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-starts]").forEach(function (el) { countdown(el, now); });
  }
  tick();
  setInterval(tick, 20000);

  var box = document.getElementById("reminders");
  var offer = document.getElementById("notify-offer");
  var canNotify = "Notification" in window;
  if (offer && canNotify && Notification.permission === "default") {
    offer.hidden = false;
    document.getElementById("enable-notifications").addEventListener("click", function () {
      Notification.requestPermission().then(function (answer) {
        if (answer === "granted") { offer.hidden = true; return; }
        document.getElementById("notify-denied").hidden = answer !== "denied";
      });
    });
  }
  if (!box || typeof io === "undefined") { return; }

  function briefUrl(sessionId) { return box.dataset.briefUrl.replace("/0/", "/" + sessionId + "/"); }

  function show(reminder) {
    var when = new Date(reminder.starts_at).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
    var text = box.dataset.template.replace("{title}", reminder.title || when).replace("{n}", String(reminder.minutes_left));
    var item = document.createElement("div");
    item.className = "flash flash-info reminder";
    item.setAttribute("role", "alert");
    item.dataset.session = reminder.session_id;
    var words = document.createElement("p");
    words.textContent = text;
    var link = document.createElement("a");
    link.className = "button small";
    link.href = briefUrl(reminder.session_id);
    link.textContent = box.dataset.open;
    item.append(words, link);
    box.prepend(item);
    if (canNotify && Notification.permission === "granted") {
      var note = new Notification(box.dataset.notifyTitle, { body: text, tag: "session-" + reminder.session_id });
      note.onclick = function () { window.focus(); window.location.href = link.href; };
    }
  }

  // One connection per page: the host's live page reuses it for its tally.
  var socket = window.lccLive = io("/live", { transports: ["websocket", "polling"] });
  socket.on("reminder", show);
  // The server cut the connection: its link or login no longer holds (revoked, signed out, taken off the team).
  // Reloading shows why: the login page, or "no such screen". A restart or a lost network reconnects by itself.
  socket.on("disconnect", function (reason) {
    if (reason === "io server disconnect") { setTimeout(function () { window.location.reload(); }, 500); }
  });
})();
