// plotly.js (a classic script of ~5 MB) is loaded only once the first schedule requests
// are on their way: the browser then parses it while the server computes.

/** Resolves once window.Plotly exists. */
export function loadPlotly() {
  return new Promise((resolve, reject) => {
    if (window.Plotly) {
      resolve();
      return;
    }
    const script = document.createElement("script");
    script.src = "vendor/plotly.min.js";
    script.addEventListener("load", () => {
      performance.mark("lrscope:plotly-ready");
      resolve();
    }, { once: true });
    script.addEventListener("error", () => reject(new Error("vendor/plotly.min.js did not load")), { once: true });
    document.head.append(script);
  });
}
