// The Loop composite (lrscope's own, not a torch class): several schedulers on the one
// optimizer, each stepped by hand in the training loop on its own interval and range.
// The server describes it in the catalog (`loop`: its entry fields and rules); these are
// the lookups the editor, the request and the presets need.

export const LOOP = "Loop";

/** The catalog entry the type picker shows for the Loop (from the server's `loop`). */
export function loopCatalogEntry(raw) {
  if (!raw?.loop) return null;
  return {
    name: LOOP,
    summary: raw.loop.summary,
    doc: raw.loop.rules,
    step_unit: "epoch",
    needs_metric: false,
    composite: true,
    params: [],
    loop: true,
    entryParams: raw.loop.entry_params.filter((p) => p.name !== "scheduler"),
  };
}

export function isLoop(scheduler) {
  return scheduler?.type === LOOP;
}

export function loopEntries(scheduler) {
  return isLoop(scheduler) && Array.isArray(scheduler.schedulers) ? scheduler.schedulers : [];
}

/** Whether any entry's scheduler is stepped with a metric (ReduceLROnPlateau). */
export function loopNeedsMetric(catalog, scheduler) {
  return loopEntries(scheduler).some((e) => catalog.scheduler(e?.scheduler?.type)?.needs_metric);
}

/** "step" when any entry is stepped per optimizer step (the curve's x), else "epoch". */
export function loopStepUnit(scheduler) {
  return loopEntries(scheduler).some((e) => e?.interval === "step") ? "step" : "epoch";
}

/** One new entry: `scheduler` stepped every epoch from the start. */
export function loopEntry(scheduler, interval = "epoch") {
  return { scheduler, interval };
}
