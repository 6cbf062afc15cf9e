// Numbers written exactly as the server writes them (Python's repr of a float, with the
// ".0" of an integral one dropped): 3, 0.1, 0.0003, -1e-05, 1e+16. The page's own checks
// then say "got -1e-05" just as the server would.

/** The shortest text that reads back as `value`, in Python's repr layout. */
export function formatNumber(value) {
  if (typeof value !== "number") return String(value);
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  // toExponential() without digits gives the shortest round-trip digits, as repr does.
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const size = String(Math.abs(exponent)).padStart(2, "0");
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${size}`;
  }
  const sign = value < 0 ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** A value as the page shows it in hints: numbers as above, lists joined by ", ". */
export function formatValue(value) {
  if (Array.isArray(value)) return value.map(formatValue).join(", ");
  if (value === null || value === undefined) return "";
  return typeof value === "number" ? formatNumber(value) : String(value);
}

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A count of steps or batches as both languages write it, with thousands separators: 10,000. */
export function formatCount(value) {
  return COUNT.format(value);
}
