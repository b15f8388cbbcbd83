// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy allows no inline script.
// <select data-autosubmit>: choosing an option sends its form (the language switch).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.submit();
  });
});
// <button data-confirm="question">: the button's form is sent only if the user agrees.
document.querySelectorAll("button[data-confirm]").forEach(function (button) {
  button.addEventListener("click", function (event) {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
