// The server's part in sharing: where students can reach it, short links, QR codes.

import { publicLink } from "../core/share-address.js";
import { request } from "./api.js";

let addresses = null;

/** GET /api/addresses (asked once): {host, port, urls}; no urls when it cannot be asked. */
export function serverAddresses() {
  addresses ??= request("GET", "/api/addresses").catch(() => ({ urls: [] }));
  return addresses;
}

/** `href` on the first address students can reach (core/share-address.js). */
export async function reachableHref(href) {
  return publicLink(href, (await serverAddresses()).urls ?? []);
}

/** POST /api/short {state} -> {id, path, url}. */
export function createShortLink(state) {
  return request("POST", "/api/short", { state });
}

/** The address of `text`'s QR code (an SVG the server draws). */
export function qrImageUrl(text) {
  return `/api/qr?text=${encodeURIComponent(text)}`;
}
