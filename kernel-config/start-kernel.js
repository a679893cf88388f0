#!/usr/bin/env node
/**
 * Jupyter kernel wrapper: starts the project's tslab with the project root as its working directory.
 * tslab resolves a cell's relative imports from its working directory, while Jupyter starts a kernel in the
 * notebook's folder; starting here lets every notebook, wherever it sits, `import { ... } from "./src"`.
 * Usage (by Jupyter, from kernel.json): node kernel-config/start-kernel.js <connection_file>
 */
"use strict";
const path = require("node:path");
const fs = require("node:fs");

/**
 * The checkout a notebook belongs to: Jupyter starts a kernel in the notebook's folder, and the kernelspec is
 * registered once per user, so with two checkouts the notebook's own (nearest rerank-scaling package.json above
 * the working directory) wins; outside any checkout, the one that registered the kernel.
 */
function findProjectRoot(startFolder, fallbackRoot) {
  for (let folder = path.resolve(startFolder); ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, "package.json");
    if (fs.existsSync(manifest) && fs.existsSync(path.join(folder, "node_modules", "tslab"))) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, "utf8")).name === "rerank-scaling") return folder;
      } catch {
        // An unreadable package.json is not ours: keep looking upwards.
      }
    }
    if (path.dirname(folder) === folder) return fallbackRoot;
  }
}

const projectRoot = findProjectRoot(process.cwd(), path.resolve(__dirname, ".."));
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
// No esbuild worker thread (as in bin/rerank-scaling.js); the study workers a notebook starts inherit it.
process.env.ESBUILD_WORKER_THREADS ??= "0";
require(path.join(projectRoot, "node_modules", "tsx", "dist", "cjs", "api", "index.cjs")).register();
// tslab type-checks cells with a TypeScript watch program whose debounce timer it allows only once at a time: when
// a file in the checkout changes while the kernel runs, a watcher schedules a second rebuild and the next cell dies
// with "Unexpected pending rebuildTimer" (seen here while other files were being edited). Files are read when a cell
// first imports them, and Node caches loaded modules anyway, so restart the kernel after editing src/.
const typeScriptPath = require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(tslabMain)] });
const typeScript = require(typeScriptPath);
const noWatcher = () => ({ close() {} });
typeScript.sys.watchFile = noWatcher;
typeScript.sys.watchDirectory = noWatcher;

// tslab type-checks AND emits every .ts file a cell imports, transitively: for `import ... from "./src"` that is the
// whole toolkit, re-checked with declarations at every kernel start (about 25 s here). The toolkit's own files are
// type-checked by `npm test` (tsc, strict) and loaded at run time by tsx above, so tslab skips them: it still checks
// each cell against their types and reports errors in the cell's own code. TypeScript's exports are read-only
// getters, so tslab is handed a module object that overrides two of them (set up before tslab loads).
const projectSourcePrefix = path.join(projectRoot, "src") + path.sep;
const isToolkitSource = (fileName) => path.resolve(fileName).startsWith(projectSourcePrefix);
const typeScriptForTslab = {};
for (const key of Object.keys(typeScript)) {
  Object.defineProperty(typeScriptForTslab, key, { enumerable: true, configurable: true, get: () => typeScript[key] });
}
Object.defineProperty(typeScriptForTslab, "getPreEmitDiagnosticsOfFiles", {
  enumerable: true,
  value: (program, files) => typeScript.getPreEmitDiagnosticsOfFiles(program, files.filter((file) => !isToolkitSource(file.fileName))),
});
Object.defineProperty(typeScriptForTslab, "createWatchProgram", {
  enumerable: true,
  value: (host) => {
    const afterProgramCreate = host.afterProgramCreate;
    host.afterProgramCreate = (builder) => {
      const emit = builder.emit.bind(builder);
      builder.emit = (sourceFile, ...rest) =>
        sourceFile && isToolkitSource(sourceFile.fileName) ? { emitSkipped: true, diagnostics: [] } : emit(sourceFile, ...rest);
      afterProgramCreate(builder);
    };
    return typeScript.createWatchProgram(host);
  },
});
require.cache[typeScriptPath].exports = typeScriptForTslab;
// startKernel is tslab's stable entry point (kept for globally installed tslab binaries, see its main.ts).
require(tslabMain).startKernel({ configPath, enableFindLocal: false, jsKernel: false });
