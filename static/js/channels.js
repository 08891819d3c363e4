// The new-channel form shows only the fields its chosen kind uses (without JavaScript it shows them all).
(function () {
  "use strict";
  var kind = document.querySelector("#new-channel select[name=kind]");
  if (!kind) { return; }
  function show() {
    document.querySelectorAll("#new-channel [data-kinds]").forEach(function (part) {
      part.hidden = part.dataset.kinds.split(" ").indexOf(kind.value) < 0;
    });
  }
  kind.addEventListener("change", show);
  show();
})();
