// With scripts on, a destructive action asks in a dialog instead of the tick box; without them the
// required tick box does the asking, and the server refuses the action unticked either way.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  var box = form.querySelector("input[name=confirm]");
  if (!box) return;
  box.required = false;
  box.closest("label").hidden = true;
  form.addEventListener("submit", function (event) {
    if (window.confirm(form.dataset.confirm)) {
      box.checked = true;
    } else {
      event.preventDefault();
    }
  });
});
