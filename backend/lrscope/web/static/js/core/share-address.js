// Which address a shared link carries. A page opened on this machine (localhost,
// 127.0.0.1) would share a link no student can open, so when the server says it is
// reachable at other addresses (GET /api/addresses, read from its network interfaces,
// never from the Host header) the link moves there; a page opened at a reachable address
// keeps its own.

/** A link longer than this is hard to scan or type: the QR dialog offers a short one. */
export const LONG_LINK = 300;

/** True for the names of this machine only (what students cannot open). */
export function isLoopbackHost(hostname) {
  const name = String(hostname).toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name);
}

/** `href` moved to the reachable `urls[choice]` when it names a loopback host; else as it is. */
export function publicLink(href, urls, choice = 0) {
  const url = new URL(href);
  if (!isLoopbackHost(url.hostname) || !Array.isArray(urls) || urls.length === 0) return url.href;
  const base = new URL(urls[Math.min(Math.max(0, choice), urls.length - 1)]);
  url.protocol = base.protocol;
  url.host = base.host;
  return url.href;
}

/** Whether students can open `href` at all (false: a loopback link with nowhere to move). */
export function reachableLink(href, urls) {
  return !isLoopbackHost(new URL(publicLink(href, urls)).hostname);
}

/** What a short link keeps: the link after its path ("?run=...#s=..."). */
export function linkState(href) {
  const url = new URL(href);
  return `${url.search}${url.hash}`;
}

/** The short link `path` ("/s/ID") on the same address as `href`. */
export function shortLinkOn(href, path) {
  return new URL(path, new URL(href).origin).href;
}
