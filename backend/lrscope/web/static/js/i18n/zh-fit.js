// 长度提示的中文文本：曲线的长度与任务不同时，两种训练方式（按调度自身的长度，或缩放到任务）。

export const ZH_FIT = {
  "train.short.ownLength": "调度原长",
  "train.short.rescaled": "调度已缩放",
  "train.fit.title": "调度与任务的长度不同",
  "train.fit.lengths": "曲线“{name}”共 {epochs} 个 epoch × {batches} 步 = {total} 步；这个任务训练 {taskEpochs} 个 epoch × {taskBatches} 个批次 = {taskTotal} 步。若不处理，这次运行只会用到调度的一部分（或被拉伸的调度）。",
  "train.fit.own": "按调度自身的长度训练：{epochs} 个 epoch × {batches} 个批次 = {total} 步（训练集按需要循环使用）",
  "train.fit.nearest": "缩放到能训练的最长运行：{epochs} 个 epoch × {batches} 个批次 = {total} 步（{changes}）；已画在图上",
  "train.fit.rescale": "把调度缩放到这次运行：{epochs} 个 epoch × {batches} 个批次 = {total} 步（{changes}）；已画在图上",
  "train.fit.tooLong": "调度自身的长度 {total} 步太长，这里无法训练（一次运行最多 {maximum} 步）。",
  "train.fit.change": "{name} {from} → {to}",
  "train.fit.noChanges": "没有可缩放的长度：按原样运行",
  "train.fit.curveName": "{name} · 缩放到 {steps} 步",
  "train.fit.detailOwn": "调度自身的长度",
  "train.fit.detailRescaled": "调度从 {from} 步缩放到 {to} 步",
};
