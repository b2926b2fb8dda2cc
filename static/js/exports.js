// The area chooser of the report pages: a text box with a <datalist> filled as the user
// types (accent-free search on the server, dashboards:area_search), and a hidden field that
// carries the chosen area's id. No inline script (strict CSP).
(() => {
  const DELAY_MS = 200;

  function setup(chooser) {
    const input = chooser.querySelector("input[list]");
    const list = chooser.querySelector("datalist");
    const hidden = chooser.querySelector("input[type=hidden]");
    const url = chooser.dataset.searchUrl;
    const ids = new Map(); // option text → area id
    let timer = 0;
    let asked = "";

    const label = (area) => (area.parent ? `${area.name} – ${area.parent}` : area.name);

    async function search(query) {
      asked = query;
      const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok || asked !== query) return;
      const { results } = await response.json();
      list.replaceChildren(
        ...results.map((area) => {
          const option = document.createElement("option");
          option.value = label(area);
          ids.set(option.value, String(area.id));
          return option;
        }),
      );
    }

    input.addEventListener("input", () => {
      const chosen = ids.get(input.value);
      if (chosen) {
        hidden.value = chosen;
        return;
      }
      hidden.value = "";
      clearTimeout(timer);
      const query = input.value.trim();
      if (query.length >= 2) timer = setTimeout(() => search(query), DELAY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-area-chooser]").forEach(setup);
  });
})();
