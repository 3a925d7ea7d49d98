// The back office's small helpers (a file: the Content-Security-Policy allows no inline script).
// Dangerous acts ask once more before they are sent; the required "Xác nhận" checkbox already asks
// without JavaScript.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// The first invalid field of a form sent back with errors is focused by motcua/form-errors.js.
// "Tiếp nhận và in giấy hẹn": the slip's link is focused, one Enter opens it to print.
document.addEventListener("DOMContentLoaded", function () {
  var link = document.querySelector("[data-autofocus]");
  if (link && !document.querySelector("[aria-invalid='true']")) { link.focus(); }
});
