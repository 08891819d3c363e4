// The samples board follows sample changes live: a row that moved is fetched again and swapped in, a new sample
// brings the board's list again; county counts, the late banner and the "approve selected" count follow.
(function () {
  "use strict";
  var groups = document.getElementById("sample-groups");
  var indicator = document.getElementById("live-indicator");
  var notice = document.getElementById("live-notice");
  var bulk = document.getElementById("bulk-approve");
  if (!groups) { return; }
  var campaignId = Number(groups.dataset.campaign);
  var labels = JSON.parse(groups.dataset.labels);
  var words = groups.dataset;  // the page's language: data-late-label, data-new-sample, data-new-waiting, data-live…

  function selectedCount() {
    if (!bulk) { return; }
    var boxes = groups.querySelectorAll('input[name="sample_ids"]');
    var ticked = groups.querySelectorAll('input[name="sample_ids"]:checked').length;
    var count = bulk.querySelector(".selected-count");
    count.textContent = ticked ? String(ticked) : "";
    bulk.querySelector("button").disabled = ticked === 0;
    bulk.hidden = boxes.length === 0;
  }
  groups.addEventListener("change", function (event) {
    if (event.target.name === "sample_ids") { selectedCount(); }
  });
  selectedCount();

  function badge(className, text) {
    var span = document.createElement("span");
    span.className = "badge " + className;
    span.textContent = text;
    return span;
  }

  // The heading of each county and the late banner, counted again from the rows the page holds.
  function recount() {
    groups.querySelectorAll(".sample-county").forEach(function (section) {
      var rows = section.querySelectorAll("tr.sample-row");
      var counts = {}, late = 0;
      rows.forEach(function (row) {
        counts[row.dataset.status] = (counts[row.dataset.status] || 0) + 1;
        if (row.dataset.late === "1") { late += 1; }
      });
      var box = section.querySelector(".county-counts");
      box.textContent = "";
      Object.keys(labels).forEach(function (status) {
        if (counts[status]) { box.append(badge("sample-state badge-" + status, labels[status] + " " + counts[status]), " "); }
      });
      if (late) { box.append(badge("badge-late", words.lateLabel + " " + late)); }
    });
    if (groups.dataset.filtered === "1") { return; }  // a filtered board does not hold every late sample
    var banner = document.getElementById("late-banner");
    var total = groups.querySelectorAll('tr.sample-row[data-late="1"]').length;
    banner.hidden = total === 0;
    // The catalog's plural forms, rendered for 1 and for 999999 (which stands for the count).
    document.getElementById("late-total").textContent =
      total === 1 ? words.lateOne : words.lateMany.replace("999999", String(total));
  }

  function busy(scope) {
    // Someone typing a tracking number or a reason keeps their form: the board updates after they are done.
    return scope.querySelector("details[open]") || (document.activeElement && scope.contains(document.activeElement) &&
      /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName));
  }

  function fragment(html, selector) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return selector ? holder.content.querySelector(selector) : holder.content.firstElementChild;
  }

  function say(text) {
    notice.textContent = text;
    setTimeout(function () { if (notice.textContent === text) { notice.textContent = ""; } }, 6000);
  }

  function swapRow(row) {
    if (busy(row)) { row.dataset.stale = "1"; return; }
    fetch(row.dataset.rowUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var fresh = fragment(html);
        var ticked = row.querySelector('input[name="sample_ids"]:checked');
        row.replaceWith(fresh);
        if (ticked && fresh.querySelector('input[name="sample_ids"]')) { fresh.querySelector('input[name="sample_ids"]').checked = true; }
        fresh.classList.add("changed");
        recount();
        selectedCount();
        var product = fresh.querySelector("td.title strong").textContent;
        say(product + " → " + (labels[fresh.dataset.status] || fresh.dataset.status));
      })
      .catch(function () { /* the next change or a reload shows it */ });
  }

  function reloadList() {
    if (busy(groups)) { say(words.newWaiting); return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("sample-groups");
        if (!fresh) { return; }
        groups.innerHTML = fresh.innerHTML;
        recount();
        selectedCount();
        say(words.newSample);
      })
      .catch(function () {});
  }

  function setState(state) {
    indicator.dataset.state = state;
    indicator.textContent = state === "live" ? words.live : words.offline;
  }
  if (typeof io === "undefined") { return; }
  // Subscribing to the campaign puts this page in its planners' room (the team) or its county partners' rooms.
  var socket = io("/live", { transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    socket.emit("subscribe", { campaign_id: campaignId }, function (ack) { setState(ack && ack.ok ? "live" : "offline"); });
  });
  socket.on("disconnect", function (reason) {
    setState("offline");
    // The server cut the connection: its login no longer holds. Reloading shows why; a lost network reconnects.
    if (reason === "io server disconnect") { setTimeout(function () { window.location.reload(); }, 500); }
  });
  socket.on("sample", function (sample) {
    if (sample.campaign_id !== campaignId) { return; }
    var row = document.getElementById("sample-" + sample.id);
    if (row) { swapRow(row); } else { reloadList(); }
  });
  // A row left alone while its form was open catches up once the form is closed.
  groups.addEventListener("toggle", function (event) {
    var row = event.target.closest && event.target.closest("tr.sample-row");
    if (row && row.dataset.stale === "1" && !busy(row)) { delete row.dataset.stale; swapRow(row); }
  }, true);
})();
