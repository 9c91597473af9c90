// A form sent back with errors: focus its error summary, so a screen reader reads what to
// correct and the keyboard starts from there (its links lead to each field).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
