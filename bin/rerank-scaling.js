#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's CommonJS hook, so the package needs no build step.
require("tsx/cjs");
const { main } = require("../src/cli.ts");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    if (process.env.RERANK_DEBUG && error instanceof Error) console.error(error.stack);
    process.exit(1);
  },
);
