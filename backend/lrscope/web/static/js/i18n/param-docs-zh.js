// Chinese descriptions of the parameters of torch's own schedulers and common optimizer
// arguments. The catalog's descriptions come from torch's English docstrings; anything
// not listed here is shown in English.

const SCHEDULER_PARAMS = {
  "LambdaLR.lr_lambda": "关于轮次 epoch 的表达式，返回乘在初始学习率上的因子；也可每个参数组一个。",
  "MultiplicativeLR.lr_lambda": "关于轮次 epoch 的表达式，返回每一步乘在当前学习率上的因子。",
  "StepLR.step_size": "学习率衰减的周期（步数）。",
  "StepLR.gamma": "学习率衰减的乘法因子。默认 0.1。",
  "MultiStepLR.milestones": "轮次索引列表，必须递增。",
  "MultiStepLR.gamma": "学习率衰减的乘法因子。默认 0.1。",
  "ConstantLR.factor": "在 total_iters 步之前乘在学习率上的常数因子。",
  "ConstantLR.total_iters": "乘以该因子的步数。",
  "LinearLR.start_factor": "第一步乘在学习率上的因子。",
  "LinearLR.end_factor": "线性变化结束时乘在学习率上的因子。",
  "LinearLR.total_iters": "因子从 start_factor 变到 end_factor 所用的步数。",
  "ExponentialLR.gamma": "每一步学习率衰减的乘法因子。",
  "SequentialLR.schedulers": "依次运行的调度器。",
  "SequentialLR.milestones": "切换到下一个调度器的步数：每个边界一个，递增。",
  "CosineAnnealingLR.T_max": "余弦下降半个周期所用的步数。",
  "CosineAnnealingLR.eta_min": "最小学习率。",
  "ChainedScheduler.schedulers": "每一步同时推进的调度器。",
  "ReduceLROnPlateau.mode": "min：指标不再下降时降低学习率；max：指标不再上升时降低。",
  "ReduceLROnPlateau.factor": "每次降低时学习率所乘的因子。",
  "ReduceLROnPlateau.patience": "容忍指标没有改善的轮数，超过后才降低学习率。",
  "ReduceLROnPlateau.threshold": "判定“有改善”所需的最小变化。",
  "ReduceLROnPlateau.threshold_mode": "rel：相对阈值；abs：绝对阈值。",
  "ReduceLROnPlateau.cooldown": "降低学习率后，恢复正常监视前等待的轮数。",
  "ReduceLROnPlateau.min_lr": "学习率下限（可每个参数组一个）。",
  "ReduceLROnPlateau.eps": "新旧学习率之差小于 eps 时不再更新。",
  "CyclicLR.base_lr": "循环的下边界学习率（可每个参数组一个）。",
  "CyclicLR.max_lr": "循环的上边界学习率（可每个参数组一个）。",
  "CyclicLR.step_size_up": "每个周期上升段的步数。",
  "CyclicLR.step_size_down": "每个周期下降段的步数；留空则与上升段相同。",
  "CyclicLR.mode": "triangular、triangular2 或 exp_range；给出 scale_fn 时忽略。",
  "CyclicLR.gamma": "exp_range 模式下的衰减常数：gamma ** 迭代次数。",
  "CyclicLR.scale_fn": "自定义振幅缩放：关于 x 的表达式，取值应在 [0, 1]。",
  "CyclicLR.scale_mode": "scale_fn 的自变量：cycle（周期序号）或 iterations（迭代次数）。",
  "CyclicLR.cycle_momentum": "为真时，动量在 base_momentum 与 max_momentum 之间与学习率反向循环。",
  "CyclicLR.base_momentum": "动量的下边界（可每个参数组一个）。",
  "CyclicLR.max_momentum": "动量的上边界（可每个参数组一个）。",
  "CosineAnnealingWarmRestarts.T_0": "第一次重启前的步数。",
  "CosineAnnealingWarmRestarts.T_mult": "每次重启后周期长度所乘的整数因子。",
  "CosineAnnealingWarmRestarts.eta_min": "最小学习率。",
  "OneCycleLR.max_lr": "周期中的最高学习率（可每个参数组一个）。",
  "OneCycleLR.total_steps": "整个周期的总步数；留空时按本次训练长度自动填入。",
  "OneCycleLR.epochs": "与 steps_per_epoch 一起推算总步数的轮数。",
  "OneCycleLR.steps_per_epoch": "与 epochs 一起推算总步数的每轮步数。",
  "OneCycleLR.pct_start": "上升阶段占整个周期的比例。",
  "OneCycleLR.anneal_strategy": "退火方式：cos（余弦）或 linear（线性）。",
  "OneCycleLR.cycle_momentum": "为真时，动量在 base_momentum 与 max_momentum 之间与学习率反向变化。",
  "OneCycleLR.base_momentum": "动量的下边界（可每个参数组一个）。",
  "OneCycleLR.max_momentum": "动量的上边界（可每个参数组一个）。",
  "OneCycleLR.div_factor": "初始学习率 = max_lr / div_factor。",
  "OneCycleLR.final_div_factor": "最终学习率 = 初始学习率 / final_div_factor。",
  "OneCycleLR.three_phase": "为真时分三段：第三段把学习率继续降到最低，而不是对称的两段。",
  "PolynomialLR.total_iters": "学习率衰减所用的步数。",
  "PolynomialLR.power": "多项式的次数。",
};

const OPTIMIZER_PARAMS = {
  lr: "学习率。",
  momentum: "动量因子。",
  dampening: "动量的阻尼。",
  weight_decay: "权重衰减（L2 惩罚）。",
  nesterov: "是否使用 Nesterov 动量。",
  maximize: "最大化目标而不是最小化。",
  betas: "计算梯度及其平方的滑动平均所用的系数 (β₁, β₂)。",
  eps: "为数值稳定加在分母上的小量。",
  amsgrad: "是否使用 AMSGrad 变体。",
  alpha: "平滑常数。",
  centered: "是否用梯度方差的估计对梯度做归一化。",
};

/** The Chinese description of `owner`'s parameter `name` (owner "optimizer" for optimizers). */
export function chineseDescription(owner, name) {
  if (owner === "optimizer") return OPTIMIZER_PARAMS[name] ?? null;
  return SCHEDULER_PARAMS[`${owner}.${name}`] ?? null;
}
