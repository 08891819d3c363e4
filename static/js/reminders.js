// A streamer's pages: show session reminders pushed to room streamer:<id> over /live.
(function () {
  "use strict";
  var box = document.getElementById("reminders");
  if (!box || typeof io === "undefined") { return; }
  var template = box.dataset.template || "{title}: {n} min";
  var socket = io("/live", { transports: ["websocket", "polling"] });
  socket.on("reminder", function (reminder) {
    var item = document.createElement("p");
    item.className = "flash flash-info reminder";
    item.setAttribute("role", "alert");
    item.textContent = template.replace("{title}", reminder.title || "")
      .replace("{n}", String(reminder.minutes_left));
    item.dataset.session = reminder.session_id;
    box.prepend(item);
  });
})();
