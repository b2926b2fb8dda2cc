// Fast entry of opinions: a clerk types 40 opinions after an evening meeting without the mouse.
// Tab moves through a row's fields; Enter adds the next row and puts the cursor in it;
// Shift+Enter is a new line inside a text area; Ctrl+Enter saves everything.
(() => {
  const form = document.querySelector("form[data-fast-entry]");
  if (!form) return;
  const rows = form.querySelector("[data-rows]");
  const template = form.querySelector("template[data-row-template]");
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  const firstNumber = Number(form.dataset.firstNumber || 1);

  function renumber() {
    rows.querySelectorAll("[data-row]").forEach((row, index) => {
      row.querySelectorAll("[data-row-number]").forEach((label) => {
        label.textContent = String(firstNumber + index);
      });
    });
  }

  function addRow() {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    renumber();
    const row = rows.lastElementChild;
    if (window.htmx) window.htmx.process(row); // its duplicate check while typing
    const first = row.querySelector("input[name$='-petitioner_name']");
    first.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function removeRow(row) {
    // Django numbers formset fields from 0 without gaps: renumber the names after removal.
    row.remove();
    rows.querySelectorAll("[data-row]").forEach((each, index) => {
      each.querySelectorAll("[name], [id], label[for]").forEach((element) => {
        for (const attribute of ["name", "id", "for"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(/rows-\d+-/, `rows-${index}-`));
        }
      });
    });
    total.value = String(rows.querySelectorAll("[data-row]").length);
    renumber();
  }

  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const target = event.target;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (target.tagName === "BUTTON" || target.tagName === "A") return;
    if (target.tagName === "TEXTAREA" && event.shiftKey) return;
    event.preventDefault();
    addRow();
  });

  form.addEventListener("click", (event) => {
    if (event.target.closest("[data-add-row]")) {
      addRow();
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove && rows.querySelectorAll("[data-row]").length > 1) {
      removeRow(remove.closest("[data-row]"));
    }
  });

  renumber();
  const firstField = rows.querySelector("input[name$='-petitioner_name']");
  if (firstField && !rows.querySelector(".is-invalid")) firstField.focus();
  const firstError = rows.querySelector(".is-invalid");
  if (firstError) firstError.focus();
})();
