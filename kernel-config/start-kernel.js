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
// tslab type-checks cells with a TypeScript watch program whose debounce timer it allows only once at a time: when
// a file in the checkout changes while the kernel runs, a watcher schedules a second rebuild and the next cell dies
// with "Unexpected pending rebuildTimer" (seen here while other files were being edited). Files are read when a cell
// first imports them, and Node caches loaded modules anyway, so restart the kernel after editing src/.
const tslabTypeScript = require(require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(tslabMain)] }));
const noWatcher = () => ({ close() {} });
tslabTypeScript.sys.watchFile = noWatcher;
tslabTypeScript.sys.watchDirectory = noWatcher;
// startKernel is tslab's stable entry point (kept for globally installed tslab binaries, see its main.ts).
require(tslabMain).startKernel({ configPath, enableFindLocal: false, jsKernel: false });
