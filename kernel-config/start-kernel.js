#!/usr/bin/env node
/**
 * Jupyter kernel wrapper: starts this project's tslab with the project root as its working directory.
 * tslab resolves a cell's relative imports from its working directory, while Jupyter starts a kernel in the
 * notebook's folder; starting here lets every notebook, wherever it sits, `import { ... } from "./src"`.
 * Usage (by Jupyter, from kernel.json): node kernel-config/start-kernel.js <connection_file>
 */
"use strict";
const path = require("node:path");
const fs = require("node:fs");

const projectRoot = path.resolve(__dirname, "..");
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error("start-kernel: missing the connection file argument. Jupyter passes it; register the kernel with `npm run kernel:install`.");
  process.exit(2);
}
const tslabMain = path.join(projectRoot, "node_modules", "tslab", "dist", "main.js");
if (!fs.existsSync(tslabMain)) {
  console.error(`start-kernel: ${tslabMain} is missing. Run \`npm ci\` in ${projectRoot}.`);
  process.exit(2);
}
const configPath = path.resolve(connectionFile);
process.chdir(projectRoot);
// tslab compiles a cell and the files it imports, but loads an import of a folder ("./src", whose index.ts
// re-exports "./metrics", ...) with Node's own require, which knows no .ts. tsx's require hook loads those.
require(path.join(projectRoot, "node_modules", "tsx", "dist", "cjs", "api", "index.cjs")).register();
// startKernel is tslab's stable entry point (kept for globally installed tslab binaries, see its main.ts).
require(tslabMain).startKernel({ configPath, enableFindLocal: false, jsKernel: false });
