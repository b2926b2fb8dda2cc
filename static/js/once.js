// One-time tokens of create forms (core/once.py). Signed-in pages are never cached
// (no-store), so the browser's Back fetches the form anew, with a new token, and then puts
// back what the clerk had typed: saving again would look like a new form. The token field
// is a hidden text field left empty by the server and filled here: the browser puts back a
// text field's value when it differs from the one the page was sent with, so after Back the
// field holds the first rendering's token, and the server shows what that submission saved.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[name=_once][data-once-token]").forEach((input) => {
    if (!input.value) input.value = input.dataset.onceToken;
  });
});
