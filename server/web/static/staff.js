// The case form shows the party fields of the chosen kind. Without this
// script every field shows and the server uses those of the chosen kind.
(function () {
  var form = document.getElementById("case-form");
  if (!form) return;
  function sync() {
    var checked = form.querySelector('input[name="party.kind"]:checked');
    var kind = checked ? checked.value : "";
    form.querySelectorAll("[data-kind]").forEach(function (el) {
      el.hidden = kind !== "" && el.getAttribute("data-kind") !== kind;
    });
  }
  form.querySelectorAll('input[name="party.kind"]').forEach(function (r) {
    r.addEventListener("change", sync);
  });
  sync();
})();
