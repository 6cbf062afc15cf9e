// The English strings of comparing runs: the parts of a run's distinct name, the loss
// chart's smoothing, log-x and comparison link, the saved runs' check list,
// and whose runs it shows (yours, everyone's, the teacher's admin token).

export const EN_COMPARE = {
  "train.short.lr": "lr {lr}",
  "train.short.seed": "seed {value}",
  "train.short.epochs": "{value} epochs",
  "train.short.batch": "batch {value}",
  "train.short.width": "width {value}",
  "train.short.depth": "depth {value}",
  "train.trace.valRaw": "validation (raw)",
  "train.logX": "Log x",
  "train.smoothing": "Smoothing",
  "train.smoothingHint": "Smooths the training and validation loss as TensorBoard does (a debiased exponential moving average); 0 is off. The raw points stay faint behind; the runs' data do not change.",
  "train.copyCompare": "Copy comparison link",
  "train.saved": "Saved runs",
  "train.savedHint": "Tick runs to compare them with this session's on the chart.",
  "train.savedAddSelected": "Add the ticked runs to the chart",
  "train.savedAll": "Everyone's runs",
  "train.savedStop": "Stop",
  "train.savedStopped": "Run {id} is stopped.",
  "train.savedOwner": "by {owner}",
  "train.mine": "yours",
  "train.admin": "Teacher's admin token",
  "train.adminUse": "Use",
  "train.adminForget": "Forget",
  "train.adminOn": "Admin: you see who started each run and may stop any of them.",
};
