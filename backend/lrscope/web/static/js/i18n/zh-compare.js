// 对比训练的中文文本：训练名称中区分各次训练的部分，损失图的平滑、对数 x 轴和对比链接，
// 以及已保存训练的勾选列表。

export const ZH_COMPARE = {
  "train.short.lr": "学习率 {lr}",
  "train.short.seed": "种子 {value}",
  "train.short.epochs": "{value} 轮",
  "train.short.batch": "批量 {value}",
  "train.short.width": "宽度 {value}",
  "train.short.depth": "深度 {value}",
  "train.trace.valRaw": "验证（原始）",
  "train.logX": "对数 x 轴",
  "train.smoothing": "平滑",
  "train.smoothingHint": "像 TensorBoard 那样平滑训练损失和验证损失（去偏的指数移动平均）；0 表示不平滑。原始数据点仍淡淡地显示在后面，训练数据本身不变。",
  "train.copyCompare": "复制对比链接",
  "train.saved": "已保存的训练",
  "train.savedHint": "勾选训练，与本次会话的训练一起在图上对比。",
  "train.savedAddSelected": "把勾选的训练加入图表",
  "train.savedAll": "所有人的训练",
  "train.savedStop": "停止",
  "train.savedStopped": "训练 {id} 已停止。",
  "train.savedOwner": "来自 {owner}",
  "train.mine": "你的",
  "train.admin": "教师管理员令牌",
  "train.adminUse": "使用",
  "train.adminForget": "忘记",
  "train.adminOn": "管理员：你能看到每个训练由谁启动，并可以停止其中任何一个。",
};
