// A list of ticks with a filter box (fieldset[data-pick-filter]): typing "uy ban mttq" keeps
// "Ủy ban MTTQ phường…" (accents and case ignored, every word must appear); ticked boxes
// stay visible so what is chosen is never hidden. Tab and Space pick, as with any checkbox.
(() => {
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches("[data-pick-filter-input]")) return;
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    input.closest("[data-pick-filter]").querySelectorAll("[data-pick]").forEach((row) => {
      const text = fold(row.textContent);
      const ticked = row.querySelector("input").checked;
      row.hidden = !ticked && !words.every((word) => text.includes(word));
    });
  });

  // Enter in the filter box must not send the assignment form half filled.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("[data-pick-filter-input]")) event.preventDefault();
  });
})();
