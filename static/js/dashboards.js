// The supervision dashboard: the monthly chart (data from a json_script block, drawn with the
// vendored Chart.js) and the area chooser's type-ahead. No inline scripts anywhere (strict CSP).
(() => {
  const COLORS = { received: "#1d4f91", resolved: "#1e6b3a", held: "#c86400" };

  function drawCharts() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      const data = JSON.parse(source.textContent);
      // Names come translated from the server (dashboards/links.py chart_data).
      const datasets = data.series.map((series) => ({
        label: series.name,
        data: series.values,
        borderColor: COLORS[series.key],
        backgroundColor: COLORS[series.key],
        yAxisID: series.key === "held" ? "conferences" : "opinions",
        tension: 0,
      }));
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets },
        options: {
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          scales: {
            opinions: { type: "linear", position: "left", beginAtZero: true, ticks: { precision: 0 } },
            conferences: { type: "linear", position: "right", beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false } },
          },
        },
      });
    });
  }

  // Type-ahead: the text box searches the areas in the user's scope (accent-free, on the
  // server); choosing one puts its id in the hidden field that the form submits.
  function areaChooser(root) {
    const input = root.querySelector("input[type=search]");
    const hidden = root.querySelector("[data-area-id]");
    const list = root.querySelector("[role=listbox]");
    let timer = 0;
    let active = -1;
    let controller = null;

    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    };
    const options = () => Array.from(list.querySelectorAll("[role=option]"));
    const choose = (option) => {
      hidden.value = option.dataset.id;
      input.value = option.dataset.name;
      close();
    };
    const highlight = (index) => {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", all[active].id);
    };

    async function search() {
      const query = input.value.trim();
      if (!query) {
        hidden.value = "";
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      const url = `${input.dataset.searchUrl}?q=${encodeURIComponent(query)}`;
      let payload;
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
        payload = await response.json();
      } catch (error) {
        return;
      }
      list.replaceChildren(
        ...payload.results.map((area) => {
          const item = document.createElement("li");
          item.className = "list-group-item list-group-item-action";
          item.id = `area-option-${area.id}`;
          item.setAttribute("role", "option");
          item.dataset.id = area.id;
          item.dataset.name = area.name;
          item.textContent = area.parent ? `${area.name} — ${area.parent}` : area.name;
          return item;
        }),
      );
      if (!payload.results.length) {
        const empty = document.createElement("li");
        empty.className = "list-group-item text-muted";
        empty.textContent = list.dataset.emptyText;
        list.replaceChildren(empty);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    list.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) {
        event.preventDefault();
        choose(option);
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawCharts();
    document.querySelectorAll("[data-area-chooser]").forEach(areaChooser);
  });
})();
