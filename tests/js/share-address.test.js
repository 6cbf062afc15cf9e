// Which address a shared link carries (core/share-address.js): a loopback page's link moves
// to the address the server reports; a page opened at a reachable address keeps its own.

import assert from "node:assert/strict";
import { test } from "node:test";

import { isLoopbackHost, linkState, publicLink, reachableLink, shortLinkOn } from "../../backend/lrscope/web/static/js/core/share-address.js";

const LAN = ["http://192.168.1.20:8000/", "http://10.0.0.5:8000/"];
const LINK = "http://127.0.0.1:8000/?run=a1:StepLR#s=eyJ2IjoxfQ";

test("a link opened on this machine moves to the chosen reachable address", () => {
  assert.equal(publicLink(LINK, LAN), "http://192.168.1.20:8000/?run=a1:StepLR#s=eyJ2IjoxfQ");
  assert.equal(publicLink(LINK, LAN, 1), "http://10.0.0.5:8000/?run=a1:StepLR#s=eyJ2IjoxfQ");
  assert.equal(publicLink("http://localhost:8000/#s=x", ["http://[2001:db8::20]:9000/"]), "http://[2001:db8::20]:9000/#s=x");
  assert.equal(publicLink("http://[::1]:8000/#s=x", LAN, 7), "http://10.0.0.5:8000/#s=x");
});

test("a link on a reachable address, or with nowhere to go, stays as it is", () => {
  assert.equal(publicLink("http://192.168.1.20:8000/#s=x", ["http://10.0.0.5:8000/"]), "http://192.168.1.20:8000/#s=x");
  assert.equal(publicLink("https://lrscope.school.example/#s=x", LAN), "https://lrscope.school.example/#s=x");
  assert.equal(publicLink(LINK, []), LINK);
  assert.equal(reachableLink(LINK, []), false);
  assert.equal(reachableLink(LINK, LAN), true);
  assert.equal(reachableLink("http://192.168.1.20:8000/", []), true);
});

test("loopback names are this machine's only", () => {
  for (const name of ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]"]) assert.equal(isLoopbackHost(name), true, name);
  for (const name of ["192.168.1.20", "10.0.0.5", "lab.school", "127.0.0.1.example", "[2001:db8::1]"]) assert.equal(isLoopbackHost(name), false, name);
});

test("a short link keeps the link after its path and opens on the same address", () => {
  assert.equal(linkState("http://192.168.1.20:8000/?run=a1:x#s=abc"), "?run=a1:x#s=abc");
  assert.equal(linkState("http://192.168.1.20:8000/#s=abc"), "#s=abc");
  assert.equal(shortLinkOn("http://192.168.1.20:8000/?run=a#s=abc", "/s/abcd234567"), "http://192.168.1.20:8000/s/abcd234567");
});
