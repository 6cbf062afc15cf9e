// plotly.js, started as soon as the page is parsed: index.html runs this module on its own
// (async, before main.js), so plotly.js downloads and runs while the browser is still
// fetching the page's other modules and the catalog, instead of after them. It is
// plotly.js's "cartesian" partial bundle (scatter, heatmap, bar, ...: the trace types the
// page draws; 1.5 MB, 0.5 MB gzipped) rather than the full 4.8 MB one; its URL names its
// version, so browsers keep it a year. index.html preloads the same URL.

export const PLOTLY_BUNDLE = "vendor/plotly-cartesian-4.1.1.min.js";

let loading = null;

/** Resolves once window.Plotly exists (the first call inserts the script). */
export function loadPlotly() {
  loading ??= new Promise((resolve, reject) => {
    if (window.Plotly) {
      resolve();
      return;
    }
    const script = document.createElement("script");
    script.src = PLOTLY_BUNDLE;
    script.addEventListener("load", () => {
      performance.mark("lrscope:plotly-ready");
      resolve();
    }, { once: true });
    script.addEventListener("error", () => reject(new Error(`${PLOTLY_BUNDLE} did not load`)), { once: true });
    document.head.append(script);
  });
  return loading;
}

loadPlotly().catch(() => {}); // main.js reports a failure through its own call
