// Batch print: the 全选 box selects every document of the list (or none),
// follows the single boxes (checked when all are, mixed when some are) and
// the count of chosen documents shows beside the button. Without this
// script the single boxes work as they are and 全选 stays hidden.
(function () {
  var form = document.getElementById("print-form");
  var all = document.getElementById("select-all");
  if (!form || !all) return;
  var picks = form.querySelectorAll("input.pick");
  var count = document.getElementById("picked");
  function sync() {
    var n = 0;
    picks.forEach(function (p) { if (p.checked) n++; });
    all.checked = n > 0 && n === picks.length;
    all.indeterminate = n > 0 && n < picks.length;
    if (count) count.textContent = n ? "已选 " + n + " 份" : "";
  }
  all.hidden = false;
  all.addEventListener("change", function () {
    picks.forEach(function (p) { p.checked = all.checked; });
    sync();
  });
  picks.forEach(function (p) { p.addEventListener("change", sync); });
  sync();
})();
