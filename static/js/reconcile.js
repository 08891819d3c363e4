// The upload form: choosing another ingest key fills the column mapping with the one that key remembers
// (each key's <option data-mapping>); a column the file lacks (in the select state) is left as it is.
(function () {
  "use strict";
  var keySelect = document.querySelector("select[data-mapping-key]");
  if (!keySelect) { return; }
  keySelect.addEventListener("change", function () {
    var option = keySelect.options[keySelect.selectedIndex];
    var mapping = {};
    try { mapping = JSON.parse(option.dataset.mapping || "{}"); } catch (e) { mapping = {}; }
    document.querySelectorAll("[data-mapping-field]").forEach(function (input) {
      var value = mapping[input.dataset.mappingField] || "";
      if (input.tagName === "SELECT") {
        var known = Array.prototype.some.call(input.options, function (o) { return o.value === value; });
        if (known) { input.value = value; }
      } else {
        input.value = value;
      }
    });
  });
})();
