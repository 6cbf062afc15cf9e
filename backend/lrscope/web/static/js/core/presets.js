// Ready-made runs: the classic examples, and recipes people use that torch has no single
// class for, each built from torch pieces so the code panel shows how.

const SGD_001 = { type: "SGD", lr: 0.01, momentum: 0.9 };
const SGD_01 = { type: "SGD", lr: 0.1, momentum: 0.9 };

export const PRESETS = [
  {
    id: "step",
    group: "classic",
    name: { en: "StepLR(7, 0.1)", zh: "StepLR(7, 0.1)" },
    spec: { scheduler: { type: "StepLR", step_size: 7, gamma: 0.1 }, optimizer: SGD_001, epochs: 30, steps_per_epoch: 1 },
  },
  {
    id: "multistep",
    group: "classic",
    name: { en: "MultiStepLR([10, 20, 30], 0.1)", zh: "MultiStepLR([10, 20, 30], 0.1)" },
    spec: { scheduler: { type: "MultiStepLR", milestones: [10, 20, 30], gamma: 0.1 }, optimizer: SGD_001, epochs: 40, steps_per_epoch: 1 },
  },
  {
    id: "exponential",
    group: "classic",
    name: { en: "ExponentialLR(0.9)", zh: "ExponentialLR(0.9)" },
    spec: { scheduler: { type: "ExponentialLR", gamma: 0.9 }, optimizer: SGD_001, epochs: 50, steps_per_epoch: 1 },
  },
  {
    id: "cosine",
    group: "classic",
    name: { en: "CosineAnnealingLR(T_max=20)", zh: "CosineAnnealingLR(T_max=20)" },
    spec: { scheduler: { type: "CosineAnnealingLR", T_max: 20, eta_min: 0 }, optimizer: SGD_001, epochs: 60, steps_per_epoch: 1 },
  },
  {
    id: "plateau",
    group: "classic",
    name: { en: "ReduceLROnPlateau(factor=0.1, patience=5)", zh: "ReduceLROnPlateau(factor=0.1, patience=5)" },
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
    name: { en: "CyclicLR(0.01, 0.1, step_size_up=2000)", zh: "CyclicLR(0.01, 0.1, step_size_up=2000)" },
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
    name: { en: "OneCycleLR(max_lr=0.1)", zh: "OneCycleLR(max_lr=0.1)" },
    spec: { scheduler: { type: "OneCycleLR", max_lr: 0.1 }, optimizer: SGD_001, epochs: 10, steps_per_epoch: 100 },
  },
  {
    id: "warmup-cosine",
    group: "recipe",
    name: { en: "Linear warmup + cosine to a floor", zh: "线性预热 + 余弦衰减到下限" },
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
    name: { en: "Warmup-stable-decay (WSD)", zh: "预热-稳定-衰减 (WSD)" },
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
    name: { en: "Inverse square root with warmup", zh: "带预热的平方根倒数衰减" },
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
    name: { en: "ResNet step schedule (×0.1 at 30/60/90)", zh: "ResNet 阶梯衰减（30/60/90 轮 ×0.1）" },
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
    name: { en: "SGDR warm restarts", zh: "SGDR 热重启" },
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
    name: { en: "1cycle (OneCycleLR)", zh: "1cycle（OneCycleLR）" },
    spec: {
      scheduler: { type: "OneCycleLR", max_lr: 0.1, pct_start: 0.3, anneal_strategy: "cos" },
      optimizer: SGD_01,
      epochs: 20,
      steps_per_epoch: 100,
    },
  },
];

export function presetById(id) {
  return PRESETS.find((p) => p.id === id) ?? null;
}

/** Presets whose schedulers all exist in this catalog (a future torch may drop one). */
export function availablePresets(catalog) {
  const known = (s) => catalog.scheduler(s.type) && (s.schedulers ?? []).every(known);
  return PRESETS.filter((p) => known(p.spec.scheduler) && catalog.optimizer(p.spec.optimizer.type));
}
