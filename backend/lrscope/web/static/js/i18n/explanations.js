// Short explanations of torch's schedulers, in our own words: what each does, when to
// reach for it, and its formula (t = scheduler steps so far, lr₀ = the optimizer's lr).
// A scheduler not listed here falls back to the catalog's one-line summary.

export const EXPLANATIONS = {
  LambdaLR: {
    en: { what: "Multiplies the initial learning rate by a function of the step count that you write.", when: "Any shape torch has no class for: warmup, inverse square root, custom decays.", formula: "lr(t) = lr₀ · λ(t)" },
    zh: { what: "用你写的关于步数的函数去乘初始学习率。", when: "torch 没有现成类的任何形状：预热、平方根倒数衰减、自定义衰减。", formula: "lr(t) = lr₀ · λ(t)" },
  },
  MultiplicativeLR: {
    en: { what: "Each step multiplies the current learning rate by a factor you compute from the step count, so the factors compound.", when: "Decays whose per-step factor itself changes over time.", formula: "lr(t) = lr(t−1) · λ(t),  lr(0) = lr₀" },
    zh: { what: "每一步都把当前学习率乘以一个由步数算出的因子，因子会累积相乘。", when: "每步衰减因子本身随时间变化的情形。", formula: "lr(t) = lr(t−1) · λ(t),  lr(0) = lr₀" },
  },
  StepLR: {
    en: { what: "Keeps the learning rate flat, then multiplies it by gamma every step_size epochs: a staircase.", when: "Classic image-classification training; simple and easy to reason about.", formula: "lr(t) = lr₀ · γ^⌊t / step_size⌋" },
    zh: { what: "学习率先保持不变，每隔 step_size 轮乘以 gamma，形成阶梯。", when: "经典的图像分类训练；简单、易于理解。", formula: "lr(t) = lr₀ · γ^⌊t / step_size⌋" },
  },
  MultiStepLR: {
    en: { what: "Multiplies the learning rate by gamma at each listed milestone epoch: a staircase with steps where you choose.", when: "Recipes that drop the rate at fixed epochs, such as ResNet's ×0.1 at 30, 60 and 90.", formula: "lr(t) = lr₀ · γ^(number of milestones ≤ t)" },
    zh: { what: "在每个指定的里程碑轮次把学习率乘以 gamma：台阶位置由你决定。", when: "在固定轮次降低学习率的配方，例如 ResNet 在第 30、60、90 轮 ×0.1。", formula: "lr(t) = lr₀ · γ^(≤ t 的里程碑个数)" },
  },
  ConstantLR: {
    en: { what: "Scales the learning rate by a constant factor for the first total_iters steps, then returns to the full rate.", when: "A short cautious phase at the start, or a flat stage inside SequentialLR.", formula: "lr(t) = lr₀ · factor  if t < total_iters,  else lr₀" },
    zh: { what: "前 total_iters 步把学习率乘以一个常数因子，之后恢复到完整学习率。", when: "开头一段谨慎的低学习率阶段，或 SequentialLR 里的平稳阶段。", formula: "lr(t) = lr₀ · factor（t < total_iters），否则 lr₀" },
  },
  LinearLR: {
    en: { what: "Moves the factor on the learning rate in a straight line from start_factor to end_factor over total_iters steps, then holds it.", when: "Linear warmup at the start of training, or a linear decay at the end.", formula: "lr(t) = lr₀ · (s + (e − s) · min(t, T) / T),  s = start_factor, e = end_factor, T = total_iters" },
    zh: { what: "在 total_iters 步内把学习率的倍数从 start_factor 线性变到 end_factor，之后保持不变。", when: "训练开始时的线性预热，或结束时的线性衰减。", formula: "lr(t) = lr₀ · (s + (e − s) · min(t, T) / T)，s = start_factor，e = end_factor，T = total_iters" },
  },
  ExponentialLR: {
    en: { what: "Multiplies the learning rate by gamma after every epoch: a smooth exponential decay.", when: "Steady decay without choosing milestones; gamma close to 1 (0.95–0.99) is typical.", formula: "lr(t) = lr₀ · γ^t" },
    zh: { what: "每轮结束后把学习率乘以 gamma：平滑的指数衰减。", when: "不想挑选里程碑、只想稳定衰减时；gamma 常取接近 1 的值（0.95–0.99）。", formula: "lr(t) = lr₀ · γ^t" },
  },
  SequentialLR: {
    en: { what: "Runs its child schedulers one after another, handing over at each milestone; each child starts from its own step 0.", when: "Composite recipes: warmup then cosine, warmup-stable-decay, and so on.", formula: "lr(t) = childᵢ(t − mᵢ)  for mᵢ ≤ t < mᵢ₊₁  (m₀ = 0)" },
    zh: { what: "依次运行各个子调度器，在每个里程碑处交接；每个子调度器从自己的第 0 步开始。", when: "组合配方：先预热再余弦、预热-稳定-衰减等。", formula: "lr(t) = childᵢ(t − mᵢ)，当 mᵢ ≤ t < mᵢ₊₁（m₀ = 0）" },
  },
  CosineAnnealingLR: {
    en: { what: "Follows half a cosine wave from the initial rate down to eta_min over T_max steps. Past T_max it does not stop: the cosine climbs back up.", when: "A smooth decay that spends time near both ends; set T_max to the run length.", formula: "lr(t) = η_min + (lr₀ − η_min) · (1 + cos(π · t / T_max)) / 2" },
    zh: { what: "在 T_max 步内沿半个余弦波从初始学习率降到 eta_min。超过 T_max 后不会停住：余弦会再升回去。", when: "两端都停留较久的平滑衰减；把 T_max 设为训练总长度。", formula: "lr(t) = η_min + (lr₀ − η_min) · (1 + cos(π · t / T_max)) / 2" },
  },
  ChainedScheduler: {
    en: { what: "Steps all its child schedulers together at every step, so their effects multiply.", when: "Combining shapes at once, e.g. a warmup factor on top of an exponential decay.", formula: "lr(t) = lr₀ · ∏ₖ fₖ(t)  (for multiplicative children)" },
    zh: { what: "每一步同时推进所有子调度器，它们的效果相乘叠加。", when: "同时组合多种形状，例如在指数衰减之上叠加预热因子。", formula: "lr(t) = lr₀ · ∏ₖ fₖ(t)（子调度器为乘法型时）" },
  },
  ReduceLROnPlateau: {
    en: { what: "Watches a metric (usually validation loss). When it has not improved for more than patience epochs, multiplies the rate by factor, then waits cooldown epochs.", when: "When you cannot plan the schedule ahead and want the training curve to decide.", formula: "after patience + 1 epochs without improvement:  lr ← max(lr · factor, min_lr)" },
    zh: { what: "监视一个指标（通常是验证集损失）。若超过 patience 轮没有改善，就把学习率乘以 factor，然后等待 cooldown 轮。", when: "无法事先规划学习率、希望由训练曲线决定时。", formula: "连续 patience + 1 轮没有改善后：lr ← max(lr · factor, min_lr)" },
  },
  CyclicLR: {
    en: { what: "Sweeps the rate back and forth between base_lr and max_lr, step_size_up batches up and step_size_down down; momentum moves the opposite way.", when: "Finding a good range of rates, or training with cyclical rates; step it every batch.", formula: "triangular: lr = base + (max − base) · max(0, 1 − |t / s − 2c + 1|),  c = ⌊1 + t / 2s⌋" },
    zh: { what: "学习率在 base_lr 和 max_lr 之间来回扫动：step_size_up 个批次上升、step_size_down 个下降；动量反向变化。", when: "寻找合适的学习率区间，或使用循环学习率训练；每个批次调用一次。", formula: "triangular：lr = base + (max − base) · max(0, 1 − |t / s − 2c + 1|)，c = ⌊1 + t / 2s⌋" },
  },
  CosineAnnealingWarmRestarts: {
    en: { what: "Cosine decay from the initial rate to eta_min, then a jump back up (a warm restart); each period is T_mult times longer than the last.", when: "SGDR: long runs where restarts help escape poor regions or give snapshot ensembles.", formula: "lr = η_min + (lr₀ − η_min) · (1 + cos(π · T_cur / T_i)) / 2,  T_i = T_0 · T_multⁱ" },
    zh: { what: "从初始学习率余弦衰减到 eta_min，然后跳回高位（热重启）；每个周期是上一个的 T_mult 倍长。", when: "SGDR：较长的训练，重启有助于跳出较差区域或得到快照集成。", formula: "lr = η_min + (lr₀ − η_min) · (1 + cos(π · T_cur / T_i)) / 2，T_i = T_0 · T_multⁱ" },
  },
  OneCycleLR: {
    en: { what: "One big cycle: warms up from max_lr / div_factor to max_lr over pct_start of the run, then anneals far below the start; momentum moves the opposite way.", when: "Fast training with a fixed budget (the 1cycle policy); step it every batch.", formula: "up: max_lr/div_factor → max_lr over pct_start·total_steps; down: → max_lr/(div_factor·final_div_factor)" },
    zh: { what: "一个大周期：在前 pct_start 比例的训练里从 max_lr / div_factor 升到 max_lr，再退火到远低于起点；动量反向变化。", when: "固定训练预算下的快速训练（1cycle 策略）；每个批次调用一次。", formula: "上升：max_lr/div_factor → max_lr（前 pct_start·total_steps 步）；下降：→ max_lr/(div_factor·final_div_factor)" },
  },
  PolynomialLR: {
    en: { what: "Decays the rate to zero over total_iters steps along a polynomial of the given power; power 1 is a straight line.", when: "Segmentation and language-model recipes that decay to zero at a known end.", formula: "lr(t) = lr₀ · (1 − min(t, T) / T)^power,  T = total_iters" },
    zh: { what: "在 total_iters 步内沿给定次数的多项式把学习率衰减到 0；power = 1 时是直线。", when: "在已知终点衰减到 0 的分割、语言模型等配方。", formula: "lr(t) = lr₀ · (1 − min(t, T) / T)^power，T = total_iters" },
  },
};

/** {what, when, formula} for `name` in `lang`, or null when we have no text of our own. */
export function explanationFor(name, lang) {
  const entry = EXPLANATIONS[name];
  if (!entry) return null;
  return entry[lang] ?? entry.en;
}
