// Confirmation before an irreversible action (issue 19, trap 3): a form marked
// data-confirm="what happens" is sent only after the site's <dialog> (includes/confirm_dialog.html)
// is answered "Đồng ý". The native modal dialog keeps focus inside, closes on Escape and
// starts on "Thôi", so a stray Enter does not confirm. No inline script (strict CSP).
// data-confirm-button names the confirming button after the action ("Ban hành", "Bỏ việc").
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
  if (form.dataset.confirmed === "yes") {
    delete form.dataset.confirmed; // a next submission (after Back) asks again
    return;
  }
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return; // no dialog: the server still checks
  event.preventDefault();
  const submitter = event.submitter;
  dialog.querySelector("[data-confirm-message]").textContent = form.dataset.confirm;
  const button = dialog.querySelector("[data-confirm-button]");
  button.textContent = form.dataset.confirmButton || button.dataset.defaultLabel || button.textContent;
  dialog.returnValue = "";
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue !== "confirm") return;
      form.dataset.confirmed = "yes";
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    },
    { once: true },
  );
  dialog.showModal();
});

document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("#confirm-dialog [data-confirm-button]");
  if (button) button.dataset.defaultLabel = button.textContent;
});
