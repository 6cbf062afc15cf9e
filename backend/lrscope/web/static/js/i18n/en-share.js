// The share area's English strings: short links and the QR dialog (ui/share-dialog.js).

export const EN_SHARE = {
  "share.label": "Share",
  "share.short": "Short link",
  "share.shortCopied": "Short link copied",
  "share.shortNotice": "Short link (copied): {url}",
  "share.shortFailed": "No short link: {message}",
  "share.qr": "QR code",
  "qr.title": "Scan to open this view",
  "qr.address": "Address",
  "qr.short": "Use a short link",
  "qr.close": "Close",
  "qr.alt": "QR code of {url}",
  "qr.loopbackOnly": "Only this computer can open this address. To serve a class, start lrscope with --host 0.0.0.0.",
  "qr.failed": "The QR code could not be drawn: copy the link instead.",
  "qr.shortFailed": "No short link ({message}); the code holds the full link.",
  "notice.shortLinkMissing": "There is no short link “{id}” on this server (mistyped, or made on another server), so the default view is shown.",
};
