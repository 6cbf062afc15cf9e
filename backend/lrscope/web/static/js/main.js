// Start-up: load the catalog, wire the page and the Train panel, open the link (or the
// default view); the chart draws once plotly.js (started by index.html) has run.

import { loadPlotly } from "./chart/plotly-loader.js";
import { makeCatalog } from "./core/catalog.js";
import { t } from "./i18n/i18n.js";
import { errorText } from "./i18n/server.js";
import { fetchCatalog } from "./net/api.js";
import { initTrainPanel } from "./train/panel.js";
import { showNotice } from "./ui/notice.js";
import { openState, wirePage } from "./wiring/page.js";

function fail(error) {
  const text = t("app.loadFailed", { message: errorText(error) });
  showNotice(text);
  document.getElementById("chart-status").textContent = text;
}

async function boot() {
  let catalog;
  try {
    catalog = makeCatalog(await fetchCatalog());
    performance.mark("lrscope:catalog-ready");
  } catch (error) {
    fail(error);
    return;
  }
  let plotlyLoaded;
  const plotly = new Promise((resolve) => {
    plotlyLoaded = resolve;
  });
  const { heldBack } = wirePage(catalog, plotly);
  initTrainPanel({ catalog, plotly, heldBack });
  openState(catalog, location.hash);
  loadPlotly().then(plotlyLoaded, fail);
}

boot();
