// Forms sent back with errors ({% error_summary %}, {% invalid %}: motcua.core.forms.FormErrors): the first
// invalid field is focused; the error summary links to each (a file: the Content-Security-Policy allows no
// inline script).
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector("[aria-invalid='true']");
  if (first) { first.focus(); }
});
