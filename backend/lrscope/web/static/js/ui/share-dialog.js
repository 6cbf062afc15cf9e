// The share area: "Copy link", "Short link" and "QR code". Each link carries an address
// students can open (core/share-address.js); the QR dialog shows the code big enough to
// scan from a projector, with the link in large type beneath.

import { LONG_LINK, linkState, publicLink, reachableLink, shortLinkOn } from "../core/share-address.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";
import { createShortLink, qrImageUrl, serverAddresses } from "../net/share-api.js";
import { copyText, h } from "./dom.js";
import { showNotice } from "./notice.js";

const $ = (id) => document.getElementById(id);
const FEEDBACK_MS = 2000;

/** The links to share, from `link` (ui/share-link.js): full, on a reachable address, or short. */
export function createSharing(link) {
  let choice = 0;
  const urls = async () => (await serverAddresses()).urls ?? [];
  return {
    urls,
    choose(index) { choice = index; },
    choice: () => choice,
    async fullLink() {
      return publicLink(link.flush(), await urls(), choice);
    },
    async shortLink() {
      const href = await this.fullLink();
      const answer = await createShortLink(linkState(href));
      return shortLinkOn(href, answer.path);
    },
  };
}

function flash(button, key, restoreKey) {
  button.textContent = t(key);
  setTimeout(() => { button.textContent = t(restoreKey); }, FEEDBACK_MS);
}

function wireButtons(sharing) {
  $("copy-link").addEventListener("click", async () => {
    const ok = await copyText(await sharing.fullLink());
    flash($("copy-link"), ok ? "share.copied" : "share.copyFailed", "share.copy");
  });
  $("short-link").addEventListener("click", async () => {
    let url;
    try {
      url = await sharing.shortLink();
    } catch (error) {
      showNotice(t("share.shortFailed", { message: errorText(error) }));
      return;
    }
    const ok = await copyText(url);
    flash($("short-link"), ok ? "share.shortCopied" : "share.copyFailed", "share.short");
    showNotice(t("share.shortNotice", { url }));
    document.documentElement.dataset.shortLink = url; // what tests open
  });
}

async function renderCode(sharing) {
  const image = $("qr-image");
  delete image.dataset.ready; // at once: the code shown until the new one loads is stale
  image.dataset.rendering = "true"; // an earlier code that loads meanwhile is not ready
  const note = [];
  const full = await sharing.fullLink();
  let target = full;
  if ($("qr-short").checked) {
    try {
      target = await sharing.shortLink();
    } catch (error) {
      note.push(t("qr.shortFailed", { message: errorText(error) }));
    }
  }
  if (!reachableLink(full, await sharing.urls())) note.unshift(t("qr.loopbackOnly"));
  const src = qrImageUrl(target);
  delete image.dataset.rendering;
  image.dataset.text = target;
  image.alt = t("qr.alt", { url: target });
  if (image.getAttribute("src") === src && image.complete) {
    image.dataset.ready = "true"; // the same code: no new load to wait for
  } else {
    image.src = src;
  }
  $("qr-url").textContent = target;
  $("qr-url").classList.toggle("qr-url-long", target.length > LONG_LINK);
  $("qr-note").textContent = note.join(" ");
  $("qr-note").hidden = note.length === 0;
}

async function openDialog(sharing) {
  delete $("qr-image").dataset.ready;
  const urls = await sharing.urls();
  const select = $("qr-address");
  select.replaceChildren(...urls.map((url, i) => h("option", { value: String(i) }, url)));
  select.value = String(sharing.choice());
  $("qr-address-field").hidden = urls.length < 2;
  $("qr-short").checked = (await sharing.fullLink()).length > LONG_LINK;
  $("qr-dialog").showModal();
  await renderCode(sharing);
}

/** Wire the share area; `link` is the page's share link (ui/share-link.js). */
export function wireSharing(link) {
  const sharing = createSharing(link);
  wireButtons(sharing);
  const image = $("qr-image");
  image.addEventListener("load", () => {
    if (!image.dataset.rendering) image.dataset.ready = "true";
  });
  image.addEventListener("error", () => {
    image.dataset.ready = "failed";
    $("qr-note").textContent = t("qr.failed");
    $("qr-note").hidden = false;
  });
  $("qr-open").addEventListener("click", () => openDialog(sharing).catch((error) => showNotice(errorText(error))));
  $("qr-short").addEventListener("change", () => renderCode(sharing));
  $("qr-address").addEventListener("change", () => {
    sharing.choose(Number($("qr-address").value));
    renderCode(sharing);
  });
  return sharing;
}
