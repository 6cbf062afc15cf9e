// Ready-made runs: the classic examples, and recipes people use that torch has no single
// class for, each built from torch pieces so the code panel shows how. Their names are
// in the language tables, as preset.<id>.

const SGD_001 = { type: "SGD", lr: 0.01, momentum: 0.9 };
const SGD_01 = { type: "SGD", lr: 0.1, momentum: 0.9 };

export const PRESETS = [
  {
    id: "step",
    group: "classic",
    spec: { scheduler: { type: "StepLR", step_size: 7, gamma: 0.1 }, optimizer: SGD_001, epochs: 30, steps_per_epoch: 1 },
  },
  {
    id: "multistep",
    group: "classic",
    spec: { scheduler: { type: "MultiStepLR", milestones: [10, 20, 30], gamma: 0.1 }, optimizer: SGD_001, epochs: 40, steps_per_epoch: 1 },
  },
  {
    id: "exponential",
    group: "classic",
    spec: { scheduler: { type: "ExponentialLR", gamma: 0.9 }, optimizer: SGD_001, epochs: 50, steps_per_epoch: 1 },
  },
  {
    id: "cosine",
    group: "classic",
    spec: { scheduler: { type: "CosineAnnealingLR", T_max: 20, eta_min: 0 }, optimizer: SGD_001, epochs: 60, steps_per_epoch: 1 },
  },
  {
    id: "plateau",
    group: "classic",
    spec: {
      scheduler: { type: "ReduceLROnPlateau", mode: "min", factor: 0.1, patience: 5 },
      optimizer: SGD_001,
      epochs: 100,
      steps_per_epoch: 1,
      metric: { synthetic: { seed: 0, noise: 0.02 } },
    },
  },
  {
    id: "cyclic",
    group: "classic",
    spec: {
      scheduler: { type: "CyclicLR", base_lr: 0.01, max_lr: 0.1, step_size_up: 2000, mode: "triangular" },
      optimizer: SGD_001,
      epochs: 10,
      steps_per_epoch: 1000,
    },
  },
  {
    id: "onecycle",
    group: "classic",
    spec: { scheduler: { type: "OneCycleLR", max_lr: 0.1 }, optimizer: SGD_001, epochs: 10, steps_per_epoch: 100 },
  },
  {
    id: "warmup-cosine",
    group: "recipe",
    spec: {
      scheduler: {
        type: "SequentialLR",
        schedulers: [
          { type: "LinearLR", start_factor: 0.01, end_factor: 1, total_iters: 5 },
          { type: "CosineAnnealingLR", T_max: 95, eta_min: 0.001 },
        ],
        milestones: [5],
      },
      optimizer: SGD_01,
      epochs: 100,
      steps_per_epoch: 1,
    },
  },
  {
    id: "wsd",
    group: "recipe",
    spec: {
      scheduler: {
        type: "SequentialLR",
        schedulers: [
          { type: "LinearLR", start_factor: 0.01, end_factor: 1, total_iters: 10 },
          { type: "ConstantLR", factor: 1, total_iters: 70 },
          { type: "LinearLR", start_factor: 1, end_factor: 0.01, total_iters: 20 },
        ],
        milestones: [10, 80],
      },
      optimizer: { type: "AdamW", lr: 0.001 },
      epochs: 100,
      steps_per_epoch: 1,
    },
  },
  {
    id: "inverse-sqrt",
    group: "recipe",
    spec: {
      scheduler: { type: "LambdaLR", lr_lambda: "min((epoch + 1) / 1000, (1000 / (epoch + 1)) ** 0.5)" },
      optimizer: { type: "Adam", lr: 0.001 },
      epochs: 20,
      steps_per_epoch: 500,
      interval: "step",
    },
  },
  {
    id: "resnet",
    group: "recipe",
    spec: {
      scheduler: { type: "MultiStepLR", milestones: [30, 60, 90], gamma: 0.1 },
      optimizer: { type: "SGD", lr: 0.1, momentum: 0.9, weight_decay: 0.0001 },
      epochs: 100,
      steps_per_epoch: 1,
    },
  },
  {
    id: "sgdr",
    group: "recipe",
    spec: {
      scheduler: { type: "CosineAnnealingWarmRestarts", T_0: 10, T_mult: 2, eta_min: 0.001 },
      optimizer: SGD_01,
      epochs: 150,
      steps_per_epoch: 1,
    },
  },
  {
    id: "1cycle",
    group: "recipe",
    spec: {
      scheduler: { type: "OneCycleLR", max_lr: 0.1, pct_start: 0.3, anneal_strategy: "cos" },
      optimizer: SGD_01,
      epochs: 20,
      steps_per_epoch: 100,
    },
  },
  {
    id: "loop-warmup-plateau",
    group: "loop",
    spec: {
      scheduler: {
        type: "Loop",
        schedulers: [
          { scheduler: { type: "LinearLR", start_factor: 0.01, total_iters: 500 }, interval: "step", every: 1, begin: 0, end: 500 },
          { scheduler: { type: "ReduceLROnPlateau", patience: 2 }, interval: "epoch", begin: 5 },
        ],
      },
      optimizer: SGD_01,
      epochs: 40,
      steps_per_epoch: 100,
      metric: { synthetic: { seed: 0, noise: 0.02 } },
    },
  },
  {
    id: "loop-swa",
    group: "loop",
    spec: {
      scheduler: {
        type: "Loop",
        schedulers: [
          { scheduler: { type: "CosineAnnealingLR", T_max: 75, eta_min: 0.005 }, interval: "epoch", end: 75 },
          { scheduler: { type: "SWALR", swa_lr: 0.05, anneal_epochs: 5, anneal_strategy: "cos" }, interval: "epoch", begin: 75 },
        ],
      },
      optimizer: SGD_01,
      epochs: 100,
      steps_per_epoch: 1,
    },
  },
  {
    id: "loop-warmup-multistep",
    group: "loop",
    spec: {
      scheduler: {
        type: "Loop",
        schedulers: [
          { scheduler: { type: "LinearLR", start_factor: 0.1, total_iters: 200 }, interval: "step", end: 200 },
          { scheduler: { type: "MultiStepLR", milestones: [30, 60, 80], gamma: 0.1 }, interval: "epoch" },
        ],
      },
      optimizer: SGD_01,
      epochs: 90,
      steps_per_epoch: 50,
    },
  },
];

