// A chart redrawn as data streams in: redraws asked for closer than MIN_REDRAW_MS apart are
// merged into one, and draws run one after another (each waits for the one before).

export const MIN_REDRAW_MS = 150;

/**
 * `schedule()`: run `draw()` (async) soon, at most once per MIN_REDRAW_MS. Each finished
 * draw is counted in `counter.dataset.draws` (tests wait on it).
 */
export function throttledDraw(draw, counter) {
  let timer = null;
  let lastDraw = -Infinity;
  let drawing = Promise.resolve();
  let draws = 0;
  const run = async () => {
    timer = null;
    lastDraw = performance.now();
    await draw();
    draws += 1;
    counter.dataset.draws = String(draws);
  };
  return function schedule() {
    if (timer) return;
    const wait = Math.max(0, MIN_REDRAW_MS - (performance.now() - lastDraw));
    timer = setTimeout(() => {
      drawing = drawing.then(run).catch((error) => console.error(error));
    }, wait);
  };
}
