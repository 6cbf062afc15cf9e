// Server messages in the page's language (i18n/server.js): the zh template for a code,
// the server's English msg otherwise.
import assert from "node:assert/strict";
import { test } from "node:test";

import { setLanguage } from "../../backend/lrscope/web/static/js/i18n/i18n.js";
import { errorText, issueText, serverText, warningTexts } from "../../backend/lrscope/web/static/js/i18n/server.js";
import { ZH } from "../../backend/lrscope/web/static/js/i18n/zh.js";

test("a code the zh table has is worded in Chinese with the server's params", () => {
  ZH["server.test_code"] = "必须大于 {bound}，当前为 {got}";
  try {
    setLanguage("zh");
    const item = { code: "test_code", params: { bound: "0", got: "-1e-05" }, msg: "must be greater than 0, got -1e-05" };
    assert.equal(serverText(item), "必须大于 0，当前为 -1e-05");
    setLanguage("en");
    assert.equal(serverText(item), "must be greater than 0, got -1e-05");
  } finally {
    delete ZH["server.test_code"];
  }
});

test("no code, or a code the table lacks: the server's msg", () => {
  setLanguage("zh");
  assert.equal(serverText({ msg: "plain" }), "plain");
  assert.equal(serverText({ code: "from_a_newer_server", params: {}, msg: "newer" }), "newer");
  setLanguage("en");
});

test("warnings pair with warning_details by position; an old server sends none", () => {
  ZH["server.test_warning"] = "警告 {name}";
  try {
    setLanguage("zh");
    const result = { warnings: ["w {name}", "second"], warning_details: [{ code: "test_warning", params: { name: "x" }, msg: "w x" }, { code: "nope", params: {}, msg: "second" }] };
    assert.deepEqual(warningTexts(result), ["警告 x", "second"]);
    assert.deepEqual(warningTexts({ warnings: ["only English"] }), ["only English"]);
  } finally {
    delete ZH["server.test_warning"];
    setLanguage("en");
  }
});

test("the page's own failures carry a table key", () => {
  setLanguage("zh");
  const issue = { loc: [], msg: "The server answered 500.", key: "net.status", params: { status: 500 } };
  assert.equal(issueText(issue), "服务器返回了 500。");
  assert.equal(errorText({ issues: [issue, { loc: [], msg: "b" }] }), "服务器返回了 500。; b");
  assert.equal(errorText(new Error("boom")), "boom");
  setLanguage("en");
});

test("the page's own held-back issues name their fields", () => {
  const held = { located: true, issues: [{ loc: ["scheduler", "step_size"], msg: "required" }] };
  assert.equal(errorText(held), "scheduler.step_size: required");
  assert.equal(errorText({ issues: [{ loc: ["body", "x"], msg: "bad" }] }), "bad");
});
