// The case list's filters always show the filters of the list shown: when
// the back or forward button brings a page back (from the back-forward
// cache or with the browser's restored form state), the form is reset to
// what the server rendered for that URL, not to what was typed before
// leaving it.
(function () {
  var form = document.getElementById("case-filters");
  if (!form) return;
  window.addEventListener("pageshow", function () { form.reset(); });
})();
