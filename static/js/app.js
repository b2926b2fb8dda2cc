// Small behaviours shared by every page. No inline scripts anywhere (strict CSP).
document.addEventListener("click", (event) => {
  const printButton = event.target.closest("[data-print]");
  if (printButton) {
    window.print();
  }
});

// Show the fields an outcome needs and hide the others (petition detail page).
document.addEventListener("change", (event) => {
  if (event.target.name === "outcome") {
    syncOutcomeFields(event.target.form);
  }
});

function syncOutcomeFields(form) {
  if (!form) return;
  const chosen = form.querySelector("input[name=outcome]:checked");
  form.querySelectorAll("[data-outcome-field]").forEach((block) => {
    const wanted = block.dataset.outcomeField.split(" ");
    block.hidden = !chosen || !wanted.includes(chosen.value);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-outcome-form]").forEach(syncOutcomeFields);
  document.querySelectorAll("select[name=meeting_type]").forEach(syncVoterMeetingFields);
});

// A voter meeting's own fields (deputies, session, receiving body) only for a voter meeting
// (conference form). Without JavaScript they stay visible, with their legend saying so.
document.addEventListener("change", (event) => {
  if (event.target.name === "meeting_type") {
    syncVoterMeetingFields(event.target);
  }
});

function syncVoterMeetingFields(select) {
  const block = select.form && select.form.querySelector("[data-voter-meeting]");
  if (block) block.hidden = select.value !== "voter_meeting";
}

// Type-ahead in drop-downs without accents: "dat" picks "Đất đai – GPMB", "an" picks
// "An ninh trật tự". The browser's own type-ahead needs the exact first letter (Đ), which a
// Vietnamese input method cannot type into a drop-down.
const foldText = (text) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
const typeahead = new WeakMap();

document.addEventListener("keydown", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-fold-typeahead")) return;
  if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
  event.preventDefault();
  const state = typeahead.get(select) || { buffer: "", timer: 0 };
  clearTimeout(state.timer);
  state.buffer += foldText(event.key);
  state.timer = setTimeout(() => {
    state.buffer = "";
  }, 1200);
  typeahead.set(select, state);
  const match = Array.from(select.options).find((option) => option.value && foldText(option.text).startsWith(state.buffer));
  if (match && select.value !== match.value) {
    select.value = match.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
});
