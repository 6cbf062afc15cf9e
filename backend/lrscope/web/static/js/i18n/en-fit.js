// The English strings of the length notice: a curve drawn for another run length than the
// task's, and the two ways to train it (its own length, or rescaled).

export const EN_FIT = {
  "train.short.ownLength": "schedule's own length",
  "train.short.rescaled": "schedule rescaled",
  "train.fit.title": "The schedule and the task differ in length",
  "train.fit.lengths": "The curve “{name}” is {epochs} epochs × {batches} steps = {total} steps; this task trains {taskEpochs} epochs × {taskBatches} batches = {taskTotal} steps. Left as is, the run would see only part of the schedule (or a stretched one).",
  "train.fit.own": "Train the schedule's own length: {epochs} epochs × {batches} batches = {total} steps (the training set is cycled through as often as that takes)",
  "train.fit.nearest": "Rescale it to the longest run that fits: {epochs} epochs × {batches} batches = {total} steps ({changes}); drawn on the chart",
  "train.fit.rescale": "Rescale the schedule to this run: {epochs} epochs × {batches} batches = {total} steps ({changes}); drawn on the chart",
  "train.fit.tooLong": "The schedule's own length, {total} steps, is too long to train here (a run may take at most {maximum} steps).",
  "train.fit.change": "{name} {from} → {to}",
  "train.fit.noChanges": "no length to rescale: it runs as written",
  "train.fit.curveName": "{name} · rescaled to {steps} steps",
  "train.fit.detailOwn": "the schedule's own length",
  "train.fit.detailRescaled": "schedule rescaled from {from} to {to} steps",
};
