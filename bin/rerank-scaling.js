#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's CommonJS hook, so the package needs no build step.
// Without a worker thread: tsx's hook then compiles through one esbuild process per file (only on a cache miss)
// instead of a worker thread, which Node must join at exit. Set before esbuild loads; child processes inherit it.
process.env.ESBUILD_WORKER_THREADS ??= "0";
require("tsx/cjs");
const { main } = require("../src/cli.ts");
// Not process.exit(): see src/exit-when-idle.ts (a process.exit racing V8's background compiler can hang for good).
const { exitWhenIdle } = require("../src/exit-when-idle.ts");
main(process.argv.slice(2)).then(
  (code) => exitWhenIdle(code),
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    if (process.env.RERANK_DEBUG && error instanceof Error) console.error(error.stack);
    exitWhenIdle(1);
  },
);
