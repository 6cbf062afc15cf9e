// The Plotly config both charts share. plotly.js 4 shows a "Share chart" button by default
// that uploads the chart to Plotly Cloud: off, as is the logo; the app has its own links.

/**
 * Plotly's config for a chart whose PNG download is named `filename`. On a narrow screen
 * the toolbar would cover the legend and the top of the plot: it is left out there (the
 * page has its own export buttons).
 */
export function plotlyConfig(filename, { narrow = false } = {}) {
  return {
    responsive: true,
    displayModeBar: narrow ? false : "hover",
    displaylogo: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    toImageButtonOptions: { filename, scale: 2 },
  };
}
