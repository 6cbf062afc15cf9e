// The Plotly config both charts share. plotly.js 4 shows a "Share chart" button by default
// that uploads the chart to Plotly Cloud: off, as is the logo; the app has its own links.

/** Plotly's config for a chart whose PNG download is named `filename`. */
export function plotlyConfig(filename) {
  return {
    responsive: true,
    displaylogo: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    toImageButtonOptions: { filename, scale: 2 },
  };
}
