// 分享区的简体中文：短链接与二维码对话框（ui/share-dialog.js），以及它们的服务器消息。

export const ZH_SHARE = {
  "share.label": "分享",
  "share.short": "短链接",
  "share.shortCopied": "短链接已复制",
  "share.shortNotice": "短链接（已复制）：{url}",
  "share.shortFailed": "无法生成短链接：{message}",
  "share.qr": "二维码",
  "qr.title": "扫码打开当前视图",
  "qr.address": "地址",
  "qr.short": "使用短链接",
  "qr.close": "关闭",
  "qr.alt": "{url} 的二维码",
  "qr.loopbackOnly": "只有这台电脑能打开这个地址。要给全班使用，请用 --host 0.0.0.0 启动 lrscope。",
  "qr.failed": "二维码无法生成：请改为复制链接。",
  "qr.shortFailed": "无法生成短链接（{message}）；二维码中是完整链接。",
  "server.short_link_too_long": "大小为 {size} 字节；短链接最多保存 {maximum} 字节（LRSCOPE_MAX_SHORT_LINK_BYTES）",
  "server.short_link_not_a_link": "必须是分享链接路径之后的部分，以 '?' 或 '#' 开头，且只含 URL 字符；当前为 {value}",
  "server.short_links_full": "服务器已保存 {maximum} 个短链接，达到上限（LRSCOPE_MAX_SHORT_LINKS）；请改为复制完整链接",
  "server.short_link_not_stored": "短链接无法保存（{detail}）；请改为复制完整链接",
  "server.short_link_not_found": "没有短链接 {link_id}：请核对字母（不含 0、1、i、l、o），或重新生成一个",
  "server.qr_text_too_long": "大小为 {size} 字节；这里的二维码最多容纳 {maximum} 字节",
};