/**
 * The server's presets (GET /api/schedulers' `hf_presets`: Hugging Face's schedules as
 * exact specs), in the shape of PRESETS plus the HF `call`, its `warnings` and `name`.
 */
export function serverPresets(catalog) {
  const hf = catalog?.raw?.hf_presets;
  if (!Array.isArray(hf?.presets)) return [];
  return hf.presets.map((p) => ({ id: p.id, group: "hf", name: p.name, call: p.call, spec: p.spec, warnings: p.warning_details ?? [] }));
}

/** The transformers release whose semantics the HF presets follow, or null. */
export function hfVersion(catalog) {
  return catalog?.raw?.hf_presets?.transformers_version ?? null;
}

export function presetById(id, catalog = null) {
  return PRESETS.find((p) => p.id === id) ?? serverPresets(catalog).find((p) => p.id === id) ?? null;
}

/** Presets whose schedulers all exist in this catalog (a future torch may drop one). */
export function availablePresets(catalog) {
  // A Loop's entries hold their scheduler under "scheduler".
  const known = (s) => catalog.scheduler(s.type) && (s.schedulers ?? []).every((c) => known(c.scheduler ?? c));
  return [...PRESETS, ...serverPresets(catalog)].filter((p) => known(p.spec.scheduler) && catalog.optimizer(p.spec.optimizer.type));
}
