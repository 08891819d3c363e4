// Copy buttons: <button data-copy="input-id"> copies that input's value and marks its row as copied.
(function () {
  "use strict";
  function markCopied(button) {
    var row = button.closest(".copy-row");
    if (row) { row.classList.add("copied"); }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.copy);
      if (!input) { return; }
      input.select();
      // The Clipboard API needs a secure context; plain-HTTP county offices fall back to execCommand.
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { markCopied(button); });
      } else if (document.execCommand("copy")) {
        markCopied(button);
      }
    });
  });
})();
