// Exports: a PNG of the chart as shown, and the exact values (max_points: 0) of the
// visible curves as CSV (one row per curve, group and optimizer step) or JSON.

import { evaluateSchedule } from "../net/api.js";
import { downloadBlob } from "../ui/dom.js";
import { requestSpec } from "../core/catalog.js";

/** Fetch every visible curve at full resolution: [{curve, result}]. */
export async function exactResults(catalog, curves) {
  const visible = curves.filter((c) => c.visible);
  const results = await Promise.all(
    visible.map((curve) => evaluateSchedule(requestSpec(catalog, curve.spec, { max_points: 0 }))),
  );
  return visible.map((curve, i) => ({ curve, result: results[i] }));
}

function csvCell(value) {
  let text = String(value);
  // A leading = + - @ makes spreadsheets run the cell as a formula.
  if (/^[=+\-@\t\r]/.test(text) && Number.isNaN(Number(text))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text: curve, group, step, epoch, lr, momentum. Numbers print exactly (shortest round trip). */
export function toCsv(rows) {
  const lines = ["curve,group,step,epoch,lr,momentum"];
  for (const { curve, result } of rows) {
    const name = csvCell(curve.name);
    result.groups.forEach((group, g) => {
      for (let i = 0; i < result.x.length; i += 1) {
        const momentum = group.momentum ? String(group.momentum[i]) : "";
        lines.push(`${name},${g},${result.x[i]},${result.epoch[i]},${group.lr[i]},${momentum}`);
      }
    });
  }
  return `${lines.join("\n")}\n`;
}

export function toJson(rows) {
  const torchVersion = rows[0]?.result.torch_version ?? null;
  return JSON.stringify({
    torch_version: torchVersion,
    curves: rows.map(({ curve, result }) => ({
      name: curve.name,
      spec: curve.spec,
      num_steps: result.num_steps,
      x: result.x,
      epoch: result.epoch,
      groups: result.groups,
      warnings: result.warnings,
    })),
  });
}

export async function downloadCsv(catalog, curves) {
  const rows = await exactResults(catalog, curves);
  downloadBlob(new Blob([toCsv(rows)], { type: "text/csv" }), "lrscope.csv");
}

export async function downloadJson(catalog, curves) {
  const rows = await exactResults(catalog, curves);
  downloadBlob(new Blob([toJson(rows)], { type: "application/json" }), "lrscope.json");
}

export async function downloadPng(chart) {
  const dataUrl = await chart.toPng();
  downloadBlob(dataUrlToBlob(dataUrl), "lrscope.png");
}

// Not fetch(dataUrl): the page's CSP (connect-src 'self') refuses data: URLs.
function dataUrlToBlob(url) {
  const comma = url.indexOf(",");
  const mime = /^data:([^;,]+)/.exec(url)?.[1] ?? "application/octet-stream";
  const binary = atob(url.slice(comma + 1));
  return new Blob([Uint8Array.from(binary, (ch) => ch.charCodeAt(0))], { type: mime });
}
