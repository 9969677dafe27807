// The log form (templates/records_form.html), progressively enhanced: only the chosen kind's
// fieldset is shown (the others hidden and disabled), and the 村(居) list narrowed to the chosen
// township. Without this file the form shows every kind's fields and works the same.
(function () {
  "use strict";
  var kind = document.getElementById("kind");
  var township = document.getElementById("township");
  var village = document.getElementById("village");

  function showKind() {
    if (!kind) { return; }
    var sets = document.querySelectorAll("fieldset.kind-fields");
    for (var i = 0; i < sets.length; i++) {
      var chosen = sets[i].getAttribute("data-kind") === kind.value;
      sets[i].hidden = !chosen;
      sets[i].disabled = !chosen;
    }
  }

  function narrowVillages() {
    if (!township || !village) { return; }
    var groups = village.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var mine = groups[i].getAttribute("data-township") === township.value;
      groups[i].hidden = !mine;
      groups[i].disabled = !mine;
      if (!mine && village.selectedOptions.length && village.selectedOptions[0].parentNode === groups[i]) {
        village.value = "";
      }
    }
  }

  if (kind) { kind.addEventListener("change", showKind); showKind(); }
  if (township) { township.addEventListener("change", narrowVillages); narrowVillages(); }
}());
