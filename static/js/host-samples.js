// The host's samples follow "sample" events pushed to their streamer room over /live (the connection portal.js
// opened): a sample's state, tracking and buttons change in place wherever the page shows it, a pairing on the
// start page takes the sample just asked for, and a session's late warning goes once the sample is in hand.
(function () {
  "use strict";
  var config = document.getElementById("host-samples");
  var socket = window.lccLive;
  if (!config || !socket) { return; }
  var labels = JSON.parse(config.dataset.labels);
  var carriers = JSON.parse(config.dataset.carriers);
  var ON_THE_WAY = ["requested", "approved", "shipped"];
  var listPage = config.hasAttribute("data-refresh-unknown");

  function onTheWay(status) { return ON_THE_WAY.indexOf(status) >= 0; }

  function paint(box, sample) {
    box.dataset.sampleId = sample.id;
    box.dataset.status = sample.status;
    box.querySelectorAll("[data-show]").forEach(function (el) {
      el.hidden = el.dataset.show.split(" ").indexOf(sample.status) < 0;
    });
    var state = box.querySelector('[data-role="state"]');
    if (state) {
      state.className = "sample-state s-" + sample.status;
      state.textContent = labels[sample.status] || sample.status;
    }
    var tracking = box.querySelector('[data-role="tracking"]');
    if (tracking) {
      tracking.hidden = !sample.tracking_number;
      tracking.querySelector('[data-role="carrier"]').textContent = carriers[sample.carrier] || sample.carrier || "";
      var link = tracking.querySelector('[data-role="number"]');
      link.textContent = sample.tracking_number || "";
      link.href = sample.tracking_url || "#";
    }
    var details = box.querySelector('[data-role="details"]');
    if (details) { details.hash = "sample-" + sample.id; }
    box.classList.add("changed");
  }

  // A pairing shows the sample on its way, else its latest: an older, finished one never replaces it.
  function takes(box, sample) {
    if (box.dataset.sampleId === String(sample.id) || !box.dataset.sampleId) { return true; }
    return !(onTheWay(box.dataset.status) && !onTheWay(sample.status));
  }

  // Not on its way any more (received, or called off): it is late for no session.
  function noLongerLate(sample) {
    if (onTheWay(sample.status)) { return; }
    var selector = '.session-item[data-campaign="' + sample.campaign_id + '"] [data-late-product="' +
      sample.product_id + '"]';
    document.querySelectorAll(selector).forEach(function (item) {
      var box = item.closest(".late-samples");
      item.remove();
      if (box && !box.querySelector("[data-late-product]")) { box.remove(); }
    });
  }

  // The list page asks the server again for what it cannot draw itself: a sample it has not seen, and which
  // products may be asked for now. A section the host is typing in is left alone.
  function refresh(ids) {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ids.forEach(function (id) {
          var now = document.getElementById(id), next = fresh.getElementById(id);
          if (now && next && !now.contains(document.activeElement)) { now.replaceWith(next); }
        });
      })
      .catch(function () { /* the next event, or a reload, shows it */ });
  }

  socket.on("sample", function (sample) {
    var boxes = document.querySelectorAll('[data-sample-id="' + sample.id + '"]');
    boxes.forEach(function (box) { paint(box, sample); });
    if (sample.pairing_id) {
      document.querySelectorAll('[data-pairing-sample="' + sample.pairing_id + '"]').forEach(function (box) {
        if (takes(box, sample)) { paint(box, sample); }
      });
    }
    noLongerLate(sample);
    if (listPage) { refresh(boxes.length ? ["ask-sample"] : ["sample-list", "ask-sample"]); }
  });

  // Events sent while the connection was down are not sent again: the list page catches up on reconnect.
  var connected = socket.connected;
  socket.on("connect", function () {
    if (connected && listPage) { refresh(["sample-list", "ask-sample"]); }
    connected = true;
  });
})();
